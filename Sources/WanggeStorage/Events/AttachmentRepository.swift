import SQLKit
import WanggeCore

/// A file attached to an event (a photo of the problem, of the result, a scanned agreement).
public struct Attachment: Hashable, Sendable {
    public var id: Int64?
    public var eventID: Int64
    public var filename: String
    public var contentType: String
    public var size: Int
    /// Relative to the data directory.
    public var path: String
    public var createdAt: Int64

    public init(id: Int64? = nil, eventID: Int64, filename: String, contentType: String, size: Int, path: String, createdAt: Int64) {
        self.id = id
        self.eventID = eventID
        self.filename = filename
        self.contentType = contentType
        self.size = size
        self.path = path
        self.createdAt = createdAt
    }
}

/// The files are on disk under the data directory; the database keeps what they are and whose.
public protocol AttachmentRepository: Sendable {
    func insert(_ attachment: Attachment, in tx: any SQLDatabase) async throws -> Attachment
    func find(id: Int64) async throws -> Attachment?
    func list(eventID: Int64) async throws -> [Attachment]
}

public struct SQLAttachmentRepository: AttachmentRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func insert(_ a: Attachment, in tx: any SQLDatabase) async throws -> Attachment {
        let row = try await tx.raw("""
            INSERT INTO event_attachments (event_id, filename, content_type, size, path, created_at)
            VALUES (\(bind: a.eventID), \(bind: a.filename), \(bind: a.contentType), \(bind: a.size), \(bind: a.path), \(bind: a.createdAt))
            RETURNING id
            """).first()
        var saved = a
        saved.id = try row?.int64("id")
        return saved
    }

    public func find(id: Int64) async throws -> Attachment? {
        try await db.sql.raw("SELECT * FROM event_attachments WHERE id = \(bind: id)").first().map(Self.attachment)
    }

    public func list(eventID: Int64) async throws -> [Attachment] {
        try await db.sql.raw("SELECT * FROM event_attachments WHERE event_id = \(bind: eventID) ORDER BY id").all().map(Self.attachment)
    }

    static func attachment(_ row: any SQLRow) throws -> Attachment {
        Attachment(id: try row.int64("id"), eventID: try row.int64("event_id"), filename: try row.string("filename"),
                   contentType: try row.string("content_type"), size: try row.int("size"), path: try row.string("path"),
                   createdAt: try row.int64("created_at"))
    }
}
