import SQLKit
import WanggeCore

/// Who lives where ("以房管人"), with history, and households.
public protocol ResidenceRepository: Sendable {
    /// Adds the ties that are not current yet; a tie already current with the same role and dates is
    /// left alone, a changed one updated. Moving out (`movedOut` set) closes the current tie.
    func record(_ residences: [Residence], in tx: any SQLDatabase) async throws -> [UpsertOutcome]
    /// Current and past ties to a house, current first.
    func residences(houseID: Int64) async throws -> [Residence]
    func residences(personID: Int64) async throws -> [Residence]
    func insertHouseholds(_ households: [Household], in tx: any SQLDatabase) async throws
    func households(houseID: Int64) async throws -> [Household]
}

public struct SQLResidenceRepository: ResidenceRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func record(_ residences: [Residence], in tx: any SQLDatabase) async throws -> [UpsertOutcome] {
        var outcomes: [UpsertOutcome] = []
        outcomes.reserveCapacity(residences.count)
        try await tx.insertBatches(residences, size: 300) { batch in
            let people = Array(Set(batch.map(\.personID)))
            var current: [String: Residence] = [:]
            for row in try await tx.raw("""
                SELECT * FROM residences WHERE moved_out IS NULL AND person_id IN (\(SQLList(people.map { SQLBind($0) })))
                """).all() {
                let r = try residence(row)
                current["\(r.personID)/\(r.houseID)"] = r
            }
            var fresh: [Residence] = []
            var freshIndex: [Int] = []
            var results = [UpsertOutcome?](repeating: nil, count: batch.count)
            for (i, r) in batch.enumerated() {
                let key = "\(r.personID)/\(r.houseID)"
                if let old = current[key], let id = old.id {
                    var wanted = r
                    wanted.id = id
                    if wanted == old {
                        results[i] = .unchanged
                    } else {
                        try await tx.raw("""
                            UPDATE residences SET role = \(bind: r.role.rawValue), moved_in = \(bind: r.movedIn?.description),
                            moved_out = \(bind: r.movedOut?.description) WHERE id = \(bind: id)
                            """).run()
                        if r.movedOut != nil { current[key] = nil }
                        results[i] = .updated
                    }
                } else {
                    fresh.append(r)
                    freshIndex.append(i)
                    if r.movedOut == nil { current[key] = r }
                }
            }
            if !fresh.isEmpty {
                let rows: [SQLQueryString] = fresh.map {
                    "(\(bind: $0.personID), \(bind: $0.houseID), \(bind: $0.role.rawValue), \(bind: $0.movedIn?.description), \(bind: $0.movedOut?.description))"
                }
                try await tx.raw("INSERT INTO residences (person_id, house_id, role, moved_in, moved_out) VALUES \(rows.joined(separator: ", "))").run()
                for i in freshIndex { results[i] = .created }
            }
            outcomes += results.map { $0 ?? .unchanged }
        }
        return outcomes
    }

    func residence(_ row: any SQLRow) throws -> Residence {
        func day(_ c: String) throws -> Day? {
            guard let t = try row.optionalString(c) else { return nil }
            do { return try Day(t) } catch { throw StoredDataError("\(c) 中的日期无效：\(t)") }
        }
        return Residence(id: try row.int64("id"), personID: try row.int64("person_id"), houseID: try row.int64("house_id"),
                         role: try row.enumValue("role", as: ResidenceRole.self), movedIn: try day("moved_in"), movedOut: try day("moved_out"))
    }

    public func residences(houseID: Int64) async throws -> [Residence] {
        try await db.sql.raw("""
            SELECT * FROM residences WHERE house_id = \(bind: houseID)
            ORDER BY CASE WHEN moved_out IS NULL THEN 0 ELSE 1 END, moved_in DESC, id
            """).all().map(residence)
    }

    public func residences(personID: Int64) async throws -> [Residence] {
        try await db.sql.raw("""
            SELECT * FROM residences WHERE person_id = \(bind: personID)
            ORDER BY CASE WHEN moved_out IS NULL THEN 0 ELSE 1 END, moved_in DESC, id
            """).all().map(residence)
    }

    public func insertHouseholds(_ households: [Household], in tx: any SQLDatabase) async throws {
        for h in households {
            guard let row = try await tx.raw("""
                INSERT INTO households (number, house_id, grid_code, head_person_id)
                VALUES (\(bind: h.number), \(bind: h.houseID), \(bind: h.grid.value), \(bind: h.headPersonID)) RETURNING id
                """).first() else { throw StoredDataError("插入户后未取得编号") }
            let id = try row.int64("id")
            let members: [SQLQueryString] = h.members.map { "(\(bind: id), \(bind: $0.personID), \(bind: $0.relation))" }
            if !members.isEmpty {
                try await tx.raw("INSERT INTO household_members (household_id, person_id, relation) VALUES \(members.joined(separator: ", "))").run()
            }
        }
    }

    public func households(houseID: Int64) async throws -> [Household] {
        let rows = try await db.sql.raw("SELECT * FROM households WHERE house_id = \(bind: houseID) ORDER BY number").all()
        var result: [Household] = []
        for row in rows {
            let id = try row.int64("id")
            let members = try await db.sql.raw("""
                SELECT person_id, relation FROM household_members WHERE household_id = \(bind: id) ORDER BY person_id
                """).all().map { HouseholdMember(personID: try $0.int64("person_id"), relation: try $0.string("relation")) }
            result.append(Household(id: id, number: try row.string("number"), houseID: try row.optionalInt64("house_id"),
                                    grid: try row.gridCode("grid_code"), headPersonID: try row.int64("head_person_id"), members: members))
        }
        return result
    }
}
