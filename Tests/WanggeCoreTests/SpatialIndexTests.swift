import Testing
@testable import WanggeCore

private func code(_ s: String) -> GridCode { try! GridCode(s) }

private func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Position] {
    [Position(lon: x0, lat: y0), Position(lon: x1, lat: y0), Position(lon: x1, lat: y1), Position(lon: x0, lat: y1), Position(lon: x0, lat: y0)]
}

private func grid(_ c: String, _ rings: [Position]...) -> Grid {
    let gc = code(c)
    return Grid(code: gc, parent: nil, name: c, type: gc.level == .grid ? .estate : .urban,
                boundary: .polygon(Polygon(rings: rings)))
}

/// The rule `SpatialIndex.locate` promises, by scanning every grid with `Geometry.locate`.
///
/// With `boxes`, grids whose box widened by 1e-9° misses the point are skipped: for closed rings the
/// crossing test cannot place a point more than a few ulps outside the ring's extent, and the
/// scan would otherwise make the debug-build test slow.
private func bruteForce(_ grids: [Grid], _ x: Double, _ y: Double, boxes: [BoundingBox]? = nil) -> GridCode? {
    var best: (depth: Int, inside: Bool, code: GridCode)?
    for (n, g) in grids.enumerated() {
        guard let boundary = g.boundary else { continue }
        if let b = boxes?[n] {
            guard x >= b.minLon - 1e-9, x <= b.maxLon + 1e-9, y >= b.minLat - 1e-9, y <= b.maxLat + 1e-9 else { continue }
        }
        let location = boundary.locate(lon: x, lat: y)
        guard location != .outside else { continue }
        let candidate = (depth: g.level.depth, inside: location == .inside, code: g.code)
        guard let current = best else {
            best = candidate
            continue
        }
        if candidate.depth != current.depth {
            if candidate.depth > current.depth { best = candidate }
        } else if candidate.inside != current.inside {
            if candidate.inside { best = candidate }
        } else if candidate.code < current.code {
            best = candidate
        }
    }
    return best?.code
}

/// Deterministic pseudo-random numbers (SplitMix64), so failures can be replayed.
private struct Mixer: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func hash(_ values: Int...) -> UInt64 {
        var m = Mixer(state: 0x5EED)
        for v in values { m.state ^= UInt64(bitPattern: Int64(v)) &* 0x100_0000_01B3; _ = m.next() }
        return m.next()
    }

    static func unit(_ values: Int...) -> Double {
        var m = Mixer(state: 0x5EED)
        for v in values { m.state ^= UInt64(bitPattern: Int64(v)) &* 0x100_0000_01B3; _ = m.next() }
        return Double(m.next() >> 11) / Double(1 << 53)
    }
}

/// A city tiled down to unit grids over a jittered lattice. Neighbours share their edges
/// vertex for vertex, every ancestor's ring is the outline of its cells (so it has many
/// vertices), about half the lattice edges are axis-aligned, some unit grids are left out to
/// make gaps, and each township has two special grids over its unit grids: one with a hole,
/// one a MultiPolygon.
private struct TiledCity {
    var grids: [Grid] = []
    let box: BoundingBox
    private let step = 0.004
    private let origin = Position(lon: 116.8, lat: 36.4)

    /// `split` gives columns × rows of children at each level: counties in the city,
    /// townships in a county, communities in a township, unit grids in a community.
    init(split: [(Int, Int)], dropOneIn: Int) {
        let cols = split.map(\.0).reduce(1, *)
        let rows = split.map(\.1).reduce(1, *)
        box = BoundingBox(minLon: origin.lon, minLat: origin.lat,
                          maxLon: origin.lon + Double(cols) * step, maxLat: origin.lat + Double(rows) * step)
        add(code: "370100000000", parent: nil, depth: 0, split: split, i0: 0, j0: 0, dropOneIn: dropOneIn)
    }

