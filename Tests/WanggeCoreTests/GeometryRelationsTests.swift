import Foundation
import Testing
@testable import WanggeCore

/// Shapes laid out in metres around a point in Guiyang (106.7°E, 26.6°N), converted to degrees
/// with the same local scale the relations use, so that “0.5 m” in a test is 0.5 m to them.
enum TestShapes {
    static let lon0 = 106.7
    static let lat0 = 26.6
    static let metersPerLat = 111_320.0
    static let metersPerLon = 111_320.0 * cos(lat0 * .pi / 180)

    /// The position `x` metres east and `y` metres north of the origin.
    static func at(_ x: Double, _ y: Double) -> Position {
        Position(lon: lon0 + x / metersPerLon, lat: lat0 + y / metersPerLat)
    }

    /// A closed ring through the given points (metres).
    static func ring(_ points: [(Double, Double)]) -> [Position] {
        let ring = points.map { at($0.0, $0.1) }
        return ring + [ring[0]]
    }

    /// A counter-clockwise rectangle (metres).
    static func rect(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Position] {
        ring([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    }

    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> Geometry {
        .polygon(Polygon(rings: [rect(x0, y0, x1, y1)]))
    }

    static func polygon(_ rings: [Position]...) -> Geometry { .polygon(Polygon(rings: rings)) }
}

private typealias S = TestShapes

@Suite("Geometry relations")
struct GeometryRelationsTests {
    let tolerance = GeoTolerance.standard

    @Test func standardTolerance() {
        #expect(GeoTolerance.standard == GeoTolerance(distanceMeters: 1, overlapSquareMeters: 10))
    }

    @Test func areaInSquareMetres() {
        #expect(abs(S.box(0, 0, 100, 100).areaSquareMeters - 10_000) < 10)
        let withHole = S.polygon(S.rect(0, 0, 100, 100), S.rect(20, 20, 40, 40).reversed())
        #expect(abs(withHole.areaSquareMeters - 9_600) < 10)
        let two = Geometry.multiPolygon([Polygon(rings: [S.rect(0, 0, 10, 10)]), Polygon(rings: [S.rect(20, 0, 50, 10)])])
        #expect(abs(two.areaSquareMeters - 400) < 1)
        // Orientation of the input does not change the area.
        #expect(abs(S.polygon(S.rect(0, 0, 100, 50).reversed()).areaSquareMeters - 5_000) < 5)
    }

    // MARK: within

    @Test func childInsideParent() {
        let parent = S.box(0, 0, 400, 300)
        #expect(isWithin(S.box(100, 100, 200, 200), parent, tolerance: tolerance))
        #expect(isWithin(parent, parent, tolerance: tolerance))
    }

    @Test func childAlongTheParentsBoundary() {
        let parent = S.box(0, 0, 400, 300)
        #expect(isWithin(S.box(0, 0, 100, 100), parent, tolerance: tolerance))
        #expect(isWithin(S.box(0, 100, 400, 200), parent, tolerance: tolerance))
        // The parent has extra vertices where the child has none, and the other way round.
        let dense = S.polygon(S.ring([(0, 0), (100, 0), (200, 0), (400, 0), (400, 300), (0, 300)]))
        #expect(isWithin(S.polygon(S.ring([(0, 0), (50, 0), (150, 0), (150, 80), (0, 80)])), dense, tolerance: tolerance))
    }

    @Test func childVertexWithinToleranceOutside() {
        let parent = S.box(0, 0, 400, 300)
        let child = S.polygon(S.ring([(300, 100), (400.6, 150), (300, 200)]))
        #expect(isWithin(child, parent, tolerance: tolerance))
    }

    @Test func childTracedAlongTheParentWithNoise() {
        // The parent's east edge is x = 400; the child's copy of it wanders ±0.6 m.
        let parent = S.box(0, 0, 400, 300)
        let child = S.polygon(S.ring([(250, 0), (400.4, 0), (399.5, 60), (400.6, 120), (399.7, 180), (400.5, 240), (400, 300), (250, 300)]))
        #expect(overlayArea(PreparedGeometry(child), PreparedGeometry(parent), .difference) > 0)
        #expect(isWithin(child, parent, tolerance: tolerance))
        #expect(!isWithin(child, parent, tolerance: GeoTolerance(distanceMeters: 0.1, overlapSquareMeters: 1)))
    }

    @Test func childPartlyOutside() {
        let parent = S.box(0, 0, 400, 300)
        #expect(!isWithin(S.box(350, 100, 450, 200), parent, tolerance: tolerance))
        #expect(!isWithin(S.polygon(S.ring([(300, 100), (420, 150), (300, 200)])), parent, tolerance: tolerance))
        #expect(!isWithin(S.box(-5, 0, 100, 100), parent, tolerance: tolerance))
    }

    @Test func childOutsideAltogether() {
        let parent = S.box(0, 0, 400, 300)
        #expect(!isWithin(S.box(500, 0, 600, 100), parent, tolerance: tolerance))
        #expect(!isWithin(S.box(400, 0, 500, 100), parent, tolerance: tolerance))
        // Tiny, yet entirely outside: still not within.
        #expect(!isWithin(S.box(401, 10, 403, 12), parent, tolerance: tolerance))
    }

    @Test func childCoveringAHoleOfTheParent() {
        let parent = S.polygon(S.rect(0, 0, 400, 300), S.rect(100, 100, 200, 200).reversed())
        #expect(!isWithin(S.box(50, 50, 250, 250), parent, tolerance: tolerance))
        #expect(!isWithin(S.box(120, 120, 180, 180), parent, tolerance: tolerance))
        #expect(isWithin(S.box(200, 100, 300, 200), parent, tolerance: tolerance))
    }

    @Test func childCrossingANotchOfAConcaveParent() {
        // A U-shaped parent; the child's vertices are all inside, but its top edge spans the notch.
        let parent = S.polygon(S.ring([(0, 0), (300, 0), (300, 300), (200, 300), (200, 100), (100, 100), (100, 300), (0, 300)]))
        #expect(!isWithin(S.polygon(S.ring([(50, 50), (250, 50), (250, 250), (50, 250)])), parent, tolerance: tolerance))
        #expect(isWithin(S.polygon(S.ring([(50, 50), (250, 50), (250, 90), (50, 90)])), parent, tolerance: tolerance))
    }

    @Test func multiPolygonParent() {
        let parent = Geometry.multiPolygon([Polygon(rings: [S.rect(0, 0, 100, 100)]), Polygon(rings: [S.rect(200, 0, 300, 100)])])
        #expect(isWithin(S.box(210, 10, 290, 90), parent, tolerance: tolerance))
        #expect(!isWithin(S.box(50, 10, 250, 90), parent, tolerance: tolerance))
    }

    // MARK: overlap

    @Test func neighboursSharingAnEdgeDoNotOverlap() {
        let a = S.box(0, 0, 100, 100), b = S.box(100, 0, 200, 100)
        #expect(!overlapsBeyondTolerance(a, b, tolerance: tolerance))
        #expect(overlapArea(a, b, tolerance: tolerance) == 0)
        // Corner contact only.
        #expect(!overlapsBeyondTolerance(a, S.box(100, 100, 200, 200), tolerance: tolerance))
    }

    @Test func sharedEdgeWithDifferentVertices() {
        let a = S.polygon(S.ring([(0, 0), (100, 0), (100, 30), (100, 70), (100, 100), (0, 100)]))
        let b = S.polygon(S.ring([(100, -50), (200, -50), (200, 150), (100, 150), (100, 50)]))
        #expect(!overlapsBeyondTolerance(a, b, tolerance: tolerance))
        #expect(overlapArea(a, b, tolerance: tolerance) == 0)
    }

    @Test func noisySharedEdgeWithinToleranceDoesNotOverlap() {
        // Both sides digitised the boundary x = 100 separately, wandering up to 0.5 m each way.
        let a = S.polygon(S.ring([(0, 0), (100, 0), (100.5, 40), (99.6, 80), (100.4, 120), (99.5, 160), (100.3, 200), (100, 240), (0, 240)]))
        let b = S.polygon(S.ring([(100, 0), (200, 0), (200, 240), (100, 240), (99.5, 220), (100.5, 180), (99.6, 140), (100.5, 100), (99.5, 60), (100.4, 20)]))
        let raw = overlayArea(PreparedGeometry(a), PreparedGeometry(b), .intersection)
        #expect(raw > tolerance.overlapSquareMeters, "the slivers alone exceed the area tolerance")
        #expect(!overlapsBeyondTolerance(a, b, tolerance: tolerance))
        #expect(overlapArea(a, b, tolerance: tolerance) == 0)
    }

    @Test func crossingRectanglesOverlap() {
        let horizontal = S.box(0, 40, 100, 60), vertical = S.box(40, 0, 60, 100)
        #expect(overlapsBeyondTolerance(horizontal, vertical, tolerance: tolerance))
        let area = overlapArea(horizontal, vertical, tolerance: tolerance)
        #expect(abs(area - 400) < 8, "\(area)")
        #expect(abs(overlayArea(PreparedGeometry(horizontal), PreparedGeometry(vertical), .intersection) - 400) < 0.5)
    }

    @Test func identicalGridsOverlap() {
        let a = S.polygon(S.ring([(0, 0), (120, 0), (150, 90), (60, 140), (0, 100)]))
        #expect(overlapsBeyondTolerance(a, a, tolerance: tolerance))
        let reversed = Geometry.polygon(Polygon(rings: [a.polygons[0].outer.reversed()]))
        #expect(overlapsBeyondTolerance(a, reversed, tolerance: tolerance))
        #expect(abs(overlapArea(a, a, tolerance: tolerance) - a.areaSquareMeters) < 0.02 * a.areaSquareMeters)
    }

    @Test func nestedGridsOverlap() {
        let outer = S.box(0, 0, 300, 300), inner = S.box(100, 100, 150, 150)
        #expect(overlapsBeyondTolerance(outer, inner, tolerance: tolerance))
        #expect(overlapsBeyondTolerance(inner, outer, tolerance: tolerance))
        #expect(abs(overlapArea(outer, inner, tolerance: tolerance) - 2_500) < 50)
        // Nested and touching the outer boundary.
        #expect(overlapsBeyondTolerance(outer, S.box(0, 0, 50, 50), tolerance: tolerance))
    }

    @Test func partialOverlaps() {
        let a = S.box(0, 0, 100, 100)
        #expect(overlapsBeyondTolerance(a, S.box(90, 0, 200, 100), tolerance: tolerance))
        #expect(overlapsBeyondTolerance(a, S.box(50, 50, 150, 150), tolerance: tolerance))
        // A 1.5 m band is a sliver however long; a 5 m × 5 m corner is not.
        #expect(!overlapsBeyondTolerance(a, S.box(98.5, 0, 200, 100), tolerance: tolerance))
        #expect(overlapsBeyondTolerance(a, S.box(95, 95, 200, 200), tolerance: tolerance))
        // A 3 m × 3 m corner is thick but under 10 m².
        #expect(!overlapsBeyondTolerance(a, S.box(97, 97, 200, 200), tolerance: tolerance))
    }

    @Test func boxesMeetButShapesDoNot() {
        let l = S.polygon(S.ring([(0, 0), (100, 0), (100, 20), (20, 20), (20, 100), (0, 100)]))
        #expect(!overlapsBeyondTolerance(l, S.box(30, 30, 90, 90), tolerance: tolerance))
        #expect(!overlapsBeyondTolerance(S.box(0, 0, 10, 10), S.box(20, 20, 30, 30), tolerance: tolerance))
    }

    @Test func holesAreNotOverlap() {
        let ring = S.polygon(S.rect(0, 0, 300, 300), S.rect(100, 100, 200, 200).reversed())
        #expect(!overlapsBeyondTolerance(ring, S.box(100, 100, 200, 200), tolerance: tolerance))
        #expect(overlapsBeyondTolerance(ring, S.box(90, 90, 200, 200), tolerance: tolerance))
    }

    @Test func customTolerance() {
        let horizontal = S.box(0, 40, 100, 60), vertical = S.box(40, 0, 60, 100)
        #expect(!overlapsBeyondTolerance(horizontal, vertical, tolerance: GeoTolerance(distanceMeters: 1, overlapSquareMeters: 500)))
        // A 10 m wide overlap is a sliver for a 6 m distance tolerance.
        #expect(!overlapsBeyondTolerance(S.box(0, 0, 100, 100), S.box(90, 0, 200, 100),
                                         tolerance: GeoTolerance(distanceMeters: 6, overlapSquareMeters: 10)))
    }

