import SQLKit
import WanggeCore

/// One line of the audit log: who did what to what, when and from where.
public struct AuditEntry: Hashable, Sendable {
    public var id: Int64?
    public var at: Int64
    public var actorID: Int64?
    public var actor: String?
    public var action: String
    public var target: String?
    public var detail: String?
    public var ip: String?

    public init(id: Int64? = nil, at: Int64, actorID: Int64?, actor: String?, action: String, target: String?,
                detail: String?, ip: String?) {
        self.id = id
        self.at = at
        self.actorID = actorID
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.ip = ip
    }
}

/// The audit log is append-only: there is no update or delete here on purpose.
public protocol AuditRepository: Sendable {
    func append(_ entry: AuditEntry, in tx: any SQLDatabase) async throws
    /// Newest first; `before` pages by id.
    func list(action: String?, before: Int64?, limit: Int) async throws -> [AuditEntry]
}

public struct SQLAuditRepository: AuditRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func append(_ entry: AuditEntry, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            INSERT INTO audit_log (at, actor_id, actor, action, target, detail, ip)
            VALUES (\(bind: entry.at), \(bind: entry.actorID), \(bind: entry.actor), \(bind: entry.action),
                    \(bind: entry.target), \(bind: entry.detail), \(bind: entry.ip))
            """).run()
    }

    public func list(action: String?, before: Int64?, limit: Int) async throws -> [AuditEntry] {
        let actionCondition: SQLQueryString = action.map { "action = \(bind: $0)" } ?? "1 = 1"
        let beforeCondition: SQLQueryString = before.map { "id < \(bind: $0)" } ?? "1 = 1"
        return try await db.sql.raw("""
            SELECT * FROM audit_log WHERE \(actionCondition) AND \(beforeCondition) ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map {
                AuditEntry(id: try $0.int64("id"), at: try $0.int64("at"), actorID: try $0.optionalInt64("actor_id"),
                           actor: try $0.optionalString("actor"), action: try $0.string("action"),
                           target: try $0.optionalString("target"), detail: try $0.optionalString("detail"),
                           ip: try $0.optionalString("ip"))
            }
    }
}
