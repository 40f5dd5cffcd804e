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
    /// The root of the territory the change concerns; nil for changes made outside any territory (the command line).
    public var scope: GridCode?

    public init(id: Int64? = nil, at: Int64, actorID: Int64?, actor: String?, action: String, target: String?,
                detail: String?, ip: String?, scope: GridCode? = nil) {
        self.id = id
        self.at = at
        self.actorID = actorID
        self.actor = actor
        self.action = action
        self.target = target
        self.detail = detail
        self.ip = ip
        self.scope = scope
    }
}

/// The audit log is append-only: there is no update or delete here on purpose, and every entry
/// is linked into a hash chain (`AuditChain`) that `wangge audit verify` checks.
public protocol AuditRepository: Sendable {
    /// Must run inside a transaction: the chain's head is read and extended under one lock.
    func append(_ entry: AuditEntry, in tx: any SQLDatabase) async throws
    /// Newest first; `before` pages by id. With a range, only entries scoped inside it; without, all.
    func list(in range: CodeRange?, action: String?, before: Int64?, limit: Int) async throws -> [AuditEntry]
}

public struct SQLAuditRepository: AuditRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func append(_ entry: AuditEntry, in tx: any SQLDatabase) async throws {
        let previous = try await AuditChain.head(tx)
        let hash = AuditChain.hash(previous: previous, entry)
        try await tx.raw("""
            INSERT INTO audit_log (at, actor_id, actor, action, target, detail, ip, scope_code, prev_hash, hash)
            VALUES (\(bind: entry.at), \(bind: entry.actorID), \(bind: entry.actor), \(bind: entry.action),
                    \(bind: entry.target), \(bind: entry.detail), \(bind: entry.ip), \(bind: entry.scope?.value),
                    \(bind: previous), \(bind: hash))
            """).run()
    }

    public func list(in range: CodeRange?, action: String?, before: Int64?, limit: Int) async throws -> [AuditEntry] {
        let scopeCondition: SQLQueryString = range == nil ? "1 = 1" : rangeCondition("scope_code", range)
        let actionCondition: SQLQueryString = action.map { "action = \(bind: $0)" } ?? "1 = 1"
        let beforeCondition: SQLQueryString = before.map { "id < \(bind: $0)" } ?? "1 = 1"
        return try await db.sql.raw("""
            SELECT * FROM audit_log WHERE \(scopeCondition) AND \(actionCondition) AND \(beforeCondition) ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map(Self.entry)
    }

    static func entry(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(id: try row.int64("id"), at: try row.int64("at"), actorID: try row.optionalInt64("actor_id"),
                   actor: try row.optionalString("actor"), action: try row.string("action"),
                   target: try row.optionalString("target"), detail: try row.optionalString("detail"),
                   ip: try row.optionalString("ip"), scope: try row.optionalGridCode("scope_code"))
    }
}