    @Test func unvalidatedInputDoesNotTrap() {
        let square = S.box(0, 0, 100, 100)
        let empty = Geometry.polygon(Polygon(rings: []))
        let open = Geometry.polygon(Polygon(rings: [Array(S.rect(10, 10, 50, 50).dropLast())]))
        let repeated = S.polygon([S.at(10, 10), S.at(50, 10), S.at(50, 10), S.at(50, 50), S.at(10, 10)])
        let nan = Geometry.polygon(Polygon(rings: [[S.at(0, 0), Position(lon: .nan, lat: 26.6), S.at(5, 5), S.at(0, 0)]]))
        let infinite = Geometry.polygon(Polygon(rings: [[S.at(0, 0), Position(lon: .infinity, lat: 26.6), S.at(5, 5), S.at(0, 0)]]))
        let degenerate = [empty, .multiPolygon([]), open, repeated, nan, infinite, S.polygon([S.at(0, 0), S.at(1, 1), S.at(0, 0)])]
        for g in degenerate {
            _ = isWithin(g, square, tolerance: tolerance)
            _ = isWithin(square, g, tolerance: tolerance)
            _ = overlapsBeyondTolerance(g, square, tolerance: tolerance)
            _ = overlapArea(square, g, tolerance: tolerance)
            _ = g.areaSquareMeters
        }
        // Closing an open ring, or skipping a repeated vertex, does not change the answer.
        #expect(isWithin(open, square, tolerance: tolerance))
        #expect(isWithin(repeated, square, tolerance: tolerance))
        #expect(overlapsBeyondTolerance(open, square, tolerance: tolerance))
        #expect(!isWithin(empty, square, tolerance: tolerance))
    }

