import SQLKit

/// What a request with an `Idempotency-Key` produced, so that sending it again answers the same.
public struct IdempotencyRecord: Hashable, Sendable {
    /// Whose key it is: `account:ID`, or `public` for citizens.
    public var scope: String
    public var key: String
    /// A hash of the method, path and body: the same key with another request is refused.
    public var fingerprint: String
    /// What was made: `event:12`, `attachment:7`.
    public var resource: String
    public var createdAt: Int64

    public init(scope: String, key: String, fingerprint: String, resource: String, createdAt: Int64) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
        self.resource = resource
        self.createdAt = createdAt
    }
}

public protocol IdempotencyRepository: Sendable {
    func find(scope: String, key: String) async throws -> IdempotencyRecord?
    /// Fails on a key already stored (the unique key turns a race into one winner).
    func insert(_ record: IdempotencyRecord, in tx: any SQLDatabase) async throws
    /// Forgets keys older than `before` (a week is plenty for a phone's outbox).
    func purge(before: Int64) async throws
}

public struct SQLIdempotencyRepository: IdempotencyRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func find(scope: String, key: String) async throws -> IdempotencyRecord? {
        try await db.sql.raw("SELECT * FROM idempotency_keys WHERE scope = \(bind: scope) AND idem_key = \(bind: key)").first().map {
            IdempotencyRecord(scope: try $0.string("scope"), key: try $0.string("idem_key"), fingerprint: try $0.string("fingerprint"),
                              resource: try $0.string("resource"), createdAt: try $0.int64("created_at"))
        }
    }

    public func insert(_ r: IdempotencyRecord, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            INSERT INTO idempotency_keys (scope, idem_key, fingerprint, resource, created_at)
            VALUES (\(bind: r.scope), \(bind: r.key), \(bind: r.fingerprint), \(bind: r.resource), \(bind: r.createdAt))
            """).run()
    }

    public func purge(before: Int64) async throws {
        try await db.sql.raw("DELETE FROM idempotency_keys WHERE created_at < \(bind: before)").run()
    }
}
