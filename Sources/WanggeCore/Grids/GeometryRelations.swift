import Foundation

/// How much digitising slack the geometric relations allow between grid boundaries.
///
/// Boundaries drawn by different people, or traced from different base maps, never coincide
/// exactly: shared edges wander by a metre or so. A sliver between two such edges is not an
/// overlap; a real overlap is both thicker than the wander and larger than a few square metres.
public struct GeoTolerance: Sendable, Hashable {
    /// Parts of an overlap (or of a child outside its parent) thinner than twice this are ignored.
    public var distanceMeters: Double
    /// What remains after that may still reach this area before it counts.
    public var overlapSquareMeters: Double

    public init(distanceMeters: Double = 1, overlapSquareMeters: Double = 10) {
        self.distanceMeters = distanceMeters
        self.overlapSquareMeters = overlapSquareMeters
    }

    /// 1 m and 10 m².
    public static let standard = GeoTolerance()
}

/// Metres in one degree of latitude, and of longitude at the equator.
let metersPerDegree = 111_320.0

/// Pieces of a computed region boundary smaller than this (m²) come from rounding, not geometry.
let negligibleSquareMeters = 1e-6

/// An equirectangular projection around a box, good to a fraction of a percent over a city:
/// enough for tolerances of metres, and cheaper and simpler than a real map projection.
struct LocalFrame {
    let lon0: Double
    let lat0: Double
    let kx: Double
    let ky: Double

    init(around box: BoundingBox) {
        lon0 = box.isEmpty ? 0 : (box.minLon + box.maxLon) / 2
        lat0 = box.isEmpty ? 0 : (box.minLat + box.maxLat) / 2
        ky = metersPerDegree
        kx = metersPerDegree * cos(lat0 * .pi / 180)
    }

    @inline(__always) func x(_ p: Position) -> Double { (p.lon - lon0) * kx }
    @inline(__always) func y(_ p: Position) -> Double { (p.lat - lat0) * ky }

    /// Signed area in m², positive when counter-clockwise.
    func area(_ ring: [Position]) -> Double { doubledSignedArea(ring) * kx * ky / 2 }
}

extension Geometry {
    /// The area in square metres on a local equirectangular projection, holes subtracted.
    public var areaSquareMeters: Double {
        let frame = LocalFrame(around: boundingBox)
        var total = 0.0
        for polygon in polygons {
            for (k, ring) in polygon.rings.enumerated() {
                total += k == 0 ? abs(frame.area(ring)) : -abs(frame.area(ring))
            }
        }
        return Swift.max(0, total)
    }
}

// MARK: - Public relations

/// Whether `child` lies inside `parent`.
///
/// The child's boundary may run along the parent's. What sticks out is computed exactly (the
/// region `child \ parent`, see `overlayBoundary`) and then forgiven when it is only digitising
/// noise: parts thinner than `2 × distanceMeters` are dropped (so a vertex up to about a
/// tolerance outside counts as inside) and the rest may total `overlapSquareMeters`. A child that
/// covers a hole of the parent has that hole in `child \ parent` and is not within; neither is a
/// child that lies mostly outside, however small.
public func isWithin(_ child: Geometry, _ parent: Geometry, tolerance: GeoTolerance) -> Bool {
    isWithin(PreparedGeometry(child), PreparedGeometry(parent), tolerance: tolerance)
}

/// The area in m² that `a` and `b` have in common, not counting slivers thinner than
/// `2 × tolerance.distanceMeters`.
///
/// The intersection is computed exactly; the slivers are then removed by a morphological opening
/// (erode by the distance, dilate back) estimated on a lattice of at most 16,384 cells, and the
/// exact area is scaled by the share of lattice cells that survive. Grids that only share edges,
/// exactly or with noise, therefore overlap by 0, while a real overlap keeps nearly all its area.
public func overlapArea(_ a: Geometry, _ b: Geometry, tolerance: GeoTolerance) -> Double {
    let pa = PreparedGeometry(a), pb = PreparedGeometry(b)
    guard pa.box.intersects(pb.box) else { return 0 }
    let frame = LocalFrame(around: pa.box)
    let boundary = overlayBoundary(pa, pb, .intersection, frame)
    let raw = planarArea(boundary)
    guard raw > negligibleSquareMeters else { return 0 }
    return openedArea(boundary, radius: tolerance.distanceMeters, rawArea: raw, stopAbove: nil)
}

