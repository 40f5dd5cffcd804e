/// Where a point lies relative to a ring, polygon or geometry.
///
/// The boundary of a grid belongs to the grid: a point on an edge or a vertex of the outer ring,
/// or of a hole, is `.boundary`, and `contains` counts it as inside. Boundary detection is exact
/// (a zero cross product), so a point is on an edge only when it is exactly collinear with it.
public enum PointLocation: Sendable, Equatable {
    case inside
    case boundary
    case outside
}

/// Classifies `(lon, lat)` against a closed ring (first position repeated last) by crossing
/// number, with an exact on-segment test first.
@inlinable
public func locate(lon x: Double, lat y: Double, inRing ring: [Position]) -> PointLocation {
    var inside = false
    return ring.withUnsafeBufferPointer { pts -> PointLocation in
        let n = pts.count
        guard n >= 4 else { return .outside }
        var a = pts[0]
        for i in 1..<n {
            let b = pts[i]
            // On the segment a–b: collinear and within its box.
            let cross = (b.lon - a.lon) * (y - a.lat) - (b.lat - a.lat) * (x - a.lon)
            if cross == 0,
               x >= Swift.min(a.lon, b.lon), x <= Swift.max(a.lon, b.lon),
               y >= Swift.min(a.lat, b.lat), y <= Swift.max(a.lat, b.lat) {
                return .boundary
            }
            if (a.lat > y) != (b.lat > y) {
                let xi = a.lon + (y - a.lat) * (b.lon - a.lon) / (b.lat - a.lat)
                if x < xi { inside.toggle() }
            }
            a = b
        }
        return inside ? .inside : .outside
    }
}

extension Polygon {
    /// Outside when in a hole; on the boundary when on the outer ring or a hole's ring.
    @inlinable
    public func locate(lon: Double, lat: Double) -> PointLocation {
        let outer = WanggeCore.locate(lon: lon, lat: lat, inRing: rings[0])
        if outer != .inside { return outer }
        for hole in rings.dropFirst() {
            switch WanggeCore.locate(lon: lon, lat: lat, inRing: hole) {
            case .inside: return .outside
            case .boundary: return .boundary
            case .outside: continue
            }
        }
        return .inside
    }
}

extension Geometry {
    /// `.inside` if inside any member polygon, else `.boundary` if on any, else `.outside`.
    @inlinable
    public func locate(lon: Double, lat: Double) -> PointLocation {
        var onBoundary = false
        for polygon in polygons {
            switch polygon.locate(lon: lon, lat: lat) {
            case .inside: return .inside
            case .boundary: onBoundary = true
            case .outside: break
            }
        }
        return onBoundary ? .boundary : .outside
    }

    /// True when the point is inside or on the boundary.
    @inlinable
    public func contains(lon: Double, lat: Double) -> Bool {
        locate(lon: lon, lat: lat) != .outside
    }
}
