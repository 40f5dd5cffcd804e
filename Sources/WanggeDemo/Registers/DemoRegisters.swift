import WanggeCore

/// The base-data registers (人、地、物、组织) of the demo county: buildings, houses, people and
/// their house links and households, special-population and care-group roles, organisations
/// and city components, generated deterministically from a seed.
///
/// Links between registers are array indices, since nothing has a database id yet: a house's
/// `buildingID` indexes `buildings`; `personID` and `houseID` in residences, households and
/// roles index `people` and `houses`. The loader inserts the rows and remaps the indices.
///
/// Only the first county of the territory is filled (清溪县 at both scales), with about
/// 100,000 people: each unit grid gets people in proportion to its population figure, scaled
/// so that the county's figure maps to 100,000 (the registers are what has been collected so
/// far, not the whole population). The city scale thus stays bounded; benchmarks that need
/// more people use `people(count:in:seed:)`.
public struct DemoRegisters: Equatable, Sendable {
    public var buildings: [Building]
    /// `buildingID` is an index into `buildings`.
    public var houses: [House]
    public var people: [Person]
    /// `personID` indexes `people`, `houseID` indexes `houses`.
    public var residences: [Residence]
    /// `houseID`, `headPersonID` and the members' `personID` are indices.
    public var households: [Household]
    /// `personID` indexes `people`. `fields` are keyed by the field's Chinese label and hold
    /// labels, as a county office's spreadsheet would; the loader normalises them through the
    /// role definitions.
    public var roles: [PopulationRole]
    public var organisations: [Organisation]
    public var components: [Component]

    public init(buildings: [Building] = [], houses: [House] = [], people: [Person] = [], residences: [Residence] = [],
                households: [Household] = [], roles: [PopulationRole] = [], organisations: [Organisation] = [],
                components: [Component] = []) {
        self.buildings = buildings
        self.houses = houses
        self.people = people
        self.residences = residences
        self.households = households
        self.roles = roles
        self.organisations = organisations
        self.components = components
    }

    /// The day the registers describe: births fall before it, moves and roles up to it.
    public static let referenceDay = Day(daysSinceEpoch: 20_454)  // 2026-01-01

    /// How many people the first county gets.
    public static let countyPeople = 100_000

    /// Builds the registers of the territory's first county. The same territory and seed give
    /// the same registers, value for value.
    public static func generate(for territory: DemoTerritory, seed: UInt64 = 20_261_122) -> DemoRegisters {
        var builder = RegisterBuilder(places: CountyPlaces(territory), seed: seed)
        builder.run()
        return builder.out
    }
}

/// What the role assignment needs to know about a person beyond the `Person` itself.
struct PersonFacts {
    var age: Int16
    var household: Int32
    var template: Template
    var away: Bool
    var isHead: Bool
    /// Every member of the household is 60 or over (空巢).
    var elderlyOnly: Bool
    /// Someone of the household works away (the others are 留守).
    var householdHasAway: Bool
    var kind: PersonKind
    var male: Bool
    var village: Bool
    /// Lives in a town seat, or in its resettlement estate.
    var townSeat: Bool
    var resettlement: Bool
}

/// Generates the registers of one county, grid by grid; each part of the generator draws
/// from its own forked stream, so that changing one part does not reshuffle the others.
struct RegisterBuilder {
    let county: CountyPlaces
    var out = DemoRegisters()
    var facts: [PersonFacts] = []
    /// The people of each place: `people[peopleOfPlace[p]]`.
    var peopleOfPlace: [Range<Int>] = []
    /// The buildings of each place, likewise.
    var buildingsOfPlace: [Range<Int>] = []
    var ids: IDNumberAllocator
    var phones: Set<Int> = []
    var passports: Set<String> = []
    var usedPlaceNames: Set<String> = []
    /// When each household moved into its house, in days since 1970, by household index.
    var moveInDays: [Int] = []
    var permitSerial = 0
    var subsistenceSerial = 0
    private var rng: SeededRandom

    /// Region codes of ID numbers: the county first, then the origins of floating people.
    static func regions(county: String) -> [Int] { [Int(county) ?? 520_399] + RegisterNames.origins.map(\.code) }

    init(places: CountyPlaces, seed: UInt64) {
        county = places
        rng = SeededRandom(seed: seed)
        ids = IDNumberAllocator(regions: Self.regions(county: places.county.code.countyCode), sequences: 1...599)
        for p in places.staffPhones { if let n = Int(p) { phones.insert(n) } }
    }

