import Hummingbird
import WanggeCore
import WanggeStorage

struct CodeTableDTO: Codable, Sendable {
    var name: String
    var entries: [CodeEntry]
}

struct RoleKindDTO: Codable, Sendable {
    struct Field: Codable, Sendable {
        var key: String
        var label: String
        /// code, codes, date, text, number or bool.
        var type: String
        var table: String?
        var required: Bool
    }

    var key: String
    var label: String
    var group: String
    var groupLabel: String
    var defaultAttention: String
    var defaultVisitEveryDays: Int
    var fields: [Field]

    init(_ k: PopulationRoleKind) {
        key = k.key
        label = k.label
        group = k.group.rawValue
        groupLabel = k.group.label
        defaultAttention = k.defaultAttention
        defaultVisitEveryDays = k.defaultVisitEveryDays
        fields = k.fields.map { f in
            let (type, table): (String, String?) = switch f.type {
            case .code(let t): ("code", t)
            case .codes(let t): ("codes", t)
            case .date: ("date", nil)
            case .text: ("text", nil)
            case .number: ("number", nil)
            case .bool: ("bool", nil)
            }
            return Field(key: f.key, label: f.label, type: type, table: table, required: f.required)
        }
    }
}

struct CodeTablesDTO: ResponseCodable {
    var tables: [CodeTableDTO]
    var roleKinds: [RoleKindDTO]
}

/// The "底数清" table of a node: one row per child, one column per category.
struct RegisterCountsDTO: ResponseCodable {
    struct Row: Codable, Sendable {
        var code: String
        var name: String
        var counts: [String: Int]
    }

    var grid: String
    var name: String
    var rows: [Row]
    var total: [String: Int]
}

/// Code tables, role definitions, role lists and counts per grid.
struct RegisterOverviewController {
    let service: RegisterService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("code-tables", use: codeTables)
        group.get("population-roles", use: roles)
        group.get("registers/counts", use: counts)
    }

    @Sendable func codeTables(_ request: Request, context: AppRequestContext) async throws -> CodeTablesDTO {
        _ = try context.requireCaller()
        let tables = CodeTables.standard
        return CodeTablesDTO(tables: tables.names.compactMap { name in tables[name].map { CodeTableDTO(name: name, entries: $0.entries) } },
                             roleKinds: PopulationRoleKinds.standard.all.map(RoleKindDTO.init))
    }

    @Sendable func roles(_ request: Request, context: AppRequestContext) async throws -> PageResponse<RoleDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        let (offset, limit) = try request.page()
        var kind: String?
        if let raw = request.uri.queryParameters.get("kind"), !raw.isEmpty {
            guard let k = PopulationRoleKinds.standard.resolve(raw) else { throw AppError.badRequest("没有“\(raw)”这类人群", field: "kind") }
            kind = k.key
        }
        let page = try await service.store.roles.list(in: root.range, kind: kind, offset: offset, limit: limit)
        let people = Dictionary(try await service.store.people.people(ids: page.roles.map(\.personID)).map { ($0.id ?? 0, $0) },
                                uniquingKeysWith: { a, _ in a })
        return PageResponse(items: page.roles.map { RoleDTO($0, person: people[$0.personID]) }, total: page.total, offset: offset, limit: limit)
    }

    @Sendable func counts(_ request: Request, context: AppRequestContext) async throws -> RegisterCountsDTO {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        guard let node = try await service.repos.grids.find(root) else { throw AppError.notFound("没有找到网格\(root)") }
        let children = try await service.repos.grids.children(of: root)
        // Counted per grid code, then summed into the child whose prefix the code has (the
        // longest, since a township's special grids share the township's prefix).
        let counts = try await service.store.counts.counts(in: root.range, groupLength: 15)
        let prefixes = children.map { String($0.grid.code.prefix) }.sorted { $0.count > $1.count }
        var byChild: [String: [String: Int]] = [:]
        var total: [String: Int] = [:]
        for c in counts {
            total[c.category, default: 0] += c.count
            if let prefix = prefixes.first(where: { c.node.hasPrefix($0) }) {
                byChild[prefix, default: [:]][c.category, default: 0] += c.count
            }
        }
        let rows = children.isEmpty
            ? [RegisterCountsDTO.Row(code: node.code.value, name: node.name, counts: total)]
            : children.map { RegisterCountsDTO.Row(code: $0.grid.code.value, name: $0.grid.name, counts: byChild[String($0.grid.code.prefix)] ?? [:]) }
        return RegisterCountsDTO(grid: root.value, name: node.name, rows: rows, total: total)
    }
}