    /// Skylines on a 10 m lattice: a polygon standing on y = 0 with column heights `up`, and one
    /// hanging from y = 100 m down to `down`. They share vertices, run along each other and touch
    /// at corners all the time, and the exact overlap is easy to count column by column.
    @Test func overlayMatchesColumnCountingOnRandomSkylines() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<150 {
            let columns = Int.random(in: 2...7, using: &rng)
            let shift = Int.random(in: -2...2, using: &rng)
            let up = (0..<columns).map { _ in Int.random(in: 1...10, using: &rng) }
            let down = (0..<columns).map { _ in Int.random(in: 0...9, using: &rng) }
            let a = skyline(x0: 0, base: 0, heights: up)
            let b = skyline(x0: shift, base: 10, heights: down.map { $0 - 10 })
            var common = 0
            for x in 0..<columns {
                let k = x - shift
                if k >= 0 && k < columns { common += Swift.max(0, up[x] - down[k]) }
            }
            let expected = Double(common) * 100
            let pa = PreparedGeometry(a), pb = PreparedGeometry(b)
            let intersection = overlayArea(pa, pb, .intersection)
            #expect(abs(intersection - expected) < 0.5, "up \(up) down \(down) shift \(shift)")
            #expect(abs(overlayArea(pb, pa, .intersection) - expected) < 0.5)
            #expect(abs(overlayArea(pa, pb, .difference) - (a.areaSquareMeters - expected)) < 0.5)
            #expect(abs(overlayArea(pb, pa, .difference) - (b.areaSquareMeters - expected)) < 0.5)
            #expect(overlapsBeyondTolerance(a, b, tolerance: tolerance) == (expected > 10))
        }
    }

    /// Random star-shaped polygons in general position (crossings everywhere), against a
    /// lattice count of points inside both.
    @Test func overlayMatchesSamplingOnRandomStars() {
        var rng = SeededRandom(seed: 11)
        func star(_ cx: Double, _ cy: Double) -> Geometry {
            let n = Int.random(in: 4...12, using: &rng)
            let angles = (0..<n).map { _ in Double.random(in: 0..<(2 * .pi), using: &rng) }.sorted()
            let points = angles.map { t -> (Double, Double) in
                let r = Double.random(in: 20...100, using: &rng)
                return (cx + r * cos(t), cy + r * sin(t))
            }
            return TestShapes.polygon(TestShapes.ring(points))
        }
        var checked = 0
        while checked < 25 {
            let a = star(0, 0), b = star(Double.random(in: -60...60, using: &rng), Double.random(in: -60...60, using: &rng))
            guard (try? a.validate()) != nil, (try? b.validate()) != nil else { continue }
            checked += 1
            let exact = overlayArea(PreparedGeometry(a), PreparedGeometry(b), .intersection)
            var hits = 0
            let n = 100, cell = 3.2
            for i in 0..<n {
                for j in 0..<n {
                    let p = TestShapes.at(-160 + (Double(i) + 0.5) * cell, -160 + (Double(j) + 0.5) * cell)
                    if a.contains(lon: p.lon, lat: p.lat) && b.contains(lon: p.lon, lat: p.lat) { hits += 1 }
                }
            }
            let sampled = Double(hits) * cell * cell
            #expect(abs(exact - sampled) < 0.03 * a.areaSquareMeters + 60, "exact \(exact) sampled \(sampled)")
            let difference = overlayArea(PreparedGeometry(a), PreparedGeometry(b), .difference)
            #expect(abs(difference + exact - a.areaSquareMeters) < 0.5)
        }
    }

    /// The skyline over columns `x0 ..< x0 + heights.count` (10 m each) between `base` and
    /// `base + height` (in lattice units; negative heights hang below the base).
    private func skyline(x0: Int, base: Int, heights: [Int]) -> Geometry {
        var points = [(x0, base), (x0 + heights.count, base)]
        for (k, h) in heights.enumerated().reversed() {
            points.append((x0 + k + 1, base + h))
            points.append((x0 + k, base + h))
        }
        var ring: [(Int, Int)] = []
        for p in points where ring.last.map({ $0 != p }) ?? true { ring.append(p) }
        // Drop points in the middle of a straight run, so that the ring has no repeated or
        // collinear vertices.
        let corners = ring.indices.filter { k in
            let prev = ring[(k + ring.count - 1) % ring.count], p = ring[k], next = ring[(k + 1) % ring.count]
            return !((prev.0 == p.0 && p.0 == next.0) || (prev.1 == p.1 && p.1 == next.1))
        }
        let geometry = TestShapes.polygon(TestShapes.ring(corners.map { (Double(ring[$0].0) * 10, Double(ring[$0].1) * 10) }))
        #expect(throws: Never.self) { try geometry.validate() }
        return geometry
    }
}