/// Whether `a` and `b` overlap by more than `tolerance.overlapSquareMeters` (see `overlapArea`).
///
/// Cheap in the common cases: disjoint boxes are rejected at once; neighbours that share edges
/// exactly yield an empty intersection boundary after one pass over the edges near both; and an
/// intersection whose exact area is already under the limit needs no lattice.
public func overlapsBeyondTolerance(_ a: Geometry, _ b: Geometry, tolerance: GeoTolerance) -> Bool {
    overlapsBeyondTolerance(PreparedGeometry(a), PreparedGeometry(b), tolerance: tolerance)
}

func isWithin(_ child: PreparedGeometry, _ parent: PreparedGeometry, tolerance: GeoTolerance) -> Bool {
    guard !child.box.isEmpty, child.box.intersects(parent.box) else { return false }
    let frame = LocalFrame(around: child.box)
    let outside = overlayBoundary(child, parent, .difference, frame)
    let raw = planarArea(outside)
    if raw <= negligibleSquareMeters { return true }
    if raw * 2 >= child.area(frame) { return false }
    if raw <= tolerance.overlapSquareMeters { return true }
    let limit = tolerance.overlapSquareMeters
    return openedArea(outside, radius: tolerance.distanceMeters, rawArea: raw, stopAbove: limit) <= limit
}

func overlapsBeyondTolerance(_ a: PreparedGeometry, _ b: PreparedGeometry, tolerance: GeoTolerance) -> Bool {
    guard a.box.intersects(b.box) else { return false }
    let frame = LocalFrame(around: a.box)
    let boundary = overlayBoundary(a, b, .intersection, frame)
    let raw = planarArea(boundary)
    let limit = tolerance.overlapSquareMeters
    guard raw > limit, raw > negligibleSquareMeters else { return false }
    return openedArea(boundary, radius: tolerance.distanceMeters, rawArea: raw, stopAbove: limit) > limit
}

/// The exact area in m² of `a ∩ b` or `a \ b`.
func overlayArea(_ a: PreparedGeometry, _ b: PreparedGeometry, _ op: OverlayOperation) -> Double {
    guard a.box.intersects(b.box) else { return op == .intersection ? 0 : a.area(LocalFrame(around: a.box)) }
    return planarArea(overlayBoundary(a, b, op, LocalFrame(around: a.box)))
}

// MARK: - Overlay

enum OverlayOperation { case intersection, difference }

/// A directed boundary piece in local metres.
struct PlanarSegment {
    var x0: Double
    var y0: Double
    var x1: Double
    var y1: Double
}

/// Exact area of the region bounded by directed segments (the boundary integral of x dy).
func planarArea(_ segments: [PlanarSegment]) -> Double {
    var sum = 0.0
    for s in segments { sum += s.x0 * s.y1 - s.x1 * s.y0 }
    return Swift.max(0, sum / 2)
}

/// The boundary of `a ∩ b` or `a \ b` as directed segments, without building the polygons.
///
/// Both boundaries are cut where they meet: proper crossings, vertices of one lying on an edge
/// of the other, and ends of collinear stretches. Between two cuts a piece of boundary is wholly
/// inside, outside, or on the other geometry, so one `locate` per piece (not per edge) decides
/// it; stretches on the other boundary are decided by whether the two run the same way (both
/// interiors on one side) or opposite ways (neighbours). For `a ∩ b` the boundary is `∂a` inside
/// `b`, `∂b` inside `a`, and stretches that run the same way; for `a \ b` it is `∂a` outside `b`,
/// `∂b` inside `a` reversed, and stretches that run opposite ways. That is all the area, the
/// lattice and the point tests need, and it avoids the fragile bookkeeping of a full clipper.
func overlayBoundary(
    _ a: PreparedGeometry, _ b: PreparedGeometry, _ op: OverlayOperation, _ frame: LocalFrame
) -> [PlanarSegment] {
    var onA = Contacts(a), onB = Contacts(b)
    let nearA = nearbyEdges(of: a, within: b.box), nearB = nearbyEdges(of: b, within: a.box)
    if !nearA.isEmpty && !nearB.isEmpty {
        sweepPairs(nearA, nearB) { e, f in recordContact(a.points, e, b.points, f, &onA, &onB) }
    }
    onA.indexStretches()
    onB.indexStretches()
    var out: [PlanarSegment] = []
    emitPieces(of: a, onA, against: b, frame, into: &out, op == .intersection ? .intersectionFirst : .differenceFirst)
    emitPieces(of: b, onB, against: a, frame, into: &out, op == .intersection ? .intersectionSecond : .differenceSecond)
    return out
}