    private func point(_ i: Int, _ j: Int) -> Position {
        let p = Position(lon: origin.lon + Double(i) * step, lat: origin.lat + Double(j) * step)
        guard !straight(i, j) else { return p }
        return Position(lon: p.lon + (Mixer.unit(i, j, 1) - 0.5) * 0.3 * step,
                        lat: p.lat + (Mixer.unit(i, j, 2) - 0.5) * 0.3 * step)
    }

    private func straight(_ i: Int, _ j: Int) -> Bool { Mixer.hash(i, j, 0) % 2 == 0 }

    /// Points strictly between lattice points (i, j) and its right (or upper) neighbour.
    private func between(_ i: Int, _ j: Int, horizontal: Bool) -> [Position] {
        let (a, b) = (point(i, j), horizontal ? point(i + 1, j) : point(i, j + 1))
        let axisAligned = horizontal ? a.lat == b.lat : a.lon == b.lon
        let k = Int(Mixer.hash(i, j, horizontal ? 3 : 4) % 9)
        return (0..<k).map { s in
            let t = Double(s + 1) / Double(k + 1)
            var p = Position(lon: a.lon + (b.lon - a.lon) * t, lat: a.lat + (b.lat - a.lat) * t)
            if !axisAligned {
                let wobble = (Mixer.unit(i, j, horizontal ? 5 : 6, s) - 0.5) * 0.06 * step
                if horizontal { p.lat += wobble } else { p.lon += wobble }
            }
            return p
        }
    }

    /// The counter-clockwise outline of cells [i0, i1) × [j0, j1).
    func outline(_ i0: Int, _ j0: Int, _ i1: Int, _ j1: Int) -> [Position] {
        var ring: [Position] = []
        for i in i0..<i1 { ring.append(point(i, j0)); ring += between(i, j0, horizontal: true) }
        for j in j0..<j1 { ring.append(point(i1, j)); ring += between(i1, j, horizontal: false) }
        for i in stride(from: i1, to: i0, by: -1) { ring.append(point(i, j1)); ring += between(i - 1, j1, horizontal: true).reversed() }
        for j in stride(from: j1, to: j0, by: -1) { ring.append(point(i0, j)); ring += between(i0, j - 1, horizontal: false).reversed() }
        ring.append(ring[0])
        return ring
    }

    private mutating func add(code raw: String, parent: GridCode?, depth: Int, split: [(Int, Int)], i0: Int, j0: Int, dropOneIn: Int) {
        let c = try! GridCode(raw)
        let cols = split[depth...].map(\.0).reduce(1, *)
        let rows = split[depth...].map(\.1).reduce(1, *)
        grids.append(Grid(code: c, parent: parent, name: raw, type: depth == 4 ? .estate : .urban,
                          boundary: .polygon(Polygon(rings: [outline(i0, j0, i0 + cols, j0 + rows)]))))
        guard depth < 4 else { return }
        let (sx, sy) = split[depth]
        let (cw, ch) = (cols / sx, rows / sy)
        if depth == 2 { addSpecials(township: c, i0: i0, j0: j0, cols: cols, rows: rows) }
        for b in 0..<sy {
            for a in 0..<sx {
                let n = b * sx + a + 1
                let child: String
                switch depth {
                case 0: child = "3701" + String(format2: n) + "000000"
                case 1: child = String(raw.prefix(6)) + String(format3: n) + "000"
                default: child = String(raw.prefix(depth == 2 ? 9 : 12)) + String(format3: n)
                }
                if depth == 3, dropOneIn > 0, Mixer.hash(i0 + a * cw, j0 + b * ch, 7) % UInt64(dropOneIn) == 0 { continue }
                add(code: child, parent: c, depth: depth + 1, split: split, i0: i0 + a * cw, j0: j0 + b * ch, dropOneIn: dropOneIn)
            }
        }
    }

