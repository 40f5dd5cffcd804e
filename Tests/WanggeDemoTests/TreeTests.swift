import Testing
import WanggeCore
import WanggeDemo

@Suite("Demo county: the tree")
struct TreeTests {
    @Test("about 8 townships, 60 communities, 600 unit grids under one county root")
    func countsPerLevel() {
        #expect(county.count(.city) == 0)
        #expect(county.count(.county) == 1)
        #expect((6...10).contains(county.count(.township)))
        #expect((45...80).contains(county.count(.community)))
        #expect((500...750).contains(county.count(.grid)))
        let root = county.grids[0]
        #expect(root.code.value == "520399000000")
        #expect(root.parent == nil)
        #expect(root.name == "清溪县")
        let box = root.boundary!.boundingBox
        #expect(box.minLon > 105.95 && box.maxLon < 106.65 && box.minLat > 28.15 && box.maxLat < 28.65)
    }

    @Test("grids come parents first, sorted by depth then code, codes unique")
    func order() {
        let grids = county.grids
        for (a, b) in zip(grids, grids.dropFirst()) {
            #expect(a.level.depth < b.level.depth || (a.level == b.level && a.code < b.code), "\(a.code) before \(b.code)")
        }
        var position: [GridCode: Int] = [:]
        for (n, g) in grids.enumerated() { position[g.code] = n }
        #expect(position.count == grids.count)
        for (n, g) in grids.enumerated() {
            guard let p = g.parent else { continue }
            #expect(position[p].map { $0 < n } == true, "\(g.code) has parent \(p) after it or missing")
        }
    }

    @Test("every node validates against its parent, and codes nest by prefix")
    func validation() throws {
        let byCode = Dictionary(uniqueKeysWithValues: county.grids.map { ($0.code, $0) })
        for g in county.grids {
            let parent = g.parent.map { byCode[$0]! }
            #expect(throws: Never.self) { try g.validate(parent: parent) }
            #expect(try GridCode(g.code.value) == g.code)
            if let parent {
                #expect(parent.code.contains(g.code))
                #expect(parent.level.depth + 1 == g.level.depth)
            }
        }
    }

    @Test("streets 001–099 urban, towns 100–199 and 乡 200–399 rural; 社区 001–199, 村 200–399")
    func codeRanges() {
        let byCode = Dictionary(uniqueKeysWithValues: county.grids.map { ($0.code, $0) })
        var streets = 0
        for t in county.grids where t.level == .township {
            let n = Int(t.code.value.dropFirst(6).prefix(3))!
            switch n {
            case 1...99:
                streets += 1
                #expect(t.type == .urban && t.name.hasSuffix("街道"))
            case 100...199: #expect(t.type == .rural && t.name.hasSuffix("镇"))
            case 200...399: #expect(t.type == .rural && t.name.hasSuffix("乡"))
            default: Issue.record("township code \(t.code) out of range")
            }
        }
        #expect((2...3).contains(streets))
        for c in county.grids where c.level == .community {
            let n = Int(c.code.value.suffix(3))!
            if (1...199).contains(n) {
                #expect(c.type == .urban && c.name.hasSuffix("社区"))
            } else {
                #expect((200...399).contains(n) && c.type == .rural && c.name.hasSuffix("村"))
                #expect(byCode[c.parent!]!.type == .rural, "village \(c.code) under a street")
            }
        }
        for g in county.grids where g.level == .grid {
            let community = byCode[g.parent!]!
            let allowed: Set<GridType> = community.type == .urban ? [.estate, .unit, .lane, .special] : [.rural, .special]
            #expect(allowed.contains(g.type), "\(g.code) is \(g.type) in a \(community.type) community")
            if g.type != .special { #expect(g.name.hasPrefix(community.name) && g.name.hasSuffix("网格")) }
        }
    }

    @Test("names are unique among siblings' levels and special grids cover the five kinds")
    func namesAndSpecialGrids() {
        for level in [GridLevel.township, .community] {
            let names = county.grids.filter { $0.level == level }.map(\.name)
            #expect(Set(names).count == names.count, "duplicate \(level) names")
        }
        let specials = county.grids.filter { $0.type == .special }
        #expect((5...8).contains(specials.count))
        let kinds = Set(specials.compactMap(\.specialKind))
        #expect(kinds.isSuperset(of: [.school, .hospital, .park, .market, .officeBuilding]))
        #expect(specials.allSatisfy { $0.level == .grid && $0.name.hasSuffix("专属网格") })
    }

    @Test("parents' households and population are the sums of their children")
    func figuresAddUp() {
        let children = childrenByParent(county.grids)
        for g in county.grids where g.level < .grid {
            let kids = children[g.code] ?? []
            #expect(!kids.isEmpty, "\(g.code) has no children")
            #expect(g.households == kids.reduce(0) { $0 + $1.households }, "\(g.code) households")
            #expect(g.population == kids.reduce(0) { $0 + $1.population }, "\(g.code) population")
        }
    }

    @Test("unit grid figures are plausible and about 5% are outside the size norms")
    func figuresAndNorms() {
        let units = county.grids.filter { $0.level == .grid && $0.type != .special }
        for g in units {
            let perHousehold = Double(g.population) / Double(g.households)
            if g.type == .rural {
                #expect((100...270).contains(g.households) && (2.4...3.7).contains(perHousehold), "\(g.code)")
            } else {
                #expect((170...440).contains(g.households) && (2.4...3.2).contains(perHousehold), "\(g.code)")
            }
        }
        let over = units.filter { SizeNorms.standard.violation(of: $0) != nil }
        let share = Double(over.count) / Double(units.count)
        #expect(share > 0.03 && share < 0.08, "\(over.count) of \(units.count) over the norm")
        #expect(over.contains { $0.type == .rural } && over.contains { $0.type != .rural })
    }
}
