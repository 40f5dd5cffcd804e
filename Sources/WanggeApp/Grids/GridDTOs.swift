import Hummingbird
import WanggeCore

struct GridSummaryDTO: ResponseCodable, Hashable {
    var code: String
    var parent: String?
    var name: String
    var level: String
    var levelLabel: String
    var type: String
    var typeLabel: String
    var specialKind: String?
    var households: Int
    var population: Int
    var childCount: Int?

    init(_ g: Grid, childCount: Int? = nil) {
        code = g.code.value
        parent = g.parent?.value
        name = g.name
        level = g.level.rawValue
        levelLabel = g.level.label
        type = g.type.rawValue
        typeLabel = g.type == .special ? (g.specialKind.map { "专属网格·\($0.label)" } ?? g.type.label) : g.type.label
        specialKind = g.specialKind?.rawValue
        households = g.households
        population = g.population
        self.childCount = childCount
    }
}

struct RosterDTO: Codable, Hashable, Sendable {
    var label: String
    var leaders: Int
    var members: Int
    var workers: Int
    var hasLeader: Bool
    var hasWorker: Bool

    init(_ r: RosterSummary) {
        label = r.label
        leaders = r.leaders
        members = r.members
        workers = r.workers
        hasLeader = r.hasLeader
        hasWorker = r.hasWorker
    }
}

struct StaffDTO: ResponseCodable {
    var id: Int64
    var gridCode: String
    var name: String
    var role: String
    var roleLabel: String
    var phone: String?

    init(_ m: StaffMember) {
        id = m.id ?? 0
        gridCode = m.gridCode.value
        name = m.name
        role = m.role.rawValue
        roleLabel = m.role.label
        phone = m.phone
    }
}

struct NormStatusDTO: Codable, Hashable, Sendable {
    /// urban or rural; absent for special grids, which have no size norm.
    var normClass: String
    var maxHouseholds: Int
    var maxPopulation: Int
    var within: Bool
    var message: String
}

struct GridDetailDTO: ResponseCodable {
    var grid: GridSummaryDTO
    var ancestors: [GridSummaryDTO]
    var roster: RosterDTO?
    var staff: [StaffDTO]
    var norm: NormStatusDTO?
    var boundary: Geometry?
}

struct LocateDTO: ResponseCodable {
    var grid: GridSummaryDTO
    /// From the root down to the grid's parent.
    var ancestors: [GridSummaryDTO]
}

struct NormViolationDTO: Codable, Sendable {
    var grid: GridSummaryDTO
    var message: String
    var maxHouseholds: Int
    var maxPopulation: Int
}

struct StaffingRowDTO: Codable, Sendable {
    var grid: GridSummaryDTO
    var roster: RosterDTO
}

struct StaffingDTO: ResponseCodable {
    var grids: Int
    var withoutLeader: Int
    var withoutWorker: Int
    var items: [StaffingRowDTO]
}

struct UpdateGridRequest: Decodable {
    var name: String?
    var households: Int?
    var population: Int?
}

struct ImportResultDTO: ResponseCodable {
    var created: Int
    var updated: Int
}

struct SizeNormsDTO: ResponseCodable {
    var county: String
    var norms: SizeNorms
    /// True when the county has not set its own and the national defaults apply.
    var isDefault: Bool
}
