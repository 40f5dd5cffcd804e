import Foundation
import SQLKit
import WanggeCore

/// Special-population and care-group roles of people.
public protocol PopulationRoleRepository: Sendable {
    /// Matched by person and kind among active roles; an ended role (`until` set) closes it.
    func upsert(_ roles: [PopulationRole], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)]
    func roles(personID: Int64) async throws -> [PopulationRole]
    func roles(personIDs: [Int64]) async throws -> [Int64: [PopulationRole]]
    /// Active roles in a subtree, optionally of one kind, with their total.
    func list(in range: CodeRange?, kind: String?, offset: Int, limit: Int) async throws -> (roles: [PopulationRole], total: Int)
}

public struct SQLPopulationRoleRepository: PopulationRoleRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    static func encode(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: (try? encoder.encode(fields)) ?? Data("{}".utf8), as: UTF8.self)
    }

    func role(_ row: any SQLRow) throws -> PopulationRole {
        func day(_ c: String) throws -> Day? {
            guard let t = try row.optionalString(c) else { return nil }
            do { return try Day(t) } catch { throw StoredDataError("\(c) 中的日期无效：\(t)") }
        }
        let json = try row.string("fields")
        guard let fields = try? JSONDecoder().decode([String: String].self, from: Data(json.utf8)) else {
            throw StoredDataError("fields 不是有效的 JSON 对象")
        }
        return PopulationRole(id: try row.int64("id"), personID: try row.int64("person_id"), kind: try row.string("kind"),
                              grid: try row.gridCode("grid_code"), attention: try row.string("attention"),
                              visitEveryDays: try row.int("visit_every_days"), fields: fields, since: try day("since"), until: try day("until"))
    }

    public func upsert(_ roles: [PopulationRole], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        var results: [(id: Int64, outcome: UpsertOutcome)] = []
        try await tx.insertBatches(roles, size: 300) { batch in
            var active: [String: PopulationRole] = [:]
            for row in try await tx.raw("""
                SELECT * FROM population_roles WHERE until IS NULL AND person_id IN (\(SQLList(Set(batch.map(\.personID)).map { SQLBind($0) })))
                """).all() {
                let r = try role(row)
                active["\(r.personID)/\(r.kind)"] = r
            }
            for r in batch {
                let key = "\(r.personID)/\(r.kind)"
                if let old = active[key], let id = old.id {
                    var wanted = r
                    wanted.id = id
                    if wanted == old {
                        results.append((id, .unchanged))
                        continue
                    }
                    try await tx.raw("""
                        UPDATE population_roles SET grid_code = \(bind: r.grid.value), attention = \(bind: r.attention),
                        visit_every_days = \(bind: r.visitEveryDays), fields = \(bind: Self.encode(r.fields)),
                        since = \(bind: r.since?.description), until = \(bind: r.until?.description), updated_at = \(bind: now)
                        WHERE id = \(bind: id)
                        """).run()
                    active[key] = r.until == nil ? wanted : nil
                    results.append((id, .updated))
                } else {
                    guard let row = try await tx.raw("""
                        INSERT INTO population_roles (person_id, kind, grid_code, attention, visit_every_days, fields, since, until, updated_at)
                        VALUES (\(bind: r.personID), \(bind: r.kind), \(bind: r.grid.value), \(bind: r.attention), \(bind: r.visitEveryDays),
                                \(bind: Self.encode(r.fields)), \(bind: r.since?.description), \(bind: r.until?.description), \(bind: now))
                        RETURNING id
                        """).first() else { throw StoredDataError("插入人群身份后未取得编号") }
                    let id = try row.int64("id")
                    var saved = r
                    saved.id = id
                    if r.until == nil { active[key] = saved }
                    results.append((id, .created))
                }
            }
        }
        return results
    }

    public func roles(personID: Int64) async throws -> [PopulationRole] {
        try await db.sql.raw("""
            SELECT * FROM population_roles WHERE person_id = \(bind: personID) ORDER BY CASE WHEN until IS NULL THEN 0 ELSE 1 END, kind, id
            """).all().map(role)
    }

    public func roles(personIDs: [Int64]) async throws -> [Int64: [PopulationRole]] {
        var result: [Int64: [PopulationRole]] = [:]
        try await db.sql.insertBatches(Array(Set(personIDs)), size: 500) { batch in
            for row in try await db.sql.raw("""
                SELECT * FROM population_roles WHERE until IS NULL AND person_id IN (\(SQLList(batch.map { SQLBind($0) }))) ORDER BY kind
                """).all() {
                let r = try role(row)
                result[r.personID, default: []].append(r)
            }
        }
        return result
    }

    public func list(in range: CodeRange?, kind: String?, offset: Int, limit: Int) async throws -> (roles: [PopulationRole], total: Int) {
        var conditions = [rangeCondition("grid_code", range), "until IS NULL"]
        if let kind { conditions.append("kind = \(bind: kind)") }
        let filter = conditions.joined(separator: " AND ")
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM population_roles WHERE \(filter)").first()?.int("n") ?? 0
        let rows = try await db.sql.raw("""
            SELECT * FROM population_roles WHERE \(filter) ORDER BY attention, grid_code, id LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return (try rows.map(role), total)
    }
}
