import SQLKit
import WanggeCore

/// How a notification travels.
public enum NotificationChannel: String, CaseIterable, Codable, Sendable {
    /// An HTTP POST of a signed JSON body to the department's URL.
    case webhook
    /// A text message through the SMS gateway.
    case sms
}

/// Where a notification stands in the outbox.
public enum NotificationStatus: String, CaseIterable, Codable, Sendable {
    /// Queued and not tried yet, or put back by an administrator.
    case pending
    /// Tried and failed; tried again at `nextAttemptAt`.
    case failed
    /// Delivered (the receiver answered 2xx).
    case sent
    /// Given up after the last attempt; only an administrator's retry sends it again.
    case dead

    /// The statuses the delivery worker picks up.
    public static let deliverable: [NotificationStatus] = [.pending, .failed]
}

/// One row of the outbox. Times are Unix seconds.
public struct OutboxNotification: Hashable, Sendable {
    public var id: Int64?
    public var createdAt: Int64
    public var eventID: Int64?
    /// What happened: `dispatched`, `card`, `closed`, `copied`, `returned` …
    public var kind: String
    public var channel: NotificationChannel
    /// Who is told: `department:ID`, `center:CODE`, or `reporter` (the citizen who reported the event).
    public var recipient: String
    /// The webhook URL or the phone number.
    public var target: String
    /// The exact JSON body of a webhook, or the text of an SMS.
    public var payload: String
    public var status: NotificationStatus
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var lastError: String?
    public var sentAt: Int64?

    public init(id: Int64? = nil, createdAt: Int64, eventID: Int64?, kind: String, channel: NotificationChannel, recipient: String,
                target: String, payload: String, status: NotificationStatus = .pending, attempts: Int = 0, nextAttemptAt: Int64,
                lastError: String? = nil, sentAt: Int64? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.eventID = eventID
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.target = target
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.sentAt = sentAt
    }
}

/// Where a department wants to be told. The secret signs webhook bodies and is never shown again.
public struct DepartmentEndpoints: Hashable, Sendable {
    public var departmentID: Int64
    public var webhookURL: String?
    public var webhookSecret: String?
    public var smsPhone: String?
    public var updatedAt: Int64?

    public init(departmentID: Int64, webhookURL: String?, webhookSecret: String?, smsPhone: String?, updatedAt: Int64? = nil) {
        self.departmentID = departmentID
        self.webhookURL = webhookURL
        self.webhookSecret = webhookSecret
        self.smsPhone = smsPhone
        self.updatedAt = updatedAt
    }

    /// The recipient string of the department's notifications.
    public var recipient: String { "department:\(departmentID)" }
}

/// The reporter of an event merged into another, who is told when the other one is closed.
public struct MergedReporter: Hashable, Sendable {
    public var eventID: Int64
    public var trackingNumber: String
    public var source: EventSource
    public var phone: String
}

/// What the administrators' list asks for.
public struct NotificationFilter: Sendable {
    public var status: NotificationStatus?
    /// Only notifications of events in this subtree; nil for all (including those without an event).
    public var territory: CodeRange?

    public init(status: NotificationStatus? = nil, territory: CodeRange? = nil) {
        self.status = status
        self.territory = territory
    }
}

/// Persistence of the outbox and of the departments' endpoints.
public protocol NotificationRepository: Sendable {
    /// Queues a notification inside the caller's transaction (the one that changes the event).
    func enqueue(_ notification: OutboxNotification, in tx: any SQLDatabase) async throws -> OutboxNotification
    /// Pending or failed notifications whose time has come, oldest first.
    func due(now: Int64, limit: Int) async throws -> [OutboxNotification]
    /// Takes a due notification for one delivery by moving its next attempt to `until`; false when
    /// another worker took it first (or it changed). A worker that dies mid-delivery leaves the
    /// row to be taken again after `until`.
    func claim(_ notification: OutboxNotification, until: Int64, in tx: any SQLDatabase) async throws -> Bool
    func markSent(id: Int64, at: Int64, in tx: any SQLDatabase) async throws
    /// Records a failed attempt: tried again at `nextAttemptAt`, or `dead` when it is nil.
    func markFailed(id: Int64, error: String, nextAttemptAt: Int64?, in tx: any SQLDatabase) async throws
    func find(id: Int64) async throws -> OutboxNotification?
    /// Newest first.
    func list(_ filter: NotificationFilter, limit: Int, offset: Int) async throws -> [OutboxNotification]
    func count(_ filter: NotificationFilter) async throws -> Int
    /// Counts per status within the filter's territory (its status is ignored); every status is present.
    func countsByStatus(_ filter: NotificationFilter) async throws -> [NotificationStatus: Int]
    /// Puts a failed or dead notification back to pending, due at `at`; false when it was neither.
    func retry(id: Int64, at: Int64, in tx: any SQLDatabase) async throws -> Bool
    func endpoints(departmentID: Int64) async throws -> DepartmentEndpoints?
    func endpoints(departmentID: Int64, in tx: any SQLDatabase) async throws -> DepartmentEndpoints?
    /// Stores the endpoints; undelivered notifications of the department follow the new URL and
    /// phone, so fixing a wrong address and retrying is enough.
    func setEndpoints(_ endpoints: DepartmentEndpoints, at: Int64, in tx: any SQLDatabase) async throws
    /// Reporters with a phone of the events merged into `eventID`.
    func mergedReporters(into eventID: Int64, in tx: any SQLDatabase) async throws -> [MergedReporter]
}

