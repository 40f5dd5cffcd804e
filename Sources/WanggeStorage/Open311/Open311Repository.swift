import Foundation
import SQLKit
import WanggeCore

/// A key issued to an Open311 client application (市民服务APP, a 12345 platform, …).
public struct Open311Key: Hashable, Sendable {
    public var id: Int64
    /// The client it was issued to.
    public var name: String
    /// The first characters of the key, so an administrator can tell keys apart without the key.
    public var hint: String
    public var createdAt: Int64
    /// The administrator who issued it.
    public var createdBy: Int64?
    public var revokedAt: Int64?

    public var isActive: Bool { revokedAt == nil }

    public init(id: Int64, name: String, hint: String, createdAt: Int64, createdBy: Int64?, revokedAt: Int64?) {
        self.id = id
        self.name = name
        self.hint = hint
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }
}

/// What an Open311 request carried beyond the event: the client that sent it and the citizen's
/// contact fields (kept for follow-up, never published), the media URL and the attribute answers.
public struct Open311Extras: Hashable, Sendable {
    public var eventID: Int64
    public var keyID: Int64
    public var email: String?
    public var deviceID: String?
    public var accountID: String?
    public var firstName: String?
    public var lastName: String?
    public var mediaURL: String?
    /// Attribute code → the values given (one for most datatypes, several for a multivaluelist).
    public var attributes: [String: [String]]

    public init(eventID: Int64, keyID: Int64, email: String?, deviceID: String?, accountID: String?, firstName: String?,
                lastName: String?, mediaURL: String?, attributes: [String: [String]]) {
        self.eventID = eventID
        self.keyID = keyID
        self.email = email
        self.deviceID = deviceID
        self.accountID = accountID
        self.firstName = firstName
        self.lastName = lastName
        self.mediaURL = mediaURL
        self.attributes = attributes
    }
}

/// The search of `GET requests`: ids override everything else; otherwise items, statuses and a
/// window of reporting time narrow.
public struct Open311Query: Sendable {
    /// The items that may be shown at all; an empty list finds nothing.
    public var itemCodes: [String]
    public var ids: [Int64]?
    public var statuses: [EventStatus] = []
    public var reportedFrom: Int64?
    /// Exclusive.
    public var reportedTo: Int64?

    public init(itemCodes: [String]) { self.itemCodes = itemCodes }
}

/// Persistence of Open311 keys and of the extras of requests entered through Open311.
public protocol Open311Repository: Sendable {
    /// Stores a new key by its hash; returns the id.
    func createKey(name: String, hash: String, hint: String, createdBy: Int64?, at: Int64, in tx: any SQLDatabase) async throws -> Int64
    func findKey(hash: String) async throws -> Open311Key?
    func findKey(id: Int64) async throws -> Open311Key?
    /// Newest first, revoked ones included.
    func keys() async throws -> [Open311Key]
    /// Marks the key revoked; false when there is no such key or it was revoked already.
    func revokeKey(id: Int64, at: Int64, in tx: any SQLDatabase) async throws -> Bool
    func saveExtras(_ extras: Open311Extras, in tx: any SQLDatabase) async throws
    func extras(eventIDs: [Int64]) async throws -> [Int64: Open311Extras]
    /// Newest first.
    func requests(_ query: Open311Query, limit: Int, offset: Int) async throws -> [Event]
}

