// Validity of a grid boundary, and the primitives it shares with GeometryRelations.swift:
// segment tests, edge sweeps and prepared geometries.

// MARK: - Segment primitives

/// Twice the signed area of the triangle a, b, c: positive when c lies left of a→b.
///
/// Written term for term like the on-edge test of `locate(lon:lat:inRing:)`, so that a point found
/// collinear here is on the boundary there too; mixing two formulas would let the relations and
/// the point-in-polygon test disagree about the same point.
@inline(__always)
func orientation(_ a: Position, _ b: Position, _ c: Position) -> Double {
    (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
}

/// Whether p lies in the box spanned by a and b; with a zero orientation, whether p is on a–b.
@inline(__always)
func inSpan(_ p: Position, _ a: Position, _ b: Position) -> Bool {
    p.lon >= Swift.min(a.lon, b.lon) && p.lon <= Swift.max(a.lon, b.lon)
        && p.lat >= Swift.min(a.lat, b.lat) && p.lat <= Swift.max(a.lat, b.lat)
}

@inline(__always)
func opposite(_ u: Double, _ v: Double) -> Bool { (u > 0 && v < 0) || (u < 0 && v > 0) }

/// Whether the closed segments a–b and c–d share at least one point (crossing or touching).
func segmentsMeet(_ a: Position, _ b: Position, _ c: Position, _ d: Position) -> Bool {
    let o1 = orientation(a, b, c), o2 = orientation(a, b, d)
    let o3 = orientation(c, d, a), o4 = orientation(c, d, b)
    if opposite(o1, o2) && opposite(o3, o4) { return true }
    return (o1 == 0 && inSpan(c, a, b)) || (o2 == 0 && inSpan(d, a, b))
        || (o3 == 0 && inSpan(a, c, d)) || (o4 == 0 && inSpan(b, c, d))
}

/// The edge `rings[ring][index] → rings[ring][index + 1]` with its box, for sweeps; `at` is the
/// index of its first position when all rings are laid end to end.
struct RingEdge: Sendable {
    var minLon: Double
    var maxLon: Double
    var minLat: Double
    var maxLat: Double
    var ring: Int
    var index: Int
    var at: Int

    init(_ a: Position, _ b: Position, ring: Int, index: Int, at: Int) {
        minLon = Swift.min(a.lon, b.lon)
        maxLon = Swift.max(a.lon, b.lon)
        minLat = Swift.min(a.lat, b.lat)
        maxLat = Swift.max(a.lat, b.lat)
        self.ring = ring
        self.index = index
        self.at = at
    }

    @inline(__always)
    func latOverlaps(_ o: RingEdge) -> Bool { minLat <= o.maxLat && o.minLat <= maxLat }

    @inline(__always)
    func intersects(_ box: BoundingBox) -> Bool {
        minLon <= box.maxLon && box.minLon <= maxLon && minLat <= box.maxLat && box.minLat <= maxLat
    }
}

/// Below this many edges a plain all-pairs loop beats sorting.
let bruteForceEdgeLimit = 64

/// Calls `body` for each pair of edges whose boxes intersect, stopping when it returns false.
/// Large lists are sorted by `minLon` and swept, so a ring of a few thousand vertices costs
/// about n log n plus the pairs that really are close, instead of n².
func forEachNearbyPair(_ edges: [RingEdge], _ body: (RingEdge, RingEdge) -> Bool) {
    if edges.count < bruteForceEdgeLimit {
        for i in edges.indices {
            for j in (i + 1)..<edges.count
            where edges[i].minLon <= edges[j].maxLon && edges[j].minLon <= edges[i].maxLon
                && edges[i].latOverlaps(edges[j]) {
                if !body(edges[i], edges[j]) { return }
            }
        }
        return
    }
    let sorted = edges.sorted { $0.minLon < $1.minLon }
    for i in sorted.indices {
        var j = i + 1
        while j < sorted.count, sorted[j].minLon <= sorted[i].maxLon {
            if sorted[i].latOverlaps(sorted[j]), !body(sorted[i], sorted[j]) { return }
            j += 1
        }
    }
}

/// Visits each pair of one edge from `ea` and one from `eb` whose boxes intersect; both lists are
/// sorted by `minLon`, and an edge leaves the active list once the sweep has passed its `maxLon`.
func sweepPairs(_ ea: [RingEdge], _ eb: [RingEdge], _ body: (RingEdge, RingEdge) -> Void) {
    var i = 0, j = 0
    var activeA: [RingEdge] = [], activeB: [RingEdge] = []
    activeA.reserveCapacity(16)
    activeB.reserveCapacity(16)
    while i < ea.count || j < eb.count {
        if j == eb.count || (i < ea.count && ea[i].minLon <= eb[j].minLon) {
            let e = ea[i]
            i += 1
            var kept = 0
            for k in 0..<activeB.count where activeB[k].maxLon >= e.minLon {
                let f = activeB[k]
                activeB[kept] = f
                kept += 1
                if e.latOverlaps(f) { body(e, f) }
            }
            activeB.removeLast(activeB.count - kept)
            activeA.append(e)
        } else {
            let f = eb[j]
            j += 1
            var kept = 0
            for k in 0..<activeA.count where activeA[k].maxLon >= f.minLon {
                let e = activeA[k]
                activeA[kept] = e
                kept += 1
                if e.latOverlaps(f) { body(e, f) }
            }
            activeA.removeLast(activeA.count - kept)
            activeB.append(f)
        }
    }
}

/// The edges of `g` whose boxes meet `box`. The edges are sorted by `minLon`, so the scan stops
/// at the first one starting east of the box.
func nearbyEdges(of g: PreparedGeometry, within box: BoundingBox) -> [RingEdge] {
    var out: [RingEdge] = []
    for e in g.edges {
        if e.minLon > box.maxLon { break }
        if e.intersects(box) { out.append(e) }
    }
    return out
}

/// Twice the signed area of a closed ring in degrees², positive when counter-clockwise.
/// Coordinates are taken relative to the first vertex: products of raw longitudes (~100°)
/// would cancel away the digits that matter for small grids.
func doubledSignedArea(_ ring: [Position]) -> Double {
    guard let o = ring.first, ring.count >= 4 else { return 0 }
    var sum = 0.0
    for i in 0..<(ring.count - 1) {
        let a = ring[i], b = ring[i + 1]
        sum += (a.lon - o.lon) * (b.lat - o.lat) - (b.lon - o.lon) * (a.lat - o.lat)
    }
    return sum
}

/// The indices of `keys` in ascending order of key: insertion sort for short lists, bottom-up
/// merge sort otherwise. Written out for `Double` because the generic `sort(by:)` is many times
/// slower in debug builds, where validation of a city must still run in seconds.
func sortedOrder(_ keys: [Double]) -> [Int] {
    let n = keys.count
    var order: [Int] = []
    order.reserveCapacity(n)
    for i in 0..<n { order.append(i) }
    if n <= 32 {
        for i in 1..<Swift.max(1, n) {
            let x = order[i]
            var j = i
            while j > 0 && keys[order[j - 1]] > keys[x] {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = x
        }
        return order
    }
    var buffer = order
    var width = 1
    while width < n {
        var start = 0
        while start < n {
            let mid = Swift.min(start + width, n), end = Swift.min(start + 2 * width, n)
            var i = start, j = mid, k = start
            while i < mid && j < end {
                if keys[order[j]] < keys[order[i]] {
                    buffer[k] = order[j]
                    j += 1
                } else {
                    buffer[k] = order[i]
                    i += 1
                }
                k += 1
            }
            while i < mid {
                buffer[k] = order[i]
                i += 1
                k += 1
            }
            while j < end {
                buffer[k] = order[j]
                j += 1
                k += 1
            }
            start = end
        }
        swap(&order, &buffer)
        width *= 2
    }
    return order
}

// MARK: - Prepared geometry

/// A geometry made ready for repeated relation tests: rings oriented so that the interior is
/// always on the left of an edge (outer rings counter-clockwise, holes clockwise), and its edges
/// sorted by `minLon` for sweeps. The tree validator prepares each grid once and reuses it.
struct PreparedGeometry: Sendable {
    /// The same rings, in the shape `locate` expects.
    let geometry: Geometry
    /// All rings of all member polygons.
    let rings: [[Position]]
    /// All rings' positions end to end; `RingEdge.at` indexes into it, which spares the hot
    /// loops a nested array access.
    let points: [Position]
    let box: BoundingBox
    let edges: [RingEdge]

    init(_ source: Geometry) {
        var polygons: [Polygon] = []
        var rings: [[Position]] = []
        // Rings with too few positions cannot bound anything, and unvalidated rings may come
        // unclosed; dropping or closing them keeps `Polygon.locate` (which reads `rings[0]`) and
        // the overlay (which walks rings modulo their length) safe.
        func usable(_ ring: [Position], outer: Bool) -> [Position]? {
            guard let first = ring.first else { return nil }
            let closed = ring.last == first ? ring : ring + [first]
            guard closed.count >= 4 else { return nil }
            return outer == (doubledSignedArea(closed) > 0) ? closed : closed.reversed()
        }
        for polygon in source.polygons {
            guard let outer = usable(polygon.outer, outer: true) else { continue }
            let oriented = [outer] + polygon.holes.compactMap { usable($0, outer: false) }
            polygons.append(Polygon(rings: oriented))
            rings += oriented
        }
        if case .polygon = source, polygons.count == 1 {
            geometry = .polygon(polygons[0])
        } else {
            geometry = .multiPolygon(polygons)
        }
        self.rings = rings
        box = geometry.boundingBox
        var points: [Position] = []
        var edges: [RingEdge] = []
        for r in rings.indices {
            let ring = rings[r], at = points.count
            points.append(contentsOf: ring)
            // Zero-length edges (only in unvalidated input) would divide by zero further on.
            for i in 0..<(ring.count - 1) where ring[i] != ring[i + 1] {
                edges.append(RingEdge(ring[i], ring[i + 1], ring: r, index: i, at: at + i))
            }
        }
        self.points = points
        let order = sortedOrder(edges.map(\.minLon))
        self.edges = order.map { edges[$0] }
    }

    /// Net area in m² (holes are clockwise, so they subtract themselves).
    func area(_ frame: LocalFrame) -> Double { rings.reduce(0) { $0 + frame.area($1) } }

    @inline(__always)
    func locate(_ p: Position) -> PointLocation {
        box.contains(lon: p.lon, lat: p.lat) ? geometry.locate(lon: p.lon, lat: p.lat) : .outside
    }
}

// MARK: - Validation

/// Overlap below this (m²) between rings that should only touch is floating-point noise from
/// computed crossing points, not a real overlap.
let touchingNoiseSquareMeters = 0.01

extension Geometry {
    /// Checks that the boundary is a well-formed GeoJSON (Multi)Polygon that a grid can use.
    ///
    /// Every ring must be closed, have at least 4 positions, finite WGS84 coordinates, no repeated
    /// vertex other than the closing one, a non-zero area, and no self-intersection (edges that are
    /// not neighbours may not touch; neighbours may not fold back over each other). Holes must lie
    /// inside their outer ring and not overlap each other; the polygons of a MultiPolygon must not
    /// overlap each other, although they may touch at points or along edges.
    ///
    /// The first problem found is thrown, with field `geometry` and a message naming the polygon,
    /// ring and position by their zero-based indices in the GeoJSON `coordinates` arrays
    /// (e.g. “多边形[1]的内环[2]的坐标点[5]”).
    public func validate() throws(ValidationError) {
        let polygons = self.polygons
        let multi: Bool
        if case .multiPolygon = self { multi = true } else { multi = false }
        guard !polygons.isEmpty else { throw geometryError("多重多边形(MultiPolygon)中没有任何多边形") }
        for (p, polygon) in polygons.enumerated() {
            try validatePolygon(polygon, name: multi ? "多边形[\(p)]的" : "")
        }
        guard polygons.count > 1 else { return }
        let prepared = polygons.map { PreparedGeometry(.polygon($0)) }
        for i in prepared.indices {
            for j in (i + 1)..<prepared.count where prepared[i].box.intersects(prepared[j].box) {
                if overlayArea(prepared[i], prepared[j], .intersection) > touchingNoiseSquareMeters {
                    throw geometryError("多边形[\(i)]与多边形[\(j)]重叠；多重多边形的各部分只能在点或边上相接")
                }
            }
        }
    }
}

private func geometryError(_ message: String) -> ValidationError {
    ValidationError(field: "geometry", message)
}

private func describe(_ p: Position) -> String { "(\(p.lon), \(p.lat))" }

private func validatePolygon(_ polygon: Polygon, name: String) throws(ValidationError) {
    guard !polygon.rings.isEmpty else { throw geometryError("\(name)多边形没有外环") }
    for (r, ring) in polygon.rings.enumerated() {
        try validateRing(ring, name: name + (r == 0 ? "外环" : "内环[\(r)]"))
    }
    guard polygon.rings.count > 1 else { return }
    let outer = PreparedGeometry(.polygon(Polygon(rings: [polygon.rings[0]])))
    let holes = polygon.rings.dropFirst().map { PreparedGeometry(.polygon(Polygon(rings: [$0]))) }
    for (k, hole) in holes.enumerated() {
        if !hole.box.intersects(outer.box) || overlayArea(hole, outer, .difference) > touchingNoiseSquareMeters {
            throw geometryError("\(name)内环[\(k + 1)]不完全在外环之内")
        }
    }
    for i in holes.indices {
        for j in (i + 1)..<holes.count where holes[i].box.intersects(holes[j].box) {
            if overlayArea(holes[i], holes[j], .intersection) > touchingNoiseSquareMeters {
                throw geometryError("\(name)内环[\(i + 1)]与内环[\(j + 1)]重叠")
            }
        }
    }
    if Geometry.polygon(polygon).areaSquareMeters <= touchingNoiseSquareMeters {
        throw geometryError("\(name)多边形面积为零：内环覆盖了整个外环")
    }
}

private func validateRing(_ ring: [Position], name: String) throws(ValidationError) {
    guard ring.count >= 4 else {
        throw geometryError("\(name)只有\(ring.count)个坐标点，至少需要4个(首尾两点相同)")
    }
    for (k, p) in ring.enumerated() {
        guard p.lon.isFinite, p.lat.isFinite else { throw geometryError("\(name)的坐标点[\(k)]不是有效数字") }
        guard (-180...180).contains(p.lon) else {
            throw geometryError("\(name)的坐标点[\(k)]经度\(p.lon)超出[-180, 180]")
        }
        guard (-90...90).contains(p.lat) else {
            throw geometryError("\(name)的坐标点[\(k)]纬度\(p.lat)超出[-90, 90]")
        }
    }
    let last = ring.count - 1
    guard ring[0] == ring[last] else {
        throw geometryError("\(name)未闭合：首个坐标点\(describe(ring[0]))与最后一个\(describe(ring[last]))不同")
    }
    var seen = [Position: Int](minimumCapacity: last)
    for k in 0..<last {
        if let j = seen.updateValue(k, forKey: ring[k]) {
            throw geometryError("\(name)的坐标点[\(k)]与坐标点[\(j)]重复\(describe(ring[k]))；只有首尾两点可以相同")
        }
    }
    // A ring on one line would otherwise be reported as folding back, which hides the real issue.
    if ring.allSatisfy({ orientation(ring[0], ring[1], $0) == 0 }) {
        throw geometryError("\(name)面积为零(所有坐标点在一条直线上)")
    }
    try checkSimple(ring, name: name)
    try checkArea(ring, name: name)
}

/// Rejects rings whose area is zero up to rounding, e.g. vertices that are collinear except for
/// digits beyond double precision.
private func checkArea(_ ring: [Position], name: String) throws(ValidationError) {
    var box = BoundingBox.empty
    for p in ring { box.extend(p) }
    let extent = Swift.max(box.maxLon - box.minLon, box.maxLat - box.minLat)
    // The rounding error of the shoelace sum grows with the vertex count and the extent squared.
    let noise = Double(ring.count) * 8 * Double.ulpOfOne * extent * extent
    if extent == 0 || abs(doubledSignedArea(ring)) <= noise {
        throw geometryError("\(name)面积为零(坐标点几乎共线)")
    }
}

/// Rejects self-intersection. Edges i and i+1 share a vertex and may only meet there; any other
/// pair may not meet at all.
private func checkSimple(_ ring: [Position], name: String) throws(ValidationError) {
    let m = ring.count - 1
    for i in 0..<m {
        let a = ring[(i + m - 1) % m], b = ring[i], c = ring[i + 1]
        let folds = orientation(a, b, c) == 0
            && (b.lon - a.lon) * (c.lon - b.lon) + (b.lat - a.lat) * (c.lat - b.lat) < 0
        if folds { throw geometryError("\(name)在坐标点[\(i)]处折返，相邻两条边重叠(自相交)") }
    }
    var edges: [RingEdge] = []
    edges.reserveCapacity(m)
    for i in 0..<m { edges.append(RingEdge(ring[i], ring[i + 1], ring: 0, index: i, at: i)) }
    var found: (Int, Int)?
    forEachNearbyPair(edges) { e, f in
        let i = Swift.min(e.index, f.index), j = Swift.max(e.index, f.index)
        if j == i + 1 || (i == 0 && j == m - 1) { return true }
        if segmentsMeet(ring[i], ring[i + 1], ring[j], ring[j + 1]) {
            found = (i, j)
            return false
        }
        return true
    }
    if let (i, j) = found {
        throw geometryError("\(name)自相交：坐标点[\(i)]–[\(i + 1)]的边与坐标点[\(j)]–[\(j + 1)]的边相交或相接")
    }
}