public struct SQLNotificationRepository: NotificationRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func enqueue(_ n: OutboxNotification, in tx: any SQLDatabase) async throws -> OutboxNotification {
        let row = try await tx.raw("""
            INSERT INTO notifications (created_at, event_id, kind, channel, recipient, target, payload, status, attempts,
                next_attempt_at, last_error, sent_at)
            VALUES (\(bind: n.createdAt), \(bind: n.eventID), \(bind: n.kind), \(bind: n.channel.rawValue), \(bind: n.recipient),
                \(bind: n.target), \(bind: n.payload), \(bind: n.status.rawValue), \(bind: n.attempts), \(bind: n.nextAttemptAt),
                \(bind: n.lastError), \(bind: n.sentAt))
            RETURNING id
            """).first()
        var saved = n
        saved.id = try row?.int64("id")
        return saved
    }

    public func due(now: Int64, limit: Int) async throws -> [OutboxNotification] {
        try await db.sql.raw("""
            SELECT * FROM notifications WHERE status IN ('pending', 'failed') AND next_attempt_at <= \(bind: now)
            ORDER BY next_attempt_at, id LIMIT \(bind: limit)
            """).all().map(Self.notification)
    }

    public func claim(_ n: OutboxNotification, until: Int64, in tx: any SQLDatabase) async throws -> Bool {
        guard let id = n.id else { return false }
        let rows = try await tx.raw("""
            UPDATE notifications SET next_attempt_at = \(bind: until)
            WHERE id = \(bind: id) AND status IN ('pending', 'failed') AND next_attempt_at = \(bind: n.nextAttemptAt)
              AND attempts = \(bind: n.attempts)
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func markSent(id: Int64, at: Int64, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            UPDATE notifications SET status = 'sent', attempts = attempts + 1, sent_at = \(bind: at), last_error = NULL
            WHERE id = \(bind: id)
            """).run()
    }

    public func markFailed(id: Int64, error: String, nextAttemptAt: Int64?, in tx: any SQLDatabase) async throws {
        let status: NotificationStatus = nextAttemptAt == nil ? .dead : .failed
        // A dead row keeps its last due time, so it still sorts sensibly; it is never picked up.
        let next: SQLQueryString = nextAttemptAt.map { (at: Int64) -> SQLQueryString in "\(bind: at)" } ?? "next_attempt_at"
        try await tx.raw("""
            UPDATE notifications SET status = \(bind: status.rawValue), attempts = attempts + 1,
                last_error = \(bind: String(error.prefix(1000))), next_attempt_at = \(next)
            WHERE id = \(bind: id)
            """).run()
    }

    public func find(id: Int64) async throws -> OutboxNotification? {
        try await db.sql.raw("SELECT * FROM notifications WHERE id = \(bind: id)").first().map(Self.notification)
    }

    public func list(_ filter: NotificationFilter, limit: Int, offset: Int) async throws -> [OutboxNotification] {
        try await db.sql.raw("""
            SELECT * FROM notifications WHERE \(Self.conditions(filter)) ORDER BY id DESC LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(Self.notification)
    }

    public func count(_ filter: NotificationFilter) async throws -> Int {
        try await db.sql.raw("SELECT COUNT(*) AS n FROM notifications WHERE \(Self.conditions(filter))").first()?.int("n") ?? 0
    }

    public func countsByStatus(_ filter: NotificationFilter) async throws -> [NotificationStatus: Int] {
        let all = NotificationFilter(territory: filter.territory)
        var counts = Dictionary(uniqueKeysWithValues: NotificationStatus.allCases.map { ($0, 0) })
        for row in try await db.sql.raw("""
            SELECT status, COUNT(*) AS n FROM notifications WHERE \(Self.conditions(all)) GROUP BY status
            """).all() {
            counts[try row.enumValue("status", as: NotificationStatus.self)] = try row.int("n")
        }
        return counts
    }

    static func conditions(_ f: NotificationFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = ["1 = 1"]
        if let status = f.status { parts.append("status = \(bind: status.rawValue)") }
        if let territory = f.territory {
            parts.append("event_id IN (SELECT id FROM events WHERE \(rangeCondition("grid_code", territory)))")
        }
        return parts.map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
    }

    public func retry(id: Int64, at: Int64, in tx: any SQLDatabase) async throws -> Bool {
        let rows = try await tx.raw("""
            UPDATE notifications SET status = 'pending', next_attempt_at = \(bind: at)
            WHERE id = \(bind: id) AND status IN ('failed', 'dead')
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public func endpoints(departmentID: Int64) async throws -> DepartmentEndpoints? {
        try await endpoints(departmentID: departmentID, in: db.sql)
    }

    public func endpoints(departmentID: Int64, in tx: any SQLDatabase) async throws -> DepartmentEndpoints? {
        try await tx.raw("SELECT * FROM department_endpoints WHERE department_id = \(bind: departmentID)").first().map { row in
            DepartmentEndpoints(departmentID: try row.int64("department_id"), webhookURL: try row.optionalString("webhook_url"),
                                webhookSecret: try row.optionalString("webhook_secret"), smsPhone: try row.optionalString("sms_phone"),
                                updatedAt: try row.int64("updated_at"))
        }
    }

    public func setEndpoints(_ e: DepartmentEndpoints, at: Int64, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            INSERT INTO department_endpoints (department_id, webhook_url, webhook_secret, sms_phone, updated_at)
            VALUES (\(bind: e.departmentID), \(bind: e.webhookURL), \(bind: e.webhookSecret), \(bind: e.smsPhone), \(bind: at))
            ON CONFLICT (department_id) DO UPDATE SET webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret,
                sms_phone = excluded.sms_phone, updated_at = excluded.updated_at
            """).run()
        let undelivered: SQLQueryString = "status IN ('pending', 'failed', 'dead')"
        if let url = e.webhookURL {
            try await tx.raw("""
                UPDATE notifications SET target = \(bind: url)
                WHERE recipient = \(bind: e.recipient) AND channel = 'webhook' AND \(undelivered)
                """).run()
        }
        if let phone = e.smsPhone {
            try await tx.raw("""
                UPDATE notifications SET target = \(bind: phone)
                WHERE recipient = \(bind: e.recipient) AND channel = 'sms' AND \(undelivered)
                """).run()
        }
    }

    public func mergedReporters(into eventID: Int64, in tx: any SQLDatabase) async throws -> [MergedReporter] {
        try await tx.raw("""
            SELECT id, tracking_number, source, reporter_phone FROM events
            WHERE merged_into = \(bind: eventID) AND reporter_phone IS NOT NULL ORDER BY id
            """).all().map { row in
                MergedReporter(eventID: try row.int64("id"), trackingNumber: try row.string("tracking_number"),
                               source: try row.enumValue("source", as: EventSource.self), phone: try row.string("reporter_phone"))
            }
    }

    static func notification(_ row: any SQLRow) throws -> OutboxNotification {
        OutboxNotification(
            id: try row.int64("id"), createdAt: try row.int64("created_at"), eventID: try row.optionalInt64("event_id"),
            kind: try row.string("kind"), channel: try row.enumValue("channel", as: NotificationChannel.self),
            recipient: try row.string("recipient"), target: try row.string("target"), payload: try row.string("payload"),
            status: try row.enumValue("status", as: NotificationStatus.self), attempts: try row.int("attempts"),
            nextAttemptAt: try row.int64("next_attempt_at"), lastError: try row.optionalString("last_error"),
            sentAt: try row.optionalInt64("sent_at"))
    }
}