/// A cut on a ring at `s` = edge index + fraction along the edge.
private struct Cut {
    var ring: Int
    var s: Double
    var point: Position
}

/// A stretch `[t0, t1]` of an edge that runs along an edge of the other geometry.
private struct SharedStretch {
    var ring: Int
    var edge: Int
    var t0: Double
    var t1: Double
    var sameWay: Bool
}

/// Where one geometry's boundary meets the other's, seen from the first. Flat arrays with
/// linear search: a pair of grids meets at a few dozen points at most, and hashing, nested
/// arrays or generic sorting would cost more than they save.
private struct Contacts {
    var cuts: [Cut] = []
    var shared: [SharedStretch] = []
    let edgeCounts: [Int]

    init(_ g: PreparedGeometry) { edgeCounts = g.rings.map { $0.count - 1 } }

    mutating func cut(_ e: RingEdge, _ t: Double, _ p: Position) {
        let m = edgeCounts[e.ring]
        // Cuts at a vertex get the same `s` from both edges that share it, so they deduplicate.
        let s = t >= 1 ? Double((e.index + 1) % m) : Double(e.index) + Swift.max(0, t)
        if cuts.count < 64 {
            for k in 0..<cuts.count where cuts[k].s == s && cuts[k].ring == e.ring { return }
        }
        cuts.append(Cut(ring: e.ring, s: s, point: p))
    }

    mutating func share(_ e: RingEdge, _ t0: Double, _ t1: Double, _ sameWay: Bool) {
        shared.append(SharedStretch(ring: e.ring, edge: e.index, t0: t0, t1: t1, sameWay: sameWay))
    }

    /// Orders `shared` by ring and edge so that `stretch` can binary-search it; a ring that runs
    /// along a long stretch of another has hundreds of these.
    mutating func indexStretches() {
        guard shared.count > 1 else { return }
        let order = sortedOrder(shared.map { Double($0.ring) * 4_294_967_296 + Double($0.edge) })
        shared = order.map { shared[$0] }
    }

    func stretch(ring: Int, edge: Int, containing t: Double) -> SharedStretch? {
        var lo = 0, hi = shared.count
        while lo < hi {
            let mid = (lo + hi) / 2
            let s = shared[mid]
            if s.ring < ring || (s.ring == ring && s.edge < edge) { lo = mid + 1 } else { hi = mid }
        }
        while lo < shared.count, shared[lo].ring == ring, shared[lo].edge == edge {
            if shared[lo].t0 < t && t < shared[lo].t1 { return shared[lo] }
            lo += 1
        }
        return nil
    }

    /// The cuts of a ring in order along it, without duplicates.
    func sortedCuts(_ ring: Int) -> [Cut] {
        var list: [Cut] = []
        for k in 0..<cuts.count where cuts[k].ring == ring { list.append(cuts[k]) }
        list = sortedOrder(list.map(\.s)).map { list[$0] }
        var unique: [Cut] = []
        unique.reserveCapacity(list.count)
        for c in list where unique.last?.s != c.s { unique.append(c) }
        return unique
    }
}

