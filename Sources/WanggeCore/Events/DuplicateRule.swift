import Foundation

/// Mean Earth radius (IUGG R1), in metres.
public let earthRadiusMeters = 6_371_008.8

/// Great-circle distance between two WGS84 positions, by the haversine formula on a sphere of
/// `earthRadiusMeters`. Accurate to about 0.5 %, far finer than telling two reports apart needs.
public func distanceMeters(fromLon lon1: Double, fromLat lat1: Double, toLon lon2: Double, toLat lat2: Double) -> Double {
    let radians = Double.pi / 180
    let phi1 = lat1 * radians, phi2 = lat2 * radians
    let halfDPhi = (lat2 - lat1) * radians / 2, halfDLambda = (lon2 - lon1) * radians / 2
    let h = sin(halfDPhi) * sin(halfDPhi) + cos(phi1) * cos(phi2) * sin(halfDLambda) * sin(halfDLambda)
    // min() keeps rounding from pushing asin's argument past 1 for antipodal points.
    return 2 * earthRadiusMeters * asin(min(1, h.squareRoot()))
}

/// `distanceMeters` between two `Position`s.
public func distanceMeters(_ a: Position, _ b: Position) -> Double {
    distanceMeters(fromLon: a.lon, fromLat: a.lat, toLon: b.lon, toLat: b.lat)
}

/// When a new report is probably the same problem as an open one (并单 candidates): same catalog
/// item, close by, reported within a few days. Only a suggestion: an operator decides to merge.
public struct DuplicateRule: Hashable, Codable, Sendable {
    public var maxDistanceMeters: Double
    public var maxAgeSeconds: Int64

    public init(maxDistanceMeters: Double = 100, maxAgeSeconds: Int64 = 72 * 3600) {
        self.maxDistanceMeters = maxDistanceMeters
        self.maxAgeSeconds = maxAgeSeconds
    }

    public static let standard = DuplicateRule()

    /// True when the existing event is open, of the same item, within `maxDistanceMeters` and
    /// reported within `maxAgeSeconds` of the new one (either way round, as reports arrive late
    /// from phones that were offline).
    public func isLikelyDuplicate(newItem: String, newLon: Double, newLat: Double, newAt: Int64,
                                  existingItem: String, existingLon: Double, existingLat: Double, existingAt: Int64,
                                  existingStatus: EventStatus) -> Bool {
        guard existingStatus.isOpen, newItem == existingItem else { return false }
        guard abs(newAt - existingAt) <= maxAgeSeconds else { return false }
        return distanceMeters(fromLon: newLon, fromLat: newLat, toLon: existingLon, toLat: existingLat) <= maxDistanceMeters
    }

    /// A box around a position that holds every point within `maxDistanceMeters`, for the
    /// query that fetches candidates before `isLikelyDuplicate` looks at each.
    public func searchBox(lon: Double, lat: Double) -> BoundingBox {
        let dLat = maxDistanceMeters / earthRadiusMeters * 180 / Double.pi
        // Widen longitude by 1/cos(lat); near the poles (not a Chinese county) take all longitudes.
        let cosLat = cos(min(abs(lat) + dLat, 90) * Double.pi / 180)
        let dLon = cosLat > 1e-9 ? min(180, dLat / cosLat) : 180
        return BoundingBox(minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat)
    }
}
