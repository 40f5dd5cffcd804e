import WanggeCore

/// Where and what one county is before it is built.
struct CountyPlan {
    /// Six digits, e.g. "520399".
    var code6: String
    /// The name without “县”, e.g. “清溪”; departments and special grids are named after it.
    var base: String
    var parent: GridCode?
    var rect: CellRect
    /// Appended to department keys so that they stay unique across the counties of a city.
    var keySuffix: String

    var name: String { base + "县" }
    var code: GridCode { demoCode(code6 + "000000") }
}

/// A node while the tree is being laid out, before figures and staff.
struct Node {
    var code: GridCode
    var parent: GridCode?
    var rect: CellRect
    var name: String
    /// The bare name used to derive others (“土城” of “土城镇”, its 社区 and 派出所).
    var base: String
    var type: GridType
    var special: SpecialKind? = nil
    var households = 0
    var population = 0
}

/// Lays out one county in lattice cells: townships, communities, unit grids and special grids,
/// with figures.
///
/// The streets share an urban core in the middle of the county, cut out first; the towns
/// share the ring around it. Urban unit grids are one cell or little more, rural ones two or
/// three cells, and the lattice is later pulled towards the county seat and the town seats
/// (see `seats`), so that town grids come out much smaller than village grids, as on a real
/// map.
struct CountyLayout {
    var county: Node
    var townships: [Node] = []
    var communities: [Node] = []
    /// Unit and special grids, community by community in code order.
    var units: [Node] = []
    /// The unit grid the grid leader and grid worker demo accounts log into; it is kept
    /// ordinary (not special, fully staffed).
    var accountGrid: GridCode
    /// Where the lattice is drawn denser: the county seat strongly, each town seat a little.
    var seats: [Seat] = []
    /// The town seats' 社区: urban, but cut into coarser grids than the streets' 社区.
    private var townSeatCommunities: Set<GridCode> = []

    init(plan: CountyPlan, rng: inout SeededRandom) {
        county = Node(code: plan.code, parent: plan.parent, rect: plan.rect, name: plan.name, base: plan.base, type: .rural)
        accountGrid = demoCode(plan.code6 + "001001001")
        var used: Set<String> = []
        layTownships(plan: plan, used: &used, rng: &rng)
        for t in townships { layCommunities(of: t, used: &used, rng: &rng) }
        for c in communities { layUnits(of: c, rng: &rng) }
        placeSpecialGrids(plan: plan, rng: &rng)
        drawFigures(rng: &rng)
    }

    private mutating func layTownships(plan: CountyPlan, used: inout Set<String>, rng: inout SeededRandom) {
        let r = plan.rect
        let cw = Int((Double(r.w) * rng.double(0.34, 0.40)).rounded())
        let ch = Int((Double(r.h) * rng.double(0.34, 0.40)).rounded())
        let core = CellRect(x: r.x + (r.w - cw) / 2 + rng.int(in: -2...2), y: r.y + (r.h - ch) / 2 + rng.int(in: -2...2),
                            w: cw, h: ch)
        let (sx, sy) = (core.x + core.w / 2, core.y + core.h / 2)
        seats.append(Seat(i: sx, j: sy, radiusCells: 1.6 * Double(cw * ch).squareRoot(), strength: 0.15))

        // The ring around the core: full-height strips west and east, the rest south and north.
        let ring = [
            CellRect(x: r.x, y: r.y, w: core.x - r.x, h: r.h),
            CellRect(x: core.x + core.w, y: r.y, w: r.x + r.w - core.x - core.w, h: r.h),
            CellRect(x: core.x, y: r.y, w: core.w, h: core.y - r.y),
            CellRect(x: core.x, y: core.y + core.h, w: core.w, h: r.y + r.h - core.y - core.h),
        ]
        let total = Swift.min(Swift.max(Int((Double(r.area) / 150).rounded()), 7), 12)
        let streetCount = rng.chance(0.5) ? 2 : 3
        let streets = partition(core, into: streetCount, rng: &rng).sorted(by: CellRect.readingOrder)
        var rural: [CellRect] = []
        for (part, quota) in zip(ring, Self.quotas(ring.map(\.area), total: total - streetCount)) {
            rural += partition(part, into: quota, rng: &rng)
        }
        // The smallest become 乡 (fewer villages, fewer people), the rest 镇.
        let ranked = rural.sorted { a, b in
            a.area != b.area ? a.area > b.area : CellRect.readingOrder(a, b)
        }
        let xiangCount = rural.count >= 6 ? 2 : 1
        let towns = ranked.dropLast(xiangCount).sorted(by: CellRect.readingOrder)
        let xiangs = ranked.suffix(xiangCount).sorted(by: CellRect.readingOrder)

        // Streets are named by where they lie from the seat (东城, 西城 …).
        let (fx, fy) = (Double(sx), Double(sy))
        var spare = Names.spareStreets[...]
        for (n, b) in streets.enumerated() {
            let dx = b.centerX - fx, dy = b.centerY - fy
            let direction = abs(dx) >= abs(dy) ? (dx >= 0 ? 0 : 1) : (dy >= 0 ? 3 : 2)
            var name = Names.streetByDirection[direction]
            while used.contains(name), let next = spare.popFirst() { name = next }
            used.insert(name)
            let code = demoCode(plan.code6 + pad(n + 1, 3) + "000")
            townships.append(Node(code: code, parent: county.code, rect: b, name: name,
                                  base: String(name.dropLast(2)), type: .urban))
        }
        for (suffix, blocks, first) in [("镇", towns, 101), ("乡", xiangs, 201)] {
            for (n, b) in blocks.enumerated() {
                let base = Names.distinct(&used, &rng) { $0.pick(Names.townBases) }
                let code = demoCode(plan.code6 + pad(first + n, 3) + "000")
                townships.append(Node(code: code, parent: county.code, rect: b, name: base + suffix, base: base, type: .rural))
            }
        }
    }

