import Testing
import WanggeCore
import WanggeDemo

/// The boundaries tile: children cover their parent without gaps or overlaps.
@Suite("Demo boundaries tile exactly")
struct TilingTests {
    @Test("every ring is closed, counter-clockwise, without repeats or self-intersections", arguments: [DemoScale.county, .city])
    func ringsAreValid(scale: DemoScale) {
        let t = scale == .county ? county : city
        for g in t.grids {
            guard case .polygon(let polygon)? = g.boundary else {
                Issue.record("\(g.code) has no single polygon")
                continue
            }
            #expect(polygon.rings.count == 1)
            let ring = polygon.outer
            #expect(ring.count >= 5 && ring.first == ring.last, "\(g.code) not closed")
            #expect(zip(ring, ring.dropFirst()).allSatisfy { $0 != $1 }, "\(g.code) repeats a vertex")
            #expect(Set(ring.dropLast()).count == ring.count - 1, "\(g.code) visits a vertex twice")
            #expect(signedArea(ring) > 0, "\(g.code) is not counter-clockwise")
            if scale == .county || g.level <= .township {
                #expect(!selfIntersects(ring), "\(g.code) intersects itself")
            }
        }
    }

    @Test("children's areas add up to their parent's", arguments: [DemoScale.county, .city])
    func areasAddUp(scale: DemoScale) {
        let t = scale == .county ? county : city
        let children = childrenByParent(t.grids)
        for g in t.grids where g.level < .grid {
            let parentArea = area(g)
            let sum = (children[g.code] ?? []).reduce(0) { $0 + area($1) }
            #expect(abs(sum - parentArea) <= 1e-9 * parentArea, "\(g.code): \(sum) vs \(parentArea)")
        }
    }

    @Test("every child vertex lies inside or on its parent", arguments: [DemoScale.county, .city])
    func verticesInsideParent(scale: DemoScale) {
        let t = scale == .county ? county : city
        let byCode = Dictionary(uniqueKeysWithValues: t.grids.map { ($0.code, $0) })
        for g in t.grids {
            guard let parent = g.parent.flatMap({ byCode[$0] })?.boundary else { continue }
            for p in g.boundary!.polygons[0].outer {
                #expect(parent.locate(lon: p.lon, lat: p.lat) != .outside, "\(g.code) vertex \(p) outside its parent")
            }
        }
    }

    @Test("random points inside a parent are inside exactly one child", arguments: [DemoScale.county, .city])
    func pointsInExactlyOneChild(scale: DemoScale) {
        let t = scale == .county ? county : city
        let children = childrenByParent(t.grids)
        var rng = TestRandom(state: 7)
        let samples = scale == .county ? 40 : 6
        for g in t.grids where g.level < .grid {
            let geometry = g.boundary!
            let box = geometry.boundingBox
            let kids = (children[g.code] ?? []).map { ($0.code, $0.boundary!, $0.boundary!.boundingBox) }
            var tested = 0
            while tested < samples {
                let lon = box.minLon + (box.maxLon - box.minLon) * rng.unit()
                let lat = box.minLat + (box.maxLat - box.minLat) * rng.unit()
                guard geometry.locate(lon: lon, lat: lat) == .inside else { continue }
                tested += 1
                var inside = 0, onEdge = 0
                for (_, child, childBox) in kids where childBox.contains(lon: lon, lat: lat) {
                    switch child.locate(lon: lon, lat: lat) {
                    case .inside: inside += 1
                    case .boundary: onEdge += 1
                    case .outside: break
                    }
                }
                #expect(inside == 1 || (inside == 0 && onEdge > 0), "\(g.code): (\(lon), \(lat)) in \(inside) children")
            }
        }
    }

    @Test("urban grids are smaller than village grids, as on a real map")
    func townGridsAreDenser() {
        let units = county.grids.filter { $0.level == .grid && $0.type != .special }
        func mean(_ gs: [Grid]) -> Double { gs.reduce(0) { $0 + area($1) } / Double(gs.count) }
        let urban = mean(units.filter { $0.type != .rural })
        let rural = mean(units.filter { $0.type == .rural })
        #expect(urban * 2 < rural)
    }
}

/// Whether two non-adjacent edges of a closed ring meet (touching counts).
func selfIntersects(_ ring: [Position]) -> Bool {
    let n = ring.count - 1
    func orient(_ a: Position, _ b: Position, _ c: Position) -> Double {
        (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)
    }
    func onSegment(_ a: Position, _ b: Position, _ p: Position) -> Bool {
        min(a.lon, b.lon) <= p.lon && p.lon <= max(a.lon, b.lon) && min(a.lat, b.lat) <= p.lat && p.lat <= max(a.lat, b.lat)
    }
    func meet(_ p1: Position, _ p2: Position, _ q1: Position, _ q2: Position) -> Bool {
        let (d1, d2) = (orient(q1, q2, p1), orient(q1, q2, p2))
        let (d3, d4) = (orient(p1, p2, q1), orient(p1, p2, q2))
        if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) { return true }
        return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2))
            || (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2))
    }
    for i in 0..<n {
        for j in stride(from: i + 2, to: n, by: 1) where !(i == 0 && j == n - 1) {
            if meet(ring[i], ring[i + 1], ring[j], ring[j + 1]) { return true }
        }
    }
    return false
}
