import Testing
@testable import WanggeCore

/// A closed ring from (lon, lat) pairs; whole and half degrees keep every test exact.
private func closedRing(_ pairs: [(Double, Double)]) -> [Position] {
    let ring = pairs.map { Position(lon: $0.0, lat: $0.1) }
    return ring + [ring[0]]
}

@Suite("Point in polygon")
struct PointInPolygonTests {
    /// A 4×4 square with a 1×1 hole at (1,1)–(2,2).
    let squareWithHole = Polygon(rings: [
        closedRing([(0, 0), (4, 0), (4, 4), (0, 4)]),
        closedRing([(1, 1), (1, 2), (2, 2), (2, 1)]),
    ])

    @Test func insideAndOutside() {
        #expect(squareWithHole.locate(lon: 3, lat: 3) == .inside)
        #expect(squareWithHole.locate(lon: 0.5, lat: 3.5) == .inside)
        #expect(squareWithHole.locate(lon: 5, lat: 1) == .outside)
        #expect(squareWithHole.locate(lon: -0.001, lat: 2) == .outside)
        #expect(squareWithHole.locate(lon: 2, lat: 4.5) == .outside)
    }

    @Test func edgesAndVerticesAreBoundary() {
        #expect(squareWithHole.locate(lon: 4, lat: 2.5) == .boundary)
        #expect(squareWithHole.locate(lon: 2, lat: 0) == .boundary)
        #expect(squareWithHole.locate(lon: 0, lat: 0) == .boundary)
        #expect(squareWithHole.locate(lon: 4, lat: 4) == .boundary)
        #expect(Geometry.polygon(squareWithHole).contains(lon: 4, lat: 4))
    }

    @Test func holes() {
        #expect(squareWithHole.locate(lon: 1.5, lat: 1.5) == .outside)
        #expect(!Geometry.polygon(squareWithHole).contains(lon: 1.5, lat: 1.5))
        #expect(squareWithHole.locate(lon: 1, lat: 1.5) == .boundary)
        #expect(squareWithHole.locate(lon: 1.5, lat: 2) == .boundary)
        #expect(squareWithHole.locate(lon: 2, lat: 2) == .boundary)
        #expect(squareWithHole.locate(lon: 2.5, lat: 1.5) == .inside)
    }

    @Test func multiPolygonMembers() {
        let geometry = Geometry.multiPolygon([
            Polygon(rings: [closedRing([(0, 0), (1, 0), (1, 1), (0, 1)])]),
            Polygon(rings: [closedRing([(3, 0), (4, 0), (4, 1), (3, 1)])]),
        ])
        #expect(geometry.locate(lon: 0.5, lat: 0.5) == .inside)
        #expect(geometry.locate(lon: 3.5, lat: 0.5) == .inside)
        #expect(geometry.locate(lon: 2, lat: 0.5) == .outside)
        #expect(geometry.locate(lon: 3, lat: 0.5) == .boundary)
        #expect(geometry.contains(lon: 3, lat: 0.5))
        #expect(!geometry.contains(lon: 2, lat: 0.5))
    }

    @Test func membersThatTouchAreInsideAcrossTheSeam() {
        let geometry = Geometry.multiPolygon([
            Polygon(rings: [closedRing([(0, 0), (1, 0), (1, 1), (0, 1)])]),
            Polygon(rings: [closedRing([(1, 0), (2, 0), (2, 1), (1, 1)])]),
        ])
        #expect(geometry.locate(lon: 1, lat: 0.5) == .boundary)
        #expect(geometry.locate(lon: 1.5, lat: 0.5) == .inside)
    }

    @Test func concavePolygon() {
        // A U open to the north: the notch (1,1)–(3,4) is outside.
        let u = closedRing([(0, 0), (4, 0), (4, 4), (3, 4), (3, 1), (1, 1), (1, 4), (0, 4)])
        #expect(locate(lon: 2, lat: 2, inRing: u) == .outside)
        #expect(locate(lon: 2, lat: 3.5, inRing: u) == .outside)
        #expect(locate(lon: 0.5, lat: 3, inRing: u) == .inside)
        #expect(locate(lon: 3.5, lat: 3, inRing: u) == .inside)
        #expect(locate(lon: 2, lat: 0.5, inRing: u) == .inside)
        #expect(locate(lon: 2, lat: 1, inRing: u) == .boundary)
        #expect(locate(lon: 1, lat: 2.5, inRing: u) == .boundary)
    }

    @Test func horizontalEdgesAtThePointsLatitude() {
        // A step: the edge (4,2)–(2,2) is horizontal at lat 2, and the bottom edge at lat 0.
        let step = closedRing([(0, 0), (4, 0), (4, 2), (2, 2), (2, 4), (0, 4)])
        #expect(locate(lon: 1, lat: 2, inRing: step) == .inside)
        #expect(locate(lon: 3, lat: 2, inRing: step) == .boundary)
        #expect(locate(lon: 5, lat: 2, inRing: step) == .outside)
        #expect(locate(lon: -1, lat: 2, inRing: step) == .outside)
        #expect(locate(lon: -1, lat: 0, inRing: step) == .outside)
        #expect(locate(lon: 1, lat: 0, inRing: step) == .boundary)
        #expect(locate(lon: 5, lat: 0, inRing: step) == .outside)
        #expect(locate(lon: 3, lat: 3, inRing: step) == .outside)
        #expect(locate(lon: 1, lat: 4, inRing: step) == .boundary)
    }

    @Test func rayThroughVertices() {
        let diamond = closedRing([(2, 0), (4, 2), (2, 4), (0, 2)])
        #expect(locate(lon: 1, lat: 2, inRing: diamond) == .inside)
        #expect(locate(lon: 3.9, lat: 2, inRing: diamond) == .inside)
        #expect(locate(lon: -1, lat: 2, inRing: diamond) == .outside)
        #expect(locate(lon: 5, lat: 2, inRing: diamond) == .outside)
        #expect(locate(lon: 0, lat: 2, inRing: diamond) == .boundary)
        #expect(locate(lon: 1, lat: 1, inRing: diamond) == .boundary)
        #expect(locate(lon: 0.5, lat: 0.5, inRing: diamond) == .outside)
    }

    @Test func orientationDoesNotMatter() {
        let clockwise = closedRing([(0, 0), (0, 4), (4, 4), (4, 0)])
        #expect(locate(lon: 2, lat: 2, inRing: clockwise) == .inside)
        #expect(locate(lon: 2, lat: 5, inRing: clockwise) == .outside)
    }

    @Test func degenerateRingsContainNothing() {
        #expect(locate(lon: 0, lat: 0, inRing: []) == .outside)
        let tooShort = [Position(lon: 0, lat: 0), Position(lon: 1, lat: 1), Position(lon: 0, lat: 0)]
        #expect(locate(lon: 0.5, lat: 0.5, inRing: tooShort) == .outside)
    }
}
