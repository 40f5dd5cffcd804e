import SQLKit
import WanggeCore

/// One person working in a department.
public struct DepartmentMember: Hashable, Sendable {
    public var id: Int64?
    public var departmentID: Int64
    public var name: String
    public var post: String?
    public var phone: String?

    public init(id: Int64? = nil, departmentID: Int64, name: String, post: String?, phone: String?) {
        self.id = id
        self.departmentID = departmentID
        self.name = name
        self.post = post
        self.phone = phone
    }
}

/// Persistence of departments and their staff.
public protocol DepartmentRepository: Sendable {
    func find(id: Int64) async throws -> Department?
    func find(key: String, serves: GridCode) async throws -> Department?
    /// Departments attached to a node in the range (or all).
    func list(servingIn range: CodeRange?) async throws -> [Department]
    func insert(_ department: Department, in tx: any SQLDatabase) async throws -> Department
    func update(_ department: Department, in tx: any SQLDatabase) async throws
    func members(of departmentID: Int64) async throws -> [DepartmentMember]
    func insert(_ member: DepartmentMember, in tx: any SQLDatabase) async throws -> DepartmentMember
}

public struct SQLDepartmentRepository: DepartmentRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func find(id: Int64) async throws -> Department? {
        try await db.sql.raw("SELECT * FROM departments WHERE id = \(bind: id)").first().map(Self.department)
    }

    public func find(key: String, serves: GridCode) async throws -> Department? {
        try await db.sql.raw("SELECT * FROM departments WHERE dept_key = \(bind: key) AND serves_code = \(bind: serves.value)")
            .first().map(Self.department)
    }

    public func list(servingIn range: CodeRange?) async throws -> [Department] {
        try await db.sql.raw("""
            SELECT * FROM departments WHERE \(rangeCondition("serves_code", range)) ORDER BY serves_code, id
            """).all().map(Self.department)
    }

    public func insert(_ department: Department, in tx: any SQLDatabase) async throws -> Department {
        let row = try await tx.raw("""
            INSERT INTO departments (dept_key, name, kind, serves_code, created_at)
            VALUES (\(bind: department.key), \(bind: department.name), \(bind: department.kind.rawValue),
                    \(bind: department.serves.value), \(bind: Clock.nowSeconds()))
            RETURNING id
            """).first()
        var saved = department
        saved.id = try row?.int64("id")
        return saved
    }

    public func update(_ department: Department, in tx: any SQLDatabase) async throws {
        guard let id = department.id else { return }
        try await tx.raw("""
            UPDATE departments SET dept_key = \(bind: department.key), name = \(bind: department.name),
                kind = \(bind: department.kind.rawValue), serves_code = \(bind: department.serves.value)
            WHERE id = \(bind: id)
            """).run()
    }

    public func members(of departmentID: Int64) async throws -> [DepartmentMember] {
        try await db.sql.raw("SELECT * FROM department_staff WHERE department_id = \(bind: departmentID) ORDER BY id")
            .all().map {
                DepartmentMember(id: try $0.int64("id"), departmentID: try $0.int64("department_id"), name: try $0.string("name"),
                                 post: try $0.optionalString("post"), phone: try $0.optionalString("phone"))
            }
    }

    public func insert(_ member: DepartmentMember, in tx: any SQLDatabase) async throws -> DepartmentMember {
        let row = try await tx.raw("""
            INSERT INTO department_staff (department_id, name, post, phone, created_at)
            VALUES (\(bind: member.departmentID), \(bind: member.name), \(bind: member.post), \(bind: member.phone),
                    \(bind: Clock.nowSeconds()))
            RETURNING id
            """).first()
        var saved = member
        saved.id = try row?.int64("id")
        return saved
    }

    static func department(_ row: any SQLRow) throws -> Department {
        Department(id: try row.int64("id"), key: try row.string("dept_key"), name: try row.string("name"),
                   kind: try row.enumValue("kind", as: DepartmentKind.self), serves: try row.gridCode("serves_code"))
    }
}
