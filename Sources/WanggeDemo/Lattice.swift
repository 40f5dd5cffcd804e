import WanggeCore

/// A block of lattice cells: columns `x..<x+w`, rows `y..<y+h`, row 0 in the south.
struct CellRect: Hashable {
    var x: Int
    var y: Int
    var w: Int
    var h: Int

    var area: Int { w * h }
    var centerX: Double { Double(x) + Double(w) / 2 }
    var centerY: Double { Double(y) + Double(h) / 2 }

    /// Codes are handed out north→south, then west→east (the Beijing unit-grid rule in the
    /// standards notes), so sort by the top edge descending, then the left edge.
    static func readingOrder(_ a: CellRect, _ b: CellRect) -> Bool {
        let (ta, tb) = (a.y + a.h, b.y + b.h)
        if ta != tb { return ta > tb }
        return a.x < b.x
    }
}

/// Cuts `rect` into `count` blocks by recursive guillotine cuts.
///
/// Each cut falls roughly where the block's area splits in proportion to the pieces wanted on
/// either side, moved a little at random so the result does not look like a chessboard. Any
/// cut position admits a feasible split of the count (see the clamp), so this never fails as
/// long as `count <= rect.area`.
func partition(_ rect: CellRect, into count: Int, rng: inout SeededRandom) -> [CellRect] {
    precondition(count >= 1 && count <= rect.area, "cannot cut \(rect.area) cells into \(count) blocks")
    var out: [CellRect] = []
    out.reserveCapacity(count)
    cut(rect, count, &rng, &out)
    return out
}

private func cut(_ r: CellRect, _ k: Int, _ rng: inout SeededRandom, _ out: inout [CellRect]) {
    if k == 1 {
        out.append(r)
        return
    }
    // Cut across the longer side so blocks stay compact; a one-cell-wide strip can only be cut
    // along its length.
    var acrossX = r.w > r.h || (r.w == r.h && rng.chance(0.5))
    if r.w < 2 { acrossX = false }
    if r.h < 2 { acrossX = true }
    let length = acrossX ? r.w : r.h
    let other = acrossX ? r.h : r.w
    let wanted = k / 2 + (k % 2 == 1 && rng.chance(0.5) ? 1 : 0)
    let ideal = Double(length) * Double(wanted) / Double(k)
    let wobble = (rng.unit() - 0.5) * 0.3 * Double(length) / Double(k).squareRoot()
    let c = Swift.min(Swift.max(Int((ideal + wobble).rounded()), 1), length - 1)
    let k1 = Swift.min(Swift.max(wanted, 1, k - (length - c) * other), k - 1, c * other)
    let (a, b) = acrossX
        ? (CellRect(x: r.x, y: r.y, w: c, h: r.h), CellRect(x: r.x + c, y: r.y, w: r.w - c, h: r.h))
        : (CellRect(x: r.x, y: r.y, w: r.w, h: c), CellRect(x: r.x, y: r.y + c, w: r.w, h: r.h - c))
    cut(a, k1, &rng, &out)
    cut(b, k - k1, &rng, &out)
}

/// A seat of government around which the lattice is drawn denser, so that town grids come out
/// smaller than village grids: a lattice point, the radius (in cells) of the area pulled
/// towards it, and how strongly (the scale factor right at the seat, 0 < strength < 1).
struct Seat {
    var i: Int
    var j: Int
    var radiusCells: Double
    var strength: Double
}

/// The jittered lattice every boundary is traced on. Neighbouring polygons are traced through
/// the very same `Position` values, so shared edges match vertex by vertex and the tiling is
/// exact, not approximately so.
struct Lattice {
    let cols: Int
    let rows: Int
    private(set) var points: [Position]

    /// How much narrower a degree of longitude is than a degree of latitude around 28.4°N
    /// (cos 28.4°), written as a constant so no platform's `cos` can move a vertex.
    static let lonScale = 0.8796

    /// - Parameters:
    ///   - box: the extent before jitter; outer points move by the same bounded jitter, so the
    ///     outer boundary wiggles a little across the box's edges.
    ///   - seats: each pulls the lattice towards itself, shrinking cells near it.
    init(cols: Int, rows: Int, box: BoundingBox, seats: [Seat], rng: inout SeededRandom) {
        self.cols = cols
        self.rows = rows
        let dx = (box.maxLon - box.minLon) / Double(cols)
        let dy = (box.maxLat - box.minLat) / Double(rows)
        // Under a quarter of a cell each way keeps every cell a convex quadrilateral.
        let jitter = 0.22
        var pts: [Position] = []
        pts.reserveCapacity((cols + 1) * (rows + 1))
        for j in 0...rows {
            for i in 0...cols {
                let lon = box.minLon + Double(i) * dx + (rng.unit() * 2 - 1) * jitter * dx
                let lat = box.minLat + Double(j) * dy + (rng.unit() * 2 - 1) * jitter * dy
                pts.append(Position(lon: lon, lat: lat))
            }
        }
        points = pts
        for seat in seats {
            let center = points[seat.j * (cols + 1) + seat.i]
            let radius = seat.radiusCells * Swift.min(dx * Self.lonScale, dy)
            for n in points.indices {
                points[n] = Self.pull(points[n], towards: center, radius: radius, strength: seat.strength)
            }
        }
        for n in points.indices {
            points[n] = Position(lon: Self.round7(points[n].lon), lat: Self.round7(points[n].lat))
        }
    }

    /// A radial map that is the identity outside `radius` and compresses distances inside it,
    /// by the factor `s(t) = a + 2(1−a)t − (1−a)t²` (t = r/radius, a = strength). `s(1) = 1`
    /// and the derivative of r·s(t) is 1 at the rim, so the map is continuous and smooth there;
    /// r·s(t) is increasing, so the map is one-to-one and cells cannot fold over.
    private static func pull(_ p: Position, towards c: Position, radius: Double, strength a: Double) -> Position {
        let ex = (p.lon - c.lon) * lonScale
        let ey = p.lat - c.lat
        if abs(ex) >= radius || abs(ey) >= radius { return p }
        let r = (ex * ex + ey * ey).squareRoot()
        guard r < radius else { return p }
        let t = r / radius
        let s = a + 2 * (1 - a) * t - (1 - a) * t * t
        return Position(lon: c.lon + (p.lon - c.lon) * s, lat: c.lat + (p.lat - c.lat) * s)
    }

    /// Seven decimals (about 1 cm) keep exported GeoJSON short and readable.
    private static func round7(_ v: Double) -> Double { (v * 1e7).rounded() / 1e7 }

    func point(_ i: Int, _ j: Int) -> Position { points[j * (cols + 1) + i] }

    /// The closed, counter-clockwise outer ring of a block, through every lattice point on its
    /// edges: east along the south edge, north along the east edge, west along the north edge,
    /// south along the west edge.
    func ring(_ r: CellRect) -> [Position] {
        var ring: [Position] = []
        ring.reserveCapacity(2 * (r.w + r.h) + 1)
        for i in r.x..<(r.x + r.w) { ring.append(point(i, r.y)) }
        for j in r.y..<(r.y + r.h) { ring.append(point(r.x + r.w, j)) }
        for i in stride(from: r.x + r.w, to: r.x, by: -1) { ring.append(point(i, r.y + r.h)) }
        for j in stride(from: r.y + r.h, to: r.y, by: -1) { ring.append(point(r.x, j)) }
        ring.append(ring[0])
        return ring
    }

    func geometry(_ r: CellRect) -> Geometry { .polygon(Polygon(rings: [ring(r)])) }
}
