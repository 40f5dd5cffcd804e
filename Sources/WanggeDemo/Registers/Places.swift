import WanggeCore

/// What a unit grid looks like on the ground, which decides its buildings and people.
enum PlaceKind: Equatable {
    /// 小区型: apartment blocks of an estate.
    case estate
    /// 单位型: a work unit's old housing compound.
    case compound
    /// 街巷型: shop-houses along a street or lane.
    case lane
    /// 农村: a village group (村民小组) of self-built houses.
    case village
    case special(SpecialKind)

    var isUrban: Bool { self != .village }

    var isSpecial: Bool {
        if case .special = self { return true }
        return false
    }
}

/// One unit grid with what the registers need around it: names for addresses, its shape for
/// positions, and its share of the people.
struct Place {
    let grid: Grid
    let kind: PlaceKind
    /// e.g. “清溪县东城街道人民路社区”, the start of every address in the grid.
    let addressPrefix: String
    let townshipName: String
    let communityName: String
    /// The 12-digit code of the village or community, the 户籍 division of its locals.
    let communityCode: String
    /// A 社区 of a town (镇) seat rather than of a street: where relocated households live.
    let isTownSeat: Bool
    /// The grid's sequence within its community (村民小组 number in a village).
    let ordinal: Int
    /// The town seat's 易地扶贫搬迁 resettlement estate: the first estate grid of a town-seat 社区.
    var isResettlement = false
    private let box: BoundingBox

    init(grid: Grid, township: Grid, community: Grid, countyName: String) {
        self.grid = grid
        switch grid.type {
        case .rural: kind = .village
        case .estate: kind = .estate
        case .unit: kind = .compound
        case .lane, .urban: kind = .lane
        case .special: kind = .special(grid.specialKind ?? .other)
        }
        // A special grid hung directly under its township has no 村 or 社区 of its own.
        addressPrefix = countyName + township.name + (community.code == township.code ? "" : community.name)
        townshipName = township.name
        communityName = community.name
        communityCode = community.code.value
        isTownSeat = township.type == .rural && community.type == .urban
        ordinal = Int(grid.code.value.suffix(3)) ?? 1
        box = grid.boundary?.boundingBox ?? .empty
    }

    /// A point strictly inside the grid (not on its edge, so that point → grid finds this grid
    /// and not its neighbour), with 7 decimals as the boundaries have. Rejection sampling:
    /// grids are jittered lattice blocks, so most of the bounding box is inside.
    /// `nil` for a grid without a boundary.
    func randomPoint(_ rng: inout SeededRandom) -> (lon: Double, lat: Double)? {
        guard let boundary = grid.boundary, !box.isEmpty else { return nil }
        for _ in 0..<10_000 {
            let lon = ((box.minLon + rng.unit() * (box.maxLon - box.minLon)) * 1e7).rounded() / 1e7
            let lat = ((box.minLat + rng.unit() * (box.maxLat - box.minLat)) * 1e7).rounded() / 1e7
            if boundary.locate(lon: lon, lat: lat) == .inside { return (lon, lat) }
        }
        preconditionFailure("no point found inside grid \(grid.code)")
    }
}

/// The unit grids of the first county of a territory, in code order, and the county itself.
struct CountyPlaces {
    let county: Grid
    let places: [Place]
    /// Every phone number the territory's staff already use, so residents never share one.
    let staffPhones: [String]

    init(_ territory: DemoTerritory) {
        guard let county = territory.grids.first(where: { $0.level == .county }) else {
            preconditionFailure("the territory has no county")
        }
        self.county = county
        let prefix = county.code.prefix
        var byCode: [GridCode: Grid] = [:]
        for g in territory.grids where g.code.value.hasPrefix(prefix) { byCode[g.code] = g }
        var places: [Place] = []
        for g in territory.grids where g.level == .grid && g.code.value.hasPrefix(prefix) {
            // A special grid may hang directly under its township; it is then its own community.
            guard let parent = g.parent.flatMap({ byCode[$0] }) else { continue }
            let township = parent.level == .township ? parent : parent.parent.flatMap { byCode[$0] } ?? parent
            places.append(Place(grid: g, township: township, community: parent, countyName: county.name))
        }
        places.sort { $0.grid.code < $1.grid.code }
        var seatsWithEstate: Set<String> = []
        for k in places.indices where places[k].isTownSeat && places[k].kind == .estate {
            places[k].isResettlement = seatsWithEstate.insert(places[k].communityCode).inserted
        }
        self.places = places
        var phones = territory.staff.compactMap(\.phone)
        for key in territory.departmentStaff.keys.sorted() {
            phones += territory.departmentStaff[key]!.map(\.phone)
        }
        staffPhones = phones
    }
}