/// Fraction along a→b of the projection of p; exactly 0 at a and exactly 1 at b.
@inline(__always)
private func fraction(_ p: Position, _ a: Position, _ b: Position) -> Double {
    let dx = b.lon - a.lon, dy = b.lat - a.lat
    return ((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / (dx * dx + dy * dy)
}

@inline(__always)
private func unit(_ t: Double) -> Bool { t >= 0 && t <= 1 }

private func recordContact(
    _ pa: [Position], _ e: RingEdge, _ pb: [Position], _ f: RingEdge, _ onA: inout Contacts, _ onB: inout Contacts
) {
    let a0 = pa[e.at], a1 = pa[e.at + 1]
    let b0 = pb[f.at], b1 = pb[f.at + 1]
    let o1 = orientation(a0, a1, b0), o2 = orientation(a0, a1, b1)
    if o1 == 0 && o2 == 0 {
        let tb0 = fraction(b0, a0, a1), tb1 = fraction(b1, a0, a1)
        let ta0 = fraction(a0, b0, b1), ta1 = fraction(a1, b0, b1)
        if unit(tb0) { onA.cut(e, tb0, b0); onB.cut(f, 0, b0) }
        if unit(tb1) { onA.cut(e, tb1, b1); onB.cut(f, 1, b1) }
        if unit(ta0) { onA.cut(e, 0, a0); onB.cut(f, ta0, a0) }
        if unit(ta1) { onA.cut(e, 1, a1); onB.cut(f, ta1, a1) }
        let loA = Swift.max(0, Swift.min(tb0, tb1)), hiA = Swift.min(1, Swift.max(tb0, tb1))
        let loB = Swift.max(0, Swift.min(ta0, ta1)), hiB = Swift.min(1, Swift.max(ta0, ta1))
        if loA < hiA && loB < hiB {
            let same = (a1.lon - a0.lon) * (b1.lon - b0.lon) + (a1.lat - a0.lat) * (b1.lat - b0.lat) > 0
            onA.share(e, loA, hiA, same)
            onB.share(f, loB, hiB, same)
        }
        return
    }
    let o3 = orientation(b0, b1, a0), o4 = orientation(b0, b1, a1)
    if opposite(o1, o2) && opposite(o3, o4) {
        let ta = o3 / (o3 - o4), tb = o1 / (o1 - o2)
        // One computed point for both sides, so the pieces on either side end at the same place.
        let p = Position(lon: a0.lon + ta * (a1.lon - a0.lon), lat: a0.lat + ta * (a1.lat - a0.lat))
        onA.cut(e, ta, p)
        onB.cut(f, tb, p)
        return
    }
    if o1 == 0 && inSpan(b0, a0, a1) { onA.cut(e, fraction(b0, a0, a1), b0); onB.cut(f, 0, b0) }
    if o2 == 0 && inSpan(b1, a0, a1) { onA.cut(e, fraction(b1, a0, a1), b1); onB.cut(f, 1, b1) }
    if o3 == 0 && inSpan(a0, b0, b1) { onA.cut(e, 0, a0); onB.cut(f, fraction(a0, b0, b1), a0) }
    if o4 == 0 && inSpan(a1, b0, b1) { onA.cut(e, 1, a1); onB.cut(f, fraction(a1, b0, b1), a1) }
}

@inline(__always)
private func squaredLength(_ a: Position, _ b: Position) -> Double {
    (b.lon - a.lon) * (b.lon - a.lon) + (b.lat - a.lat) * (b.lat - a.lat)
}

/// Where a piece of one boundary lies relative to the other geometry.
private enum PieceSide { case inside, outside, sameWay, oppositeWay, boundary }

/// Which pieces of one operand's boundary bound the result, and which way round.
private enum PieceRule {
    case intersectionFirst, intersectionSecond, differenceFirst, differenceSecond

    /// 0 = drop, 1 = forward, -1 = reversed.
    func use(_ side: PieceSide) -> Int {
        switch (self, side) {
        case (.intersectionFirst, .inside), (.intersectionFirst, .sameWay): 1
        case (.intersectionSecond, .inside): 1
        case (.differenceFirst, .outside), (.differenceFirst, .oppositeWay): 1
        case (.differenceSecond, .inside): -1
        default: 0
        }
    }
}

private func emitPieces(
    of g: PreparedGeometry, _ contacts: Contacts, against other: PreparedGeometry, _ frame: LocalFrame,
    into out: inout [PlanarSegment], _ rule: PieceRule
) {
    func emit(_ ring: [Position], from: Cut?, vertices: Range<Int>, to: Cut?, _ how: Int) {
        let m = ring.count - 1
        var previous = from?.point ?? ring[vertices.lowerBound % m]
        func add(_ q: Position) {
            if q == previous { return }
            let (s, t) = how > 0 ? (previous, q) : (q, previous)
            out.append(PlanarSegment(x0: frame.x(s), y0: frame.y(s), x1: frame.x(t), y1: frame.y(t)))
            previous = q
        }
        for j in vertices { add(ring[j % m]) }
        if let to { add(to.point) }
    }
    func side(_ p: Position) -> PieceSide {
        switch other.locate(p) {
        case .inside: .inside
        case .outside: .outside
        case .boundary: .boundary
        }
    }
    for r in g.rings.indices {
        let ring = g.rings[r]
        let m = ring.count - 1
        let cuts = contacts.sortedCuts(r)
        if cuts.isEmpty {
            // Untouched by the other boundary: the whole ring is on one side. Its first vertex is
            // not on the other boundary, or it would have been cut there.
            let how = rule.use(side(ring[0]))
            if how != 0 { emit(ring, from: nil, vertices: 0..<(m + 1), to: nil, how) }
            continue
        }
        for k in cuts.indices {
            let start = cuts[k], end = cuts[(k + 1) % cuts.count]
            let endS = k + 1 < cuts.count ? end.s : end.s + Double(m)
            let edge = Int(start.s)
            // The piece is judged on one of its first two sub-segments, the longer: a crossing a
            // hair before a vertex leaves a first sub-segment too short for a reliable `locate`.
            var from = start.point, to = end.point, onEdge = edge, t0 = start.s - Double(edge), t1 = endS - Double(edge)
            if Double(edge + 1) < endS {
                to = ring[(edge + 1) % m]
                t1 = 1
                let next = Double(edge + 2) < endS ? ring[(edge + 2) % m] : end.point
                if squaredLength(to, next) > squaredLength(from, to) {
                    (from, to, onEdge, t0) = (to, next, edge + 1, 0)
                    t1 = Double(edge + 2) < endS ? 1 : endS - Double(edge + 1)
                }
            }
            let pieceSide: PieceSide
            if let stretch = contacts.stretch(ring: r, edge: onEdge % m, containing: (t0 + t1) / 2) {
                pieceSide = stretch.sameWay ? .sameWay : .oppositeWay
            } else {
                pieceSide = side(Position(lon: (from.lon + to.lon) / 2, lat: (from.lat + to.lat) / 2))
            }
            let how = rule.use(pieceSide)
            guard how != 0 else { continue }
            // Vertices strictly after the start cut and strictly before the end cut.
            let last = Int(endS.rounded(.up)) - 1
            emit(ring, from: start, vertices: (edge + 1)..<Swift.max(edge + 1, last + 1), to: end, how)
        }
    }
}

// MARK: - Slivers

/// Lattice cells used at most to tell slivers from real overlap; bounds the cost per pair.
let maxLatticeCells = 16_384

/// Estimates the area of the region bounded by `segments` after a morphological opening by a
/// disk of `radius` metres, i.e. without the parts thinner than `2 × radius`.
///
/// Cells are at most half the radius (coarser only for regions too large for the cell budget,
/// where slivers are a small share anyway). A cell centre is kept by erosion when it lies at
/// least `radius` from the boundary; the opening is the inside cells within about `radius` of a
/// kept one. The exact `rawArea` is scaled by the share of inside cells that survive. With
/// `stopAbove`, returns as soon as the eroded cells alone exceed it (the opening only adds).
func openedArea(_ segments: [PlanarSegment], radius d: Double, rawArea: Double, stopAbove: Double?) -> Double {
    guard d > 0 else { return rawArea }
    var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
    for s in segments {
        minX = Swift.min(minX, s.x0, s.x1)
        maxX = Swift.max(maxX, s.x0, s.x1)
        minY = Swift.min(minY, s.y0, s.y1)
        maxY = Swift.max(maxY, s.y0, s.y1)
    }
    let w = maxX - minX, h = maxY - minY
    // Every point of a region narrower than 2 × radius is within radius of its boundary.
    guard w >= 2 * d, h >= 2 * d, w.isFinite, h.isFinite, rawArea > 0 else { return 0 }
    let cell = Swift.max(d / 2, (w * h / Double(maxLatticeCells)).squareRoot(), Swift.max(w, h) / Double(maxLatticeCells))
    let cols = Swift.max(1, Int((w / cell).rounded(.up))), rows = Swift.max(1, Int((h / cell).rounded(.up)))
    var inside = [Bool](repeating: false, count: cols * rows)
    var insideCount = 0
    var eroded: [Int] = []
    var crossings: [Double] = [], near: [PlanarSegment] = []
    for r in 0..<rows {
        let y = minY + (Double(r) + 0.5) * cell
        crossings.removeAll(keepingCapacity: true)
        for s in segments where (s.y0 > y) != (s.y1 > y) {
            let x = s.x0 + (y - s.y0) * (s.x1 - s.x0) / (s.y1 - s.y0)
            // Insertion keeps the handful of crossings of a row sorted without a generic sort.
            var k = crossings.count
            crossings.append(x)
            while k > 0 && crossings[k - 1] > x {
                crossings[k] = crossings[k - 1]
                k -= 1
            }
            crossings[k] = x
        }
        near.removeAll(keepingCapacity: true)
        var nearReady = false
        var k = 0
        while k + 1 < crossings.count {
            let lo = crossings[k], hi = crossings[k + 1]
            k += 2
            let c0 = Swift.max(0, Int(((lo - minX) / cell - 0.5).rounded(.up)))
            let c1 = Swift.min(cols - 1, Int(((hi - minX) / cell - 0.5).rounded(.down)))
            guard c0 <= c1 else { continue }
            for c in c0...c1 {
                inside[r * cols + c] = true
            }
            insideCount += c1 - c0 + 1
            // A cell can only be far from the boundary if it is far from the crossings on its own
            // row; slivers never get past this test, so they never pay for the edge scan.
            guard hi - lo >= 2 * d else { continue }
            if !nearReady {
                for s in segments where Swift.min(s.y0, s.y1) <= y + d && Swift.max(s.y0, s.y1) >= y - d { near.append(s) }
                nearReady = true
            }
            for c in c0...c1 {
                let x = minX + (Double(c) + 0.5) * cell
                if x - lo >= d, hi - x >= d, isFar(x, y, from: near, by: d) { eroded.append(r * cols + c) }
            }
        }
        if let stopAbove, Double(eroded.count) * cell * cell > stopAbove { return Double(eroded.count) * cell * cell }
    }
    guard !eroded.isEmpty, insideCount > 0 else { return 0 }
    // A cell counts as reached when its centre is within half a cell of the disk, i.e. when a fair
    // share of it is; on coarse lattices (cell > radius) this keeps the rim of thick regions.
    let reachDistance = d + cell / 2
    let reach = Int((reachDistance / cell).rounded(.down))
    var opened = [Bool](repeating: false, count: cols * rows)
    var openedCount = 0
    for i in eroded {
        let r = i / cols, c = i % cols
        for dr in -reach...reach {
            for dc in -reach...reach where Double(dr * dr + dc * dc) * cell * cell <= reachDistance * reachDistance {
                let rr = r + dr, cc = c + dc
                guard rr >= 0, rr < rows, cc >= 0, cc < cols else { continue }
                let n = rr * cols + cc
                if inside[n] && !opened[n] {
                    opened[n] = true
                    openedCount += 1
                }
            }
        }
    }
    return rawArea * Double(openedCount) / Double(insideCount)
}

/// Whether (x, y) is at least `d` from every segment.
private func isFar(_ x: Double, _ y: Double, from segments: [PlanarSegment], by d: Double) -> Bool {
    let d2 = d * d
    for s in segments {
        let dx = s.x1 - s.x0, dy = s.y1 - s.y0
        let len2 = dx * dx + dy * dy
        let t = len2 > 0 ? Swift.min(1, Swift.max(0, ((x - s.x0) * dx + (y - s.y0) * dy) / len2)) : 0
        let ex = s.x0 + t * dx - x, ey = s.y0 + t * dy - y
        if ex * ex + ey * ey < d2 { return false }
    }
    return true
}