    /// Splits `total` over parts in proportion to their areas (largest remainder), at least one each.
    static func quotas(_ areas: [Int], total: Int) -> [Int] {
        let sum = Double(areas.reduce(0, +))
        let exact = areas.map { Double($0) * Double(total) / sum }
        var q = exact.map { Swift.max(1, Int($0)) }
        let byRemainder = exact.indices.sorted { a, b in
            let (ra, rb) = (exact[a] - Double(Int(exact[a])), exact[b] - Double(Int(exact[b])))
            return ra != rb ? ra > rb : a < b
        }
        var k = 0
        while q.reduce(0, +) < total {
            q[byRemainder[k % q.count]] += 1
            k += 1
        }
        return q
    }

    private mutating func layCommunities(of township: Node, used: inout Set<String>, rng: inout SeededRandom) {
        let perCommunity = township.type == .urban ? 10.0 : 26.0
        let wanted = Double(township.rect.area) / perCommunity * rng.double(0.85, 1.15)
        let count = Swift.min(Swift.max(Int(wanted.rounded()), township.type == .urban ? 3 : 4), 14, township.rect.area)
        let blocks = partition(township.rect, into: count, rng: &rng).sorted(by: CellRect.readingOrder)
        let prefix = String(township.code.value.prefix(9))
        func add(_ r: CellRect, _ seq: Int, _ name: String, _ type: GridType) {
            communities.append(Node(code: demoCode(prefix + pad(seq, 3)), parent: township.code, rect: r,
                                    name: name, base: String(name.dropLast(type == .urban ? 2 : 1)), type: type))
        }
        if township.type == .urban {
            for (n, r) in blocks.enumerated() {
                let name = Names.distinct(&used, &rng) { $0.pick(Names.communities) + "社区" }
                add(r, n + 1, name, .urban)
            }
            return
        }
        // A town (镇) has one 社区 for its seat, the block nearest its middle; a 乡 only villages.
        var seat: CellRect?
        if township.name.hasSuffix("镇") {
            let (mx, my) = (township.rect.centerX, township.rect.centerY)
            let chosen = blocks.min { a, b in
                let da = (a.centerX - mx) * (a.centerX - mx) + (a.centerY - my) * (a.centerY - my)
                let db = (b.centerX - mx) * (b.centerX - mx) + (b.centerY - my) * (b.centerY - my)
                return da != db ? da < db : CellRect.readingOrder(a, b)
            }!
            seat = chosen
            let name = Names.distinct(&used, &rng) { _ in township.base + "社区" }
            add(chosen, 1, name, .urban)
            townSeatCommunities.insert(communities[communities.count - 1].code)
            seats.append(Seat(i: chosen.x + chosen.w / 2, j: chosen.y + chosen.h / 2,
                              radiusCells: 1.2 * Double(Swift.max(chosen.w, chosen.h)), strength: 0.45))
        }
        var seq = 201
        for r in blocks where r != seat {
            let name = Names.distinct(&used, &rng) { Names.village(&$0) }
            add(r, seq, name, .rural)
            seq += 1
        }
    }

    private mutating func layUnits(of community: Node, rng: inout SeededRandom) {
        let area = community.rect.area
        let cellsPerGrid = community.type == .rural ? rng.double(1.9, 2.9)
            : townSeatCommunities.contains(community.code) ? rng.double(1.5, 2.1) : rng.double(1.0, 1.3)
        let count = Swift.min(Swift.max(Int((Double(area) / cellsPerGrid).rounded()), Swift.min(2, area)), area)
        let blocks = partition(community.rect, into: count, rng: &rng).sorted(by: CellRect.readingOrder)
        for (n, r) in blocks.enumerated() {
            let type: GridType
            if community.type == .rural {
                type = .rural
            } else {
                let roll = rng.unit()
                type = roll < 0.55 ? .estate : roll < 0.85 ? .lane : .unit
            }
            units.append(Node(code: demoCode(community.code.value + pad(n + 1, 3)), parent: community.code, rect: r,
                              name: "\(community.name)第\(n + 1)网格", base: community.base, type: type))
        }
    }