    private mutating func addSpecials(township: GridCode, i0: Int, j0: Int, cols: Int, rows: Int) {
        let cx = origin.lon + (Double(i0) + Double(cols) / 2) * step
        let cy = origin.lat + (Double(j0) + Double(rows) / 2) * step
        let s = step
        let base = String(township.value.prefix(12))
        grids.append(Grid(code: code(base + "001"), parent: township, name: "学校", type: .special, specialKind: .school,
                          boundary: .polygon(Polygon(rings: [rect(cx - 0.6 * s, cy - 0.6 * s, cx + 0.6 * s, cy + 0.6 * s),
                                                             rect(cx - 0.2 * s, cy - 0.2 * s, cx + 0.2 * s, cy + 0.2 * s)]))))
        grids.append(Grid(code: code(base + "002"), parent: township, name: "市场", type: .special, specialKind: .market,
                          boundary: .multiPolygon([
                              Polygon(rings: [rect(cx + 1.0 * s, cy, cx + 1.5 * s, cy + 0.5 * s)]),
                              Polygon(rings: [rect(cx - 1.5 * s, cy - 1.5 * s, cx - 1.0 * s, cy - 1.0 * s)]),
                          ])))
    }
}

private extension String {
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
    init(format3 n: Int) { self = String(repeating: "0", count: 3 - String(n).count) + String(n) }
}

@Suite("Spatial index: point to grid")
struct SpatialIndexTests {
    /// Community 370102001001 covers [0,10]²; its unit grids 001 [0,5]×[0,5], 002 [5,10]×[0,5],
    /// 003 [0,5]×[5,10], 004 [5,10]×[5,10] meet at (5,5); the township covers [0,20]×[0,10].
    private let quad: [Grid] = [
        grid("370102001000", rect(0, 0, 20, 10)),
        grid("370102001001", rect(0, 0, 10, 10)),
        grid("370102001001001", rect(0, 0, 5, 5)),
        grid("370102001001002", rect(5, 0, 10, 5)),
        grid("370102001001003", rect(0, 5, 5, 10)),
        grid("370102001001004", rect(5, 5, 10, 10)),
    ]

    @Test func deepestGridWins() {
        let index = SpatialIndex(grids: quad)
        #expect(index.count == 6)
        #expect(index.locate(lon: 2, lat: 2) == code("370102001001001"))
        #expect(index.locate(lon: 7.5, lat: 9.9) == code("370102001001004"))
        #expect(index.locate(lon: 15, lat: 5) == code("370102001000"))
        // On the corners of 002 and 004 only: both have it on the boundary, 002 is lower.
        #expect(index.locate(lon: 10, lat: 5) == code("370102001001002"))
    }

    @Test func sharedEdgeGoesToTheLowerCode() {
        let index = SpatialIndex(grids: quad)
        #expect(index.locate(lon: 5, lat: 2.5) == code("370102001001001"))
        #expect(index.locate(lon: 7.5, lat: 5) == code("370102001001002"))
        #expect(index.locate(lon: 5.000001, lat: 2.5) == code("370102001001002"))
    }

    @Test func vertexSharedByFourGridsGoesToTheLowestCode() {
        #expect(SpatialIndex(grids: quad).locate(lon: 5, lat: 5) == code("370102001001001"))
        #expect(SpatialIndex(grids: Array(quad.dropFirst(3))).locate(lon: 5, lat: 5) == code("370102001001002"))
    }

    @Test func insideBeatsBoundaryAtTheSameDepth() {
        let overlapping = [grid("370102001001001", rect(0, 0, 5, 5)), grid("370102001001009", rect(4, 4, 6, 6))]
        let index = SpatialIndex(grids: overlapping)
        #expect(index.locate(lon: 5, lat: 4.5) == code("370102001001009"))
        #expect(index.locate(lon: 4.5, lat: 4.5) == code("370102001001001"))
        #expect(index.locate(lon: 5, lat: 5) == code("370102001001009"))
        #expect(index.locate(lon: 4, lat: 4) == code("370102001001001"))
        #expect(index.locate(lon: 4, lat: 5) == code("370102001001001"))
    }