public struct SQLOpen311Repository: Open311Repository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func createKey(name: String, hash: String, hint: String, createdBy: Int64?, at: Int64,
                          in tx: any SQLDatabase) async throws -> Int64 {
        let row = try await tx.raw("""
            INSERT INTO open311_keys (name, key_hash, key_hint, created_at, created_by)
            VALUES (\(bind: name), \(bind: hash), \(bind: hint), \(bind: at), \(bind: createdBy))
            RETURNING id
            """).first()
        guard let id = try row?.int64("id") else { throw StoredDataError("新密钥没有返回编号") }
        return id
    }

    public func findKey(hash: String) async throws -> Open311Key? {
        try await db.sql.raw("SELECT * FROM open311_keys WHERE key_hash = \(bind: hash)").first().map(Self.key)
    }

    public func findKey(id: Int64) async throws -> Open311Key? {
        try await db.sql.raw("SELECT * FROM open311_keys WHERE id = \(bind: id)").first().map(Self.key)
    }

    public func keys() async throws -> [Open311Key] {
        try await db.sql.raw("SELECT * FROM open311_keys ORDER BY id DESC").all().map(Self.key)
    }

    public func revokeKey(id: Int64, at: Int64, in tx: any SQLDatabase) async throws -> Bool {
        let rows = try await tx.raw("""
            UPDATE open311_keys SET revoked_at = \(bind: at) WHERE id = \(bind: id) AND revoked_at IS NULL RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func saveExtras(_ e: Open311Extras, in tx: any SQLDatabase) async throws {
        let attributes = String(decoding: try JSONEncoder.sorted.encode(e.attributes), as: UTF8.self)
        try await tx.raw("""
            INSERT INTO open311_requests (event_id, key_id, email, device_id, account_id, first_name, last_name, media_url, attributes)
            VALUES (\(bind: e.eventID), \(bind: e.keyID), \(bind: e.email), \(bind: e.deviceID), \(bind: e.accountID),
                    \(bind: e.firstName), \(bind: e.lastName), \(bind: e.mediaURL), \(bind: attributes))
            """).run()
    }

    public func extras(eventIDs: [Int64]) async throws -> [Int64: Open311Extras] {
        guard !eventIDs.isEmpty else { return [:] }
        let rows = try await db.sql.raw("""
            SELECT * FROM open311_requests WHERE event_id IN (\(SQLList(eventIDs.map { SQLBind($0) })))
            """).all()
        var result: [Int64: Open311Extras] = [:]
        for row in rows {
            let raw = try row.string("attributes")
            guard let attributes = try? JSONDecoder().decode([String: [String]].self, from: Data(raw.utf8)) else {
                throw StoredDataError("open311_requests.attributes 不是有效的JSON：\(raw)")
            }
            let extras = Open311Extras(
                eventID: try row.int64("event_id"), keyID: try row.int64("key_id"), email: try row.optionalString("email"),
                deviceID: try row.optionalString("device_id"), accountID: try row.optionalString("account_id"),
                firstName: try row.optionalString("first_name"), lastName: try row.optionalString("last_name"),
                mediaURL: try row.optionalString("media_url"), attributes: attributes)
            result[extras.eventID] = extras
        }
        return result
    }

    public func requests(_ query: Open311Query, limit: Int, offset: Int) async throws -> [Event] {
        guard !query.itemCodes.isEmpty else { return [] }
        var parts: [SQLQueryString] = ["item_code IN (\(SQLList(query.itemCodes.map { SQLBind($0) })))"]
        if let ids = query.ids {
            guard !ids.isEmpty else { return [] }
            parts.append("id IN (\(SQLList(ids.map { SQLBind($0) })))")
        } else {
            if !query.statuses.isEmpty { parts.append("status IN (\(SQLList(query.statuses.map { SQLBind($0.rawValue) })))") }
            if let from = query.reportedFrom { parts.append("reported_at >= \(bind: from)") }
            if let to = query.reportedTo { parts.append("reported_at < \(bind: to)") }
        }
        let conditions = parts.map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
        return try await db.sql.raw("""
            SELECT * FROM events WHERE \(conditions) ORDER BY reported_at DESC, id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(SQLEventRepository.event)
    }

    static func key(_ row: any SQLRow) throws -> Open311Key {
        Open311Key(id: try row.int64("id"), name: try row.string("name"), hint: try row.string("key_hint"),
                   createdAt: try row.int64("created_at"), createdBy: try row.optionalInt64("created_by"),
                   revokedAt: try row.optionalInt64("revoked_at"))
    }
}

private extension JSONEncoder {
    /// Sorted keys keep the stored text stable, so equal answers compare equal in the database too.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
