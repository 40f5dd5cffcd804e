import SQLKit
import WanggeCore

/// Persistence of grid rosters.
public protocol StaffRepository: Sendable {
    func find(id: Int64) async throws -> StaffMember?
    func roster(of grid: GridCode) async throws -> [StaffMember]
    /// The roles on the roster of every node in a subtree, by grid code.
    func roles(in range: CodeRange?) async throws -> [GridCode: [StaffRole]]
    func insert(_ members: [StaffMember], in tx: any SQLDatabase) async throws -> [StaffMember]
    func update(_ member: StaffMember, in tx: any SQLDatabase) async throws
    func delete(id: Int64, in tx: any SQLDatabase) async throws
}

public struct SQLStaffRepository: StaffRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func find(id: Int64) async throws -> StaffMember? {
        try await db.sql.raw("SELECT * FROM staff WHERE id = \(bind: id)").first().map(Self.member)
    }

    public func roster(of grid: GridCode) async throws -> [StaffMember] {
        // Leaders first, then the posts in the order rosters list them.
        let members = try await db.sql.raw("SELECT * FROM staff WHERE grid_code = \(bind: grid.value) ORDER BY id")
            .all().map(Self.member)
        let order = Dictionary(uniqueKeysWithValues: StaffRole.allCases.enumerated().map { ($1, $0) })
        return members.sorted { (order[$0.role]!, $0.id ?? 0) < (order[$1.role]!, $1.id ?? 0) }
    }

    public func roles(in range: CodeRange?) async throws -> [GridCode: [StaffRole]] {
        var result: [GridCode: [StaffRole]] = [:]
        for row in try await db.sql.raw("SELECT grid_code, role FROM staff WHERE \(rangeCondition("grid_code", range))").all() {
            result[try row.gridCode("grid_code"), default: []].append(try row.enumValue("role", as: StaffRole.self))
        }
        return result
    }

    public func insert(_ members: [StaffMember], in tx: any SQLDatabase) async throws -> [StaffMember] {
        var saved: [StaffMember] = []
        saved.reserveCapacity(members.count)
        let now = Clock.nowSeconds()
        try await tx.insertBatches(members, size: 300) { batch in
            let rows: [SQLQueryString] = batch.map {
                "(\(bind: $0.gridCode.value), \(bind: $0.name), \(bind: $0.role.rawValue), \(bind: $0.phone), \(bind: now))"
            }
            let ids = try await tx.raw("""
                INSERT INTO staff (grid_code, name, role, phone, created_at) VALUES \(rows.joined(separator: ", "))
                RETURNING id
                """).all().map { try $0.int64("id") }
            // Both engines return the ids of a multi-row insert in VALUES order.
            for (member, id) in zip(batch, ids) {
                var m = member
                m.id = id
                saved.append(m)
            }
        }
        return saved
    }

    public func update(_ member: StaffMember, in tx: any SQLDatabase) async throws {
        guard let id = member.id else { return }
        try await tx.raw("""
            UPDATE staff SET name = \(bind: member.name), role = \(bind: member.role.rawValue), phone = \(bind: member.phone)
            WHERE id = \(bind: id)
            """).run()
    }

    public func delete(id: Int64, in tx: any SQLDatabase) async throws {
        try await tx.raw("DELETE FROM staff WHERE id = \(bind: id)").run()
    }

    static func member(_ row: any SQLRow) throws -> StaffMember {
        StaffMember(id: try row.int64("id"), gridCode: try row.gridCode("grid_code"), name: try row.string("name"),
                    role: try row.enumValue("role", as: StaffRole.self), phone: try row.optionalString("phone"))
    }
}
