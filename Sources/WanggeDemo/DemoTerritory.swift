import WanggeCore

/// How big a synthetic territory to build.
public enum DemoScale: String, CaseIterable, Sendable {
    /// One county, 清溪县 (code 520399), about 660 nodes: the demo.
    case county
    /// One city, 黔川市 (code 5299), with 12 counties and about 10,000 nodes: benchmarks.
    case city
}

/// A login of the demo, one per role, with the reason to try it.
public struct DemoAccount: Hashable, Sendable {
    public var username: String
    public var displayName: String
    public var role: Role
    /// The subtree the account works in; `nil` only for department staff.
    public var scope: GridCode?
    /// `Department.key` of the account's department, for role `.department`; the caller
    /// resolves it to a department id before building an `Account`.
    public var departmentKey: String?
    /// What this login shows, in Chinese, printed when the demo starts.
    public var purpose: String

    /// Memberwise; `departmentKey` only for role `.department`.
    public init(username: String, displayName: String, role: Role, scope: GridCode?,
                departmentKey: String? = nil, purpose: String) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.departmentKey = departmentKey
        self.purpose = purpose
    }
}

/// A deterministic synthetic territory: the grid tree with tiled boundaries and figures,
/// grid rosters, departments with their staff, and demo accounts.
///
/// The same scale and seed give the same territory, value for value, in every run and on
/// every platform: drawing uses our own generator and only exactly rounded arithmetic, and
/// nothing is produced by iterating a dictionary or set.
public struct DemoTerritory: Equatable, Sendable {
    /// Parents before children: sorted by depth, then code.
    public var grids: [Grid]
    /// Grid rosters, grid by grid in the order of `grids`.
    public var staff: [StaffMember]
    public var departments: [Department]
    /// Staff of each department, by `Department.key` (keys are unique in a territory).
    public var departmentStaff: [String: [DemoPerson]]
    public var accounts: [DemoAccount]

    /// Memberwise, for callers that assemble or trim a territory themselves.
    public init(grids: [Grid], staff: [StaffMember], departments: [Department],
                departmentStaff: [String: [DemoPerson]], accounts: [DemoAccount]) {
        self.grids = grids
        self.staff = staff
        self.departments = departments
        self.departmentStaff = departmentStaff
        self.accounts = accounts
    }

    /// How many nodes of `level` the territory has.
    public func count(_ level: GridLevel) -> Int { grids.lazy.filter { $0.level == level }.count }

    /// Builds the territory of `scale` from `seed`.
    public static func generate(scale: DemoScale, seed: UInt64 = 20_261_122) -> DemoTerritory {
        var rng = SeededRandom(seed: seed)
        switch scale {
        case .county: return county(&rng)
        case .city: return city(&rng)
        }
    }

    private static func county(_ rng: inout SeededRandom) -> DemoTerritory {
        let rect = CellRect(x: 0, y: 0, w: 40, h: 30)
        let plan = CountyPlan(code6: "520399", base: "清溪", parent: nil, rect: rect, keySuffix: "")
        var layoutRNG = rng.fork(), latticeRNG = rng.fork(), countyRNG = rng.fork()
        let layout = CountyLayout(plan: plan, rng: &layoutRNG)
        let lattice = Lattice(cols: rect.w, rows: rect.h,
                              box: BoundingBox(minLon: 106.0, minLat: 28.2, maxLon: 106.6, maxLat: 28.6),
                              seats: layout.seats, rng: &latticeRNG)
        var builder = Builder(lattice: lattice)
        let rosters = builder.add(plan, layout, rng: &countyRNG)
        builder.accounts = DemoAccounts.make(top: layout.county, countyPlan: plan, layout: layout, rosters: rosters,
                                             rng: &rng)
        return builder.territory()
    }

    private static func city(_ rng: inout SeededRandom) -> DemoTerritory {
        let whole = CellRect(x: 0, y: 0, w: 160, h: 116)
        var layoutRNG = rng.fork(), latticeRNG = rng.fork()
        let blocks = partition(whole, into: 12, rng: &layoutRNG).sorted(by: CellRect.readingOrder)
        let cityCode = demoCode("529900000000")
        let plans = blocks.enumerated().map { n, r in
            CountyPlan(code6: "5299" + pad(n + 1, 2), base: Names.counties[n], parent: cityCode, rect: r,
                       keySuffix: "-c" + pad(n + 1, 2))
        }
        let layouts = plans.map { CountyLayout(plan: $0, rng: &layoutRNG) }
        let lattice = Lattice(cols: whole.w, rows: whole.h,
                              box: BoundingBox(minLon: 105.5, minLat: 27.3, maxLon: 107.9, maxLat: 28.7),
                              seats: layouts.flatMap(\.seats), rng: &latticeRNG)
        var builder = Builder(lattice: lattice)
        let rosters = zip(plans, layouts).map { plan, layout in
            var countyRNG = rng.fork()
            return builder.add(plan, layout, rng: &countyRNG)
        }
        let counties = layouts.map(\.county)
        builder.grids.append(Grid(code: cityCode, parent: nil, name: "黔川市", type: .urban,
                                  boundary: lattice.geometry(whole),
                                  households: counties.reduce(0) { $0 + $1.households },
                                  population: counties.reduce(0) { $0 + $1.population }))
        let city = Node(code: cityCode, parent: nil, rect: whole, name: "黔川市", base: "黔川", type: .urban)
        builder.accounts = DemoAccounts.make(top: city, countyPlan: plans[0], layout: layouts[0], rosters: rosters[0],
                                             rng: &rng)
        return builder.territory()
    }
}

/// Collects counties into one territory.
private struct Builder {
    let lattice: Lattice
    var grids: [Grid] = []
    var staffByGrid: [GridCode: [StaffMember]] = [:]
    var departments: [Department] = []
    var departmentStaff: [String: [DemoPerson]] = [:]
    var accounts: [DemoAccount] = []
    var phones: Set<String> = []

    mutating func add(_ plan: CountyPlan, _ layout: CountyLayout, rng: inout SeededRandom) -> CountyRosters {
        var staffRNG = rng.fork(), departmentRNG = rng.fork()
        let rosters = CountyRosters(layout: layout, rng: &staffRNG, phones: &phones)
        let depts = CountyDepartments(plan: plan, townships: layout.townships, rng: &departmentRNG, phones: &phones)
        grids += layout.grids(on: lattice)
        for member in rosters.staff { staffByGrid[member.gridCode, default: []].append(member) }
        departments += depts.departments
        for (key, people) in depts.staff {
            precondition(departmentStaff[key] == nil, "duplicate department key \(key)")
            departmentStaff[key] = people
        }
        return rosters
    }

    /// Grids sorted by depth then code (codes are unique, so the order is total), and staff
    /// following that order; the dictionary is only looked up, never iterated.
    func territory() -> DemoTerritory {
        let sorted = grids.sorted { a, b in
            a.level.depth != b.level.depth ? a.level.depth < b.level.depth : a.code < b.code
        }
        let staff = sorted.flatMap { staffByGrid[$0.code] ?? [] }
        return DemoTerritory(grids: sorted, staff: staff, departments: departments,
                             departmentStaff: departmentStaff, accounts: accounts)
    }
}