    /// Turns a few unit grids into special grids where such places would be: school, hospital
    /// and office tower in the streets, a market in a street or town seat, an industrial park
    /// and a town school in a town seat. One per community at most, and never the demo
    /// accounts' grid.
    private mutating func placeSpecialGrids(plan: CountyPlan, rng: inout SeededRandom) {
        let streetCodes = Set(townships.filter { $0.type == .urban }.map(\.code))
        let streetCommunities = communities.filter { streetCodes.contains($0.parent!) }.map(\.code)
        let townSeats = communities.filter { !streetCodes.contains($0.parent!) && $0.type == .urban }
        let firstTown = townships.first { $0.name.hasSuffix("镇") }!
        let townSeat = townSeats.first { $0.parent == firstTown.code }?.code
        let specials: [(SpecialKind, String, [GridCode])] = [
            (.school, "\(plan.name)第一中学", streetCommunities),
            (.hospital, "\(plan.name)人民医院", streetCommunities),
            (.officeBuilding, "\(plan.base)金融商务大厦", streetCommunities),
            (.market, "\(plan.base)农贸市场", streetCommunities + townSeats.map(\.code)),
            (.school, "\(firstTown.name)中心学校", townSeat.map { [$0] } ?? streetCommunities),
            (.park, "\(plan.base)经济开发区", townSeats.isEmpty ? streetCommunities : townSeats.map(\.code)),
        ]
        var taken: Set<GridCode> = []
        for (kind, place, candidates) in specials {
            let free = candidates.filter { !taken.contains($0) }
            guard !free.isEmpty else { continue }
            let community = rng.pick(free)
            let slots = units.indices.filter { units[$0].parent == community && units[$0].code != accountGrid }
            guard !slots.isEmpty else { continue }
            let i = rng.pick(slots)
            taken.insert(community)
            units[i].type = .special
            units[i].special = kind
            units[i].name = place + "专属网格"
        }
    }

    /// Unit grid figures within the norm, about 5% over it, and parents as sums of children.
    private mutating func drawFigures(rng: inout SeededRandom) {
        let ordinary = units.indices.filter { units[$0].type != .special }
        let overCount = Swift.max(3, Int((Double(ordinary.count) * 0.05).rounded()))
        let over = Set(rng.sample(ordinary, count: overCount))
        for i in units.indices {
            let (h, p) = Self.figures(for: units[i], over: over.contains(i), rng: &rng)
            units[i].households = h
            units[i].population = p
        }
        var sums: [GridCode: (Int, Int)] = [:]
        func roll(_ nodes: [Node]) {
            for n in nodes {
                let s = sums[n.parent!] ?? (0, 0)
                sums[n.parent!] = (s.0 + n.households, s.1 + n.population)
            }
        }
        func settle(_ nodes: inout [Node]) {
            for i in nodes.indices {
                (nodes[i].households, nodes[i].population) = sums[nodes[i].code] ?? (0, 0)
            }
        }
        roll(units)
        settle(&communities)
        roll(communities)
        settle(&townships)
        roll(townships)
        (county.households, county.population) = sums[county.code] ?? (0, 0)
    }

    private static func figures(for node: Node, over: Bool, rng: inout SeededRandom) -> (Int, Int) {
        if let kind = node.special {
            let h = rng.int(in: 0...30)
            let residents: Int
            switch kind {
            case .school: residents = rng.int(in: 300...900)  // boarding pupils
            case .park: residents = rng.int(in: 150...600)    // workers in dormitories
            case .hospital: residents = rng.int(in: 0...60)
            case .officeBuilding, .market, .other: residents = 0
            }
            return (h, Int(Double(h) * rng.double(2.0, 3.0)) + residents)
        }
        switch (node.type.normClass == .urban, over) {
        case (true, false):
            // Over 300 households is fine while the population stays at or under 1000.
            let h = rng.int(in: 180...330)
            let ratio = rng.double(2.6, Swift.min(3.1, 1000 / Double(h)))
            return (h, Int(Double(h) * ratio))
        case (true, true):
            let h = rng.int(in: 335...430)
            return (h, Swift.max(Int(Double(h) * rng.double(2.6, 3.1)), 1001))
        case (false, false):
            let h = rng.int(in: 110...200)
            return (h, Int(Double(h) * rng.double(2.5, 3.6)))
        case (false, true):
            let h = rng.int(in: 205...265)
            return (h, Swift.max(Int(Double(h) * rng.double(2.6, 3.5)), 501))
        }
    }

    /// Every node as a `Grid`, parents before children.
    func grids(on lattice: Lattice) -> [Grid] {
        ([county] + townships + communities + units).map { n in
            Grid(code: n.code, parent: n.parent, name: n.name, type: n.type, specialKind: n.special,
                 boundary: lattice.geometry(n.rect), households: n.households, population: n.population)
        }
    }
}
