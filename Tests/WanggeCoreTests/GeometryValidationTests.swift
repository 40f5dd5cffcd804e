import Foundation
import Testing
@testable import WanggeCore

/// A ring from (lon, lat) pairs exactly as given (not closed automatically).
private func positions(_ pairs: [(Double, Double)]) -> [Position] { pairs.map { Position(lon: $0.0, lat: $0.1) } }

/// A closed ring from (lon, lat) pairs.
private func loop(_ pairs: [(Double, Double)]) -> [Position] {
    let ring = positions(pairs)
    return ring + [ring[0]]
}

private func square(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> [Position] {
    loop([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
}

private func poly(_ rings: [Position]...) -> Geometry { .polygon(Polygon(rings: rings)) }

private func multi(_ polygons: [[Position]]...) -> Geometry { .multiPolygon(polygons.map { Polygon(rings: $0) }) }

/// The message of the error `validate()` throws, or nil when the geometry is valid.
private func problem(_ geometry: Geometry) -> String? {
    do throws(ValidationError) {
        try geometry.validate()
        return nil
    } catch {
        #expect(error.field == "geometry")
        return error.message
    }
}

/// A ring of `n` vertices on a circle of `radius` degrees around (106.7, 26.6), counter-clockwise.
private func circle(_ n: Int, radius: Double = 0.01) -> [Position] {
    let ring = (0..<n).map { k -> Position in
        let angle = 2 * Double.pi * Double(k) / Double(n)
        return Position(lon: 106.7 + radius * cos(angle), lat: 26.6 + radius * sin(angle))
    }
    return ring + [ring[0]]
}

@Suite("Geometry validation")
struct GeometryValidationTests {
    @Test func validShapes() {
        #expect(problem(poly(square(0, 0, 4, 4))) == nil)
        #expect(problem(poly(square(0, 0, 4, 4).reversed())) == nil)
        #expect(problem(poly(square(0, 0, 4, 4), square(1, 1, 2, 2))) == nil)
        // Holes may touch each other, and the outer ring, at a point.
        #expect(problem(poly(square(0, 0, 4, 4), square(1, 1, 2, 2), square(2, 2, 3, 3))) == nil)
        #expect(problem(poly(square(0, 0, 4, 4), loop([(0, 2), (1, 1), (1, 3)]))) == nil)
        // A concave ring and a triangle.
        #expect(problem(poly(loop([(0, 0), (4, 0), (4, 4), (3, 4), (3, 1), (1, 1), (1, 4), (0, 4)]))) == nil)
        #expect(problem(poly(loop([(0, 0), (1, 0), (0, 1)]))) == nil)
        // Members of a MultiPolygon may touch along an edge or at a corner.
        #expect(problem(multi([square(0, 0, 1, 1)], [square(1, 0, 2, 1)], [square(2, 1, 3, 2)])) == nil)
        #expect(problem(poly(TestShapes.rect(0, 0, 100, 100))) == nil)
    }

    @Test func tooFewPositions() {
        #expect(problem(poly(positions([(0, 0), (1, 0), (0, 0)]))) == "外环只有3个坐标点，至少需要4个(首尾两点相同)")
        #expect(problem(poly(square(0, 0, 4, 4), positions([(1, 1), (2, 1), (1, 1)]))) == "内环[1]只有3个坐标点，至少需要4个(首尾两点相同)")
        #expect(problem(poly()) == "多边形没有外环")
        #expect(problem(.multiPolygon([])) == "多重多边形(MultiPolygon)中没有任何多边形")
    }

    @Test func ringsMustBeClosed() {
        let open = positions([(0, 0), (1, 0), (1, 1), (0, 1)])
        #expect(problem(poly(open)) == "外环未闭合：首个坐标点(0.0, 0.0)与最后一个(0.0, 1.0)不同")
    }

    @Test func coordinatesMustBeFiniteWGS84() {
        #expect(problem(poly(loop([(0, 0), (181, 0), (1, 1)]))) == "外环的坐标点[1]经度181.0超出[-180, 180]")
        #expect(problem(poly(loop([(0, 0), (1, 0), (1, -90.5)]))) == "外环的坐标点[2]纬度-90.5超出[-90, 90]")
        #expect(problem(poly(loop([(0, 0), (.nan, 0), (1, 1)]))) == "外环的坐标点[1]不是有效数字")
        #expect(problem(poly(loop([(0, 0), (1, 0), (1, .infinity)]))) == "外环的坐标点[2]不是有效数字")
        // The edges of the range are valid.
        #expect(problem(poly(loop([(179, 89), (180, 89), (180, 90)]))) == nil)
    }

    @Test func repeatedVertices() {
        #expect(problem(poly(loop([(0, 0), (1, 0), (1, 0), (1, 1), (0, 1)])))
            == "外环的坐标点[2]与坐标点[1]重复(1.0, 0.0)；只有首尾两点可以相同")
        // A figure eight pinched at (1, 1).
        let pinched = loop([(0, 0), (1, 1), (2, 0), (2, 2), (1, 1), (0, 2)])
        #expect(problem(poly(pinched))?.hasPrefix("外环的坐标点[4]与坐标点[1]重复") == true)
    }

    @Test func zeroArea() {
        #expect(problem(poly(loop([(0, 0), (1, 1), (2, 2)]))) == "外环面积为零(所有坐标点在一条直线上)")
        #expect(problem(poly(square(0, 0, 4, 4), loop([(1, 1), (2, 1), (3, 1)]))) == "内环[1]面积为零(所有坐标点在一条直线上)")
    }

    @Test func selfIntersection() {
        let bowtie = loop([(0, 0), (2, 2), (2, 0), (0, 2)])
        #expect(problem(poly(bowtie)) == "外环自相交：坐标点[0]–[1]的边与坐标点[2]–[3]的边相交或相接")
        // A vertex touching a non-adjacent edge.
        let touching = loop([(0, 0), (4, 0), (4, 4), (2, 0.0), (0, 4)])
        #expect(problem(poly(touching))?.hasPrefix("外环自相交") == true)
        // Two adjacent edges folding back over each other at the tip (4, 6).
        let spike = loop([(0, 0), (4, 0), (4, 4), (4, 6), (4, 5), (0, 4)])
        #expect(problem(poly(spike)) == "外环在坐标点[3]处折返，相邻两条边重叠(自相交)")
    }

    @Test func holesMustLieInsideTheOuterRing() {
        #expect(problem(poly(square(0, 0, 4, 4), square(5, 5, 6, 6))) == "内环[1]不完全在外环之内")
        #expect(problem(poly(square(0, 0, 4, 4), square(1, 1, 2, 2), square(3, 3, 5, 5))) == "内环[2]不完全在外环之内")
        // A hole filling the whole polygon.
        #expect(problem(poly(square(0, 0, 4, 4), square(0, 0, 4, 4))) == "多边形面积为零：内环覆盖了整个外环")
    }

    @Test func holesMustNotOverlap() {
        #expect(problem(poly(square(0, 0, 4, 4), square(1, 1, 2, 2), square(1.5, 1.5, 3, 3))) == "内环[1]与内环[2]重叠")
        #expect(problem(poly(square(0, 0, 4, 4), square(1, 1, 3, 3), square(1.5, 1.5, 2, 2))) == "内环[1]与内环[2]重叠")
        #expect(problem(poly(square(0, 0, 4, 4), square(1, 1, 2, 2), square(1, 1, 2, 2))) == "内环[1]与内环[2]重叠")
    }

    @Test func multiPolygonMembersMustNotOverlap() {
        #expect(problem(multi([square(0, 0, 2, 2)], [square(1, 1, 3, 3)])) == "多边形[0]与多边形[1]重叠；多重多边形的各部分只能在点或边上相接")
        #expect(problem(multi([square(0, 0, 1, 1)], [square(5, 5, 6, 6)], [square(0, 0, 1, 1)]))?.hasPrefix("多边形[0]与多边形[2]重叠") == true)
        #expect(problem(multi([square(0, 0, 4, 4)], [square(1, 1, 2, 2)]))?.hasPrefix("多边形[0]与多边形[1]重叠") == true)
        // A member inside another's hole is fine.
        #expect(problem(multi([square(0, 0, 4, 4), square(1, 1, 3, 3)], [square(1.5, 1.5, 2.5, 2.5)])) == nil)
    }

    @Test func messagesNameTheMemberRingAndPosition() {
        let bad = multi([square(0, 0, 1, 1)], [square(2, 0, 3, 1), loop([(2.2, 0.2), (2.4, 0.2), (2.4, 95)])])
        #expect(problem(bad) == "多边形[1]的内环[1]的坐标点[2]纬度95.0超出[-90, 90]")
    }

    @Test(.timeLimit(.minutes(1))) func largeRingsAreCheckedQuickly() {
        let big = circle(4_000)
        let start = ContinuousClock.now
        #expect(problem(poly(big, circle(3_000, radius: 0.004))) == nil)
        #expect(ContinuousClock.now - start < .seconds(5))
        // Swap two far-apart vertices: their edges now cross the ring.
        var crossed = big
        crossed.swapAt(1_000, 3_000)
        #expect(problem(poly(crossed))?.hasPrefix("外环自相交") == true)
    }

    @Test func largeRingTouchingItself() {
        // A dense axis-aligned rectangle, exact along the bottom (lat 0); then one vertex of the
        // top side is pulled down onto a bottom edge, between two of its vertices.
        let f = { (i: Int) in Double(i) * 0.05 }
        var dense: [Position] = []
        for i in 0..<1_000 { dense.append(Position(lon: f(i), lat: 0)) }
        for j in 0..<1_000 { dense.append(Position(lon: f(1_000), lat: f(j))) }
        for i in 0..<1_000 { dense.append(Position(lon: f(1_000 - i), lat: f(1_000))) }
        for j in 0..<1_000 { dense.append(Position(lon: 0, lat: f(1_000 - j))) }
        dense.append(dense[0])
        #expect(problem(poly(dense)) == nil)
        dense[2_500] = Position(lon: (f(500) + f(501)) / 2, lat: 0)
        #expect(problem(poly(dense))?.hasPrefix("外环自相交") == true)
    }
}
