import SQLKit
import WanggeCore

/// 非公有制经济组织 and 社会组织, and 城市部件.
public protocol OrganisationRepository: Sendable {
    /// Matched by unified social credit code.
    func upsert(_ organisations: [Organisation], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)]
    func find(id: Int64) async throws -> Organisation?
    /// Where the organisations with these credit codes (or, with `components`, the components with these codes) are filed.
    func grids(creditCodes: [String], in db: any SQLDatabase) async throws -> [String: GridCode]
    func grids(componentCodes: [String], in db: any SQLDatabase) async throws -> [String: GridCode]
    func list(in range: CodeRange?, kind: OrganisationKind?, namePrefix: String?, offset: Int, limit: Int) async throws -> (organisations: [Organisation], total: Int)
    /// Matched by component code.
    func upsertComponents(_ components: [Component], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)]
    func components(in range: CodeRange?, state: ComponentState?, offset: Int, limit: Int) async throws -> (components: [Component], total: Int)
}

public struct SQLOrganisationRepository: OrganisationRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    func organisation(_ row: any SQLRow) throws -> Organisation {
        Organisation(id: try row.int64("id"), kind: try row.enumValue("kind", as: OrganisationKind.self), name: try row.string("name"),
                     creditCode: try row.string("credit_code"), enterpriseCategory: try row.optionalString("enterprise_category"),
                     registrationType: try row.optionalString("registration_type"), holding: try row.optionalString("holding"),
                     socialType: try row.optionalString("social_type"), legalRepresentative: try row.string("legal_representative"),
                     phone: try row.optionalString("phone"), address: try row.string("address"), grid: try row.gridCode("grid_code"),
                     employees: try row.optionalInt("employees"), lon: try row.optionalDouble("lon"), lat: try row.optionalDouble("lat"))
    }

    func component(_ row: any SQLRow) throws -> Component {
        Component(id: try row.int64("id"), code: try row.string("code"), grid: try row.gridCode("grid_code"),
                  state: try row.enumValue("state", as: ComponentState.self), owner: try row.optionalString("owner"),
                  lon: try row.double("lon"), lat: try row.double("lat"))
    }

    public func upsert(_ organisations: [Organisation], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try await tx.upsertByCode(
            organisations, table: "organisations", key: "credit_code",
            columns: "kind, name, credit_code, enterprise_category, registration_type, holding, social_type, legal_representative, phone, address, grid_code, employees, lon, lat, updated_at",
            decode: organisation, withID: { var o = $0; o.id = $1; return o },
            values: { o in "(\(bind: o.kind.rawValue), \(bind: o.name), \(bind: o.creditCode), \(bind: o.enterpriseCategory), \(bind: o.registrationType), \(bind: o.holding), \(bind: o.socialType), \(bind: o.legalRepresentative), \(bind: o.phone), \(bind: o.address), \(bind: o.grid.value), \(bind: o.employees), \(bind: o.lon), \(bind: o.lat), \(bind: now))" },
            assignments: { o in "kind = \(bind: o.kind.rawValue), name = \(bind: o.name), enterprise_category = \(bind: o.enterpriseCategory), registration_type = \(bind: o.registrationType), holding = \(bind: o.holding), social_type = \(bind: o.socialType), legal_representative = \(bind: o.legalRepresentative), phone = \(bind: o.phone), address = \(bind: o.address), grid_code = \(bind: o.grid.value), employees = \(bind: o.employees), lon = \(bind: o.lon), lat = \(bind: o.lat), updated_at = \(bind: now)" })
    }

    public func find(id: Int64) async throws -> Organisation? {
        try await db.sql.raw("SELECT * FROM organisations WHERE id = \(bind: id)").first().map(organisation)
    }

    public func grids(creditCodes: [String], in sql: any SQLDatabase) async throws -> [String: GridCode] {
        try await grids(table: "organisations", key: "credit_code", codes: creditCodes, in: sql)
    }

    public func grids(componentCodes: [String], in sql: any SQLDatabase) async throws -> [String: GridCode] {
        try await grids(table: "components", key: "code", codes: componentCodes, in: sql)
    }

    func grids(table: String, key: String, codes: [String], in sql: any SQLDatabase) async throws -> [String: GridCode] {
        var result: [String: GridCode] = [:]
        try await sql.insertBatches(Array(Set(codes)), size: 500) { batch in
            for row in try await sql.raw("""
                SELECT \(unsafeRaw: key) AS k, grid_code FROM \(unsafeRaw: table) WHERE \(unsafeRaw: key) IN (\(SQLList(batch.map { SQLBind($0) })))
                """).all() {
                result[try row.string("k")] = try row.gridCode("grid_code")
            }
        }
        return result
    }

    public func list(in range: CodeRange?, kind: OrganisationKind?, namePrefix: String?, offset: Int, limit: Int) async throws -> (organisations: [Organisation], total: Int) {
        var conditions = [rangeCondition("grid_code", range)]
        if let kind { conditions.append("kind = \(bind: kind.rawValue)") }
        if let prefix = namePrefix, !prefix.isEmpty {
            conditions.append("name >= \(bind: prefix) AND name < \(bind: prefix + "\u{10FFFF}")")
        }
        let filter = conditions.joined(separator: " AND ")
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM organisations WHERE \(filter)").first()?.int("n") ?? 0
        let rows = try await db.sql.raw("""
            SELECT * FROM organisations WHERE \(filter) ORDER BY name, id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return (try rows.map(organisation), total)
    }

    public func upsertComponents(_ components: [Component], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try await tx.upsertByCode(
            components, table: "components", columns: "code, grid_code, state, owner, lon, lat, updated_at",
            decode: component, withID: { var c = $0; c.id = $1; return c },
            values: { c in "(\(bind: c.code), \(bind: c.grid.value), \(bind: c.state.rawValue), \(bind: c.owner), \(bind: c.lon), \(bind: c.lat), \(bind: now))" },
            assignments: { c in "grid_code = \(bind: c.grid.value), state = \(bind: c.state.rawValue), owner = \(bind: c.owner), lon = \(bind: c.lon), lat = \(bind: c.lat), updated_at = \(bind: now)" })
    }

    public func components(in range: CodeRange?, state: ComponentState?, offset: Int, limit: Int) async throws -> (components: [Component], total: Int) {
        var conditions = [rangeCondition("grid_code", range)]
        if let state { conditions.append("state = \(bind: state.rawValue)") }
        let filter = conditions.joined(separator: " AND ")
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM components WHERE \(filter)").first()?.int("n") ?? 0
        let rows = try await db.sql.raw("""
            SELECT * FROM components WHERE \(filter) ORDER BY code LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return (try rows.map(component), total)
    }
}