    @Test func gapBetweenChildrenFallsToTheParent() {
        let index = SpatialIndex(grids: quad.filter { $0.code.value != "370102001001004" })
        #expect(index.locate(lon: 7.5, lat: 7.5) == code("370102001001"))
        #expect(index.locate(lon: 7.5, lat: 5) == code("370102001001002"))
    }

    @Test func pointOnNoGridIsNil() {
        let index = SpatialIndex(grids: quad)
        #expect(index.locate(lon: -0.001, lat: 5) == nil)
        #expect(index.locate(lon: 25, lat: 25) == nil)
        #expect(index.locate(lon: .nan, lat: 5) == nil)
        #expect(SpatialIndex(grids: []).locate(lon: 0, lat: 0) == nil)
    }

    @Test func holeFallsToTheGridFillingIt() {
        let holed = grid("370102001001001", rect(0, 0, 6, 6), rect(2, 2, 4, 4))
        let filler = grid("370102001001002", rect(2, 2, 4, 4))
        let community = grid("370102001001", rect(0, 0, 10, 10))
        let full = SpatialIndex(grids: [community, holed, filler])
        #expect(full.locate(lon: 3, lat: 3) == code("370102001001002"))
        #expect(full.locate(lon: 1, lat: 1) == code("370102001001001"))
        // The hole's ring belongs to both grids; 001 is the lower code.
        #expect(full.locate(lon: 2, lat: 3) == code("370102001001001"))
        let unfilled = SpatialIndex(grids: [community, holed])
        #expect(unfilled.locate(lon: 3, lat: 3) == code("370102001001"))
        #expect(unfilled.locate(lon: 4, lat: 4) == code("370102001001001"))
        #expect(SpatialIndex(grids: [holed]).locate(lon: 3, lat: 3) == nil)
    }

    @Test func multipolygonMembersAreAllFound() {
        let two = Grid(code: code("370102001000001"), parent: nil, name: "园区", type: .special, specialKind: .park,
                       boundary: .multiPolygon([Polygon(rings: [rect(0, 0, 1, 1)]), Polygon(rings: [rect(50, 50, 51, 52)])]))
        let index = SpatialIndex(grids: [two, grid("370102001000", rect(0, 0, 100, 100))])
        #expect(index.locate(lon: 50.5, lat: 51.5) == code("370102001000001"))
        #expect(index.locate(lon: 0.5, lat: 0.5) == code("370102001000001"))
        #expect(index.locate(lon: 25, lat: 25) == code("370102001000"))
    }

    @Test func gridsWithoutBoundaryOrRingsAreHarmless() {
        var bare = grid("370102001001001", rect(0, 0, 1, 1))
        bare.boundary = nil
        var empty = grid("370102001001002", rect(0, 0, 1, 1))
        empty.boundary = .multiPolygon([Polygon(rings: [])])
        let index = SpatialIndex(grids: [bare, empty, grid("370102001001", rect(0, 0, 1, 1))])
        #expect(index.count == 2)
        #expect(index.locate(lon: 0.5, lat: 0.5) == code("370102001001"))
        #expect(index.candidates(in: BoundingBox(minLon: 0, minLat: 0, maxLon: 1, maxLat: 1)) == [code("370102001001")])
    }

    @Test func unclosedAndTinyRingsMatchGeometryLocate() {
        // Rings the validator would reject still get the same answers as Geometry.locate.
        let open = grid("370102001001001", [Position(lon: 0, lat: 0), Position(lon: 4, lat: 0), Position(lon: 4, lat: 4),
                                            Position(lon: 2, lat: 6)])
        let tiny = grid("370102001001002", [Position(lon: 0, lat: 0), Position(lon: 1, lat: 1), Position(lon: 0, lat: 0)])
        let grids = [open, tiny]
        let index = SpatialIndex(grids: grids)
        var rng = Mixer(state: 42)
        for _ in 0..<5_000 {
            let x = Double.random(in: -20...20, using: &rng), y = Double.random(in: -2...8, using: &rng)
            #expect(index.locate(lon: x, lat: y) == bruteForce(grids, x, y))
        }
        #expect(index.locate(lon: -100, lat: 3) == bruteForce(grids, -100, 3))
    }