    /// People per place: the grid's population figure times the county's scale. Special grids
    /// count only their households (boarding pupils and patients are not residents), except
    /// an industrial park, whose workers live in its dormitories.
    private func targets() -> [Int] {
        let figure = county.county.population > 0 ? county.county.population : county.places.reduce(0) { $0 + $1.grid.population }
        let scale = figure > 0 ? Swift.min(1, Double(DemoRegisters.countyPeople) / Double(figure)) : 1
        return county.places.map { place in
            let raw: Double
            switch place.kind {
            case .special(.park): raw = Double(place.grid.population)
            case .special: raw = Double(place.grid.households) * 2.8
            default: raw = Double(place.grid.population)
            }
            return Int((raw * scale).rounded())
        }
    }

    mutating func run() {
        var peopleRNG = rng.fork(), roleRNG = rng.fork(), orgRNG = rng.fork(), componentRNG = rng.fork(),
            moveRNG = rng.fork()
        let wanted = targets()
        // About 2.7 people a household, 1.2 houses a household, 2 houses a building.
        let people = wanted.reduce(0, +) + wanted.count * 6
        out.people.reserveCapacity(people)
        facts.reserveCapacity(people)
        out.residences.reserveCapacity(people + people / 20)
        out.households.reserveCapacity(people / 2)
        out.houses.reserveCapacity(people / 2)
        out.buildings.reserveCapacity(people / 4)
        for (index, place) in county.places.enumerated() {
            var gridRNG = peopleRNG.fork()
            let (firstPerson, firstBuilding) = (out.people.count, out.buildings.count)
            settle(place, people: wanted[index], rng: &gridRNG)
            peopleOfPlace.append(firstPerson..<out.people.count)
            buildingsOfPlace.append(firstBuilding..<out.buildings.count)
        }
        addMoves(&moveRNG)
        assignRoles(&roleRNG)
        addOrganisations(&orgRNG)
        addComponents(&componentRNG)
    }

    /// Draws the households of a place until they hold `people`, builds enough dwellings for
    /// them, and moves them in.
    private mutating func settle(_ place: Place, people target: Int, rng: inout SeededRandom) {
        var plans: [HouseholdPlan] = []
        var count = 0
        while count < target {
            let plan = Self.planHousehold(in: place, &rng)
            count += plan.members.count
            plans.append(plan)
        }
        let occupancy = place.kind == .village ? 0.93 : 0.86
        let needed = Int((Double(plans.count) / occupancy).rounded(.up))
        var dwellings = build(place, dwellings: Swift.max(needed, plans.isEmpty ? 0 : 1), rng: &rng)
        // Shuffled, so that empty and rented dwellings spread over the buildings and floors.
        rng.shuffle(&dwellings)
        for (k, plan) in plans.enumerated() {
            moveIn(plan, place: place, house: dwellings[k], serial: k + 1, rng: &rng)
        }
    }

    /// Who lives in a place: mostly locals; floating households where work is (streets, the
    /// industrial park, markets), a few in the villages; foreigners in town.
    private static func planHousehold(in place: Place, _ rng: inout SeededRandom) -> HouseholdPlan {
        let floatingShare: Double
        switch place.kind {
        case .estate: floatingShare = 0.22
        case .compound: floatingShare = 0.12
        case .lane: floatingShare = 0.30
        case .village: floatingShare = 0.06
        case .special(.park): floatingShare = 0.9
        case .special(.market): floatingShare = 0.5
        case .special: floatingShare = 0.3
        }
        if place.kind.isUrban, rng.chance(0.006) {
            let foreign = [RegisterNames.vietnam, RegisterNames.myanmar, RegisterNames.korea, RegisterNames.unitedStates][
                Households.weighted([40, 25, 15, 20], &rng)]
            let sex: Sex = foreign.nationality == "VNM" || foreign.nationality == "MMR"
                ? (rng.chance(0.6) ? .female : .male) : (rng.chance(0.6) ? .male : .female)
            let age = foreign.nationality == "USA" ? rng.int(in: 23...55) : rng.int(in: 20...50)
            return HouseholdPlan(origin: .foreign(foreign), template: .alone,
                                 members: [MemberSpec(relation: "本人", age: age, sex: sex, headSurname: true)], rents: true)
        }
        if rng.chance(floatingShare) {
            let size = Households.size(floating: true, &rng)
            let (template, members) = Households.floating(size: size, &rng)
            let origin = Households.weighted(RegisterNames.originWeights, &rng)
            return HouseholdPlan(origin: .floating(origin), template: template, members: members, rents: rng.chance(0.85))
        }
        let size = Households.size(floating: false, &rng)
        let (template, members) = Households.local(size: size, rural: place.kind == .village, &rng)
        return HouseholdPlan(origin: .local, template: template, members: members,
                             rents: rng.chance(place.kind == .village ? 0.01 : 0.03))
    }
}
