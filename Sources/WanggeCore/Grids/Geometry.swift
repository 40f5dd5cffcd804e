/// A WGS84 position. GeoJSON order is `[lon, lat]`.
public struct Position: Hashable, Sendable {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

/// A polygon: `rings[0]` is the outer boundary, the rest are holes. Each ring is closed
/// (first position repeated at the end), as in GeoJSON.
public struct Polygon: Hashable, Sendable {
    public var rings: [[Position]]

    public init(rings: [[Position]]) { self.rings = rings }

    public var outer: [Position] { rings.first ?? [] }
    public var holes: ArraySlice<[Position]> { rings.dropFirst() }
}

/// A grid boundary: a GeoJSON Polygon or MultiPolygon.
public enum Geometry: Hashable, Sendable {
    case polygon(Polygon)
    case multiPolygon([Polygon])

    public var polygons: [Polygon] {
        switch self {
        case .polygon(let p): [p]
        case .multiPolygon(let ps): ps
        }
    }

    public var boundingBox: BoundingBox {
        var box = BoundingBox.empty
        for polygon in polygons {
            for p in polygon.outer { box.extend(p) }
        }
        return box
    }
}

/// An axis-aligned box in degrees.
public struct BoundingBox: Hashable, Sendable {
    public var minLon: Double
    public var minLat: Double
    public var maxLon: Double
    public var maxLat: Double

    public init(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double) {
        self.minLon = minLon
        self.minLat = minLat
        self.maxLon = maxLon
        self.maxLat = maxLat
    }

    public static let empty = BoundingBox(
        minLon: .infinity, minLat: .infinity, maxLon: -.infinity, maxLat: -.infinity)

    public var isEmpty: Bool { minLon > maxLon || minLat > maxLat }

    public mutating func extend(_ p: Position) {
        minLon = Swift.min(minLon, p.lon)
        minLat = Swift.min(minLat, p.lat)
        maxLon = Swift.max(maxLon, p.lon)
        maxLat = Swift.max(maxLat, p.lat)
    }

    public mutating func extend(_ b: BoundingBox) {
        minLon = Swift.min(minLon, b.minLon)
        minLat = Swift.min(minLat, b.minLat)
        maxLon = Swift.max(maxLon, b.maxLon)
        maxLat = Swift.max(maxLat, b.maxLat)
    }

    @inlinable
    public func contains(lon: Double, lat: Double) -> Bool {
        lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat
    }

    public func intersects(_ o: BoundingBox) -> Bool {
        minLon <= o.maxLon && o.minLon <= maxLon && minLat <= o.maxLat && o.minLat <= maxLat
    }
}