    @Test func candidatesAreTheGridsWhoseBoxIntersects() {
        let index = SpatialIndex(grids: quad)
        #expect(index.candidates(in: BoundingBox(minLon: 6, minLat: 1, maxLon: 7, maxLat: 2)).map(\.value)
            == ["370102001000", "370102001001", "370102001001002"])
        #expect(index.candidates(in: BoundingBox(minLon: 5, minLat: 5, maxLon: 5, maxLat: 5)).count == 6)
        #expect(index.candidates(in: BoundingBox(minLon: 12, minLat: 1, maxLon: 30, maxLat: 2)).map(\.value) == ["370102001000"])
        #expect(index.candidates(in: BoundingBox(minLon: 30, minLat: 30, maxLon: 40, maxLat: 40)).isEmpty)
        #expect(index.candidates(in: .empty).isEmpty)
    }

    @Test func tiledCityMatchesBruteForce() {
        let city = TiledCity(split: [(2, 2), (2, 2), (2, 2), (4, 4)], dropOneIn: 9)
        let grids = city.grids
        #expect(grids.count > 1_000 && grids.count < 1_200)
        let index = SpatialIndex(grids: grids)
        #expect(index.count == grids.count)

        var points: [Position] = []
        // Every vertex and axis-aligned edge midpoint of half the unit grids (the other half
        // shares most of them), plus random points over and around the city.
        for (n, g) in grids.enumerated() where g.level == .grid && n % 2 == 0 {
            for polygon in g.boundary!.polygons {
                for ring in polygon.rings {
                    points += ring
                    for (a, b) in zip(ring, ring.dropFirst()) where a.lon == b.lon || a.lat == b.lat {
                        points.append(Position(lon: (a.lon + b.lon) / 2, lat: (a.lat + b.lat) / 2))
                    }
                }
            }
        }
        var rng = Mixer(state: 7)
        let b = city.box
        let (w, h) = (b.maxLon - b.minLon, b.maxLat - b.minLat)
        for _ in 0..<10_000 {
            points.append(Position(lon: Double.random(in: (b.minLon - 0.05 * w)...(b.maxLon + 0.05 * w), using: &rng),
                                   lat: Double.random(in: (b.minLat - 0.05 * h)...(b.maxLat + 0.05 * h), using: &rng)))
        }

        var mismatches: [String] = []
        var found: [GridLevel: Int] = [:]
        var onEdges = 0
        var misses = 0
        let boxes = grids.map { $0.boundary?.boundingBox ?? .empty }
        let byCode = Dictionary(uniqueKeysWithValues: grids.map { ($0.code, $0) })
        for p in points {
            let expected = bruteForce(grids, p.lon, p.lat, boxes: boxes)
            let got = index.locate(lon: p.lon, lat: p.lat)
            if got != expected, mismatches.count < 5 { mismatches.append("(\(p.lon), \(p.lat)): \(String(describing: got)) ≠ \(String(describing: expected))") }
            if let got { found[got.level, default: 0] += 1 } else { misses += 1 }
            if let got, let g = byCode[got], g.boundary!.locate(lon: p.lon, lat: p.lat) == .boundary { onEdges += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // The generated city must really exercise gaps, specials, boundaries and misses.
        #expect(found[.grid, default: 0] > 10_000)
        #expect(found[.community, default: 0] > 500)
        #expect(onEdges > 3_000)
        #expect(misses > 500)
        #expect(grids.filter { $0.type == .special }.count == 32)
    }
}
