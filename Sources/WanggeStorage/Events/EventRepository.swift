import SQLKit
import WanggeCore

/// What a queue or a map asks for. Every field narrows; `territory` is always set by the caller's
/// place in the tree.
public struct EventFilter: Sendable {
    public var territory: CodeRange?
    public var statuses: [EventStatus] = []
    public var holder: HandlingUnit?
    public var itemCode: String?
    public var categoryCode: String?
    public var source: EventSource?
    public var reportedFrom: Int64?
    public var reportedTo: Int64?
    /// Open, not handled, and past the deadline at this time.
    public var overdueAt: Int64?
    public var reporterAccountID: Int64?

    public init(territory: CodeRange?) { self.territory = territory }
}

/// Persistence of events, their timeline, supervision cards and serial numbers.
public protocol EventRepository: Sendable {
    /// The next sequence number of a county's day, inside the caller's transaction.
    func nextSerial(county: String, day: String, in tx: any SQLDatabase) async throws -> Int
    func insert(_ event: Event, in tx: any SQLDatabase) async throws -> Event
    /// Writes the event's new state; `previous` is how it was read in the same transaction (for the counters).
    func update(_ event: Event, previous: Event, in tx: any SQLDatabase) async throws
    func find(id: Int64) async throws -> Event?
    /// The event, read inside a transaction for changing it: locked until the transaction ends, so
    /// that two people acting at once are decided one after the other.
    func find(id: Int64, in tx: any SQLDatabase) async throws -> Event?
    func find(trackingNumber: String) async throws -> Event?
    /// Newest first.
    func list(_ filter: EventFilter, limit: Int, offset: Int) async throws -> [Event]
    func count(_ filter: EventFilter) async throws -> Int
    func appendStep(_ step: EventStep, in tx: any SQLDatabase) async throws -> EventStep
    func steps(eventID: Int64) async throws -> [EventStep]
    /// Events reported since `since` whose position lies in the box, newest first.
    func near(box: BoundingBox, since: Int64, limit: Int) async throws -> [Event]
    /// Open events of an item reported since `since` whose position lies in the box (candidates for 并单).
    func openNear(itemCode: String, box: BoundingBox, since: Int64) async throws -> [Event]
    /// Records a card once; false when the event already had it.
    func issueCard(eventID: Int64, kind: String, color: String, at: Int64, in tx: any SQLDatabase) async throws -> Bool
    func cards(eventID: Int64) async throws -> [(kind: String, color: String, at: Int64)]
    /// Events that supervision has to look at: dispatched or signed.
    func underSupervision(limit: Int, afterID: Int64) async throws -> [Event]
    /// The dashboard figures of a node for the months `from`…`to` (`YYYY-MM`, inclusive; nil = open end).
    func figures(node: GridCode, from: String?, to: String?) async throws -> EventFigures
    /// Events open, not yet handled and past their deadline at `now`.
    func overdueCount(territory: CodeRange, now: Int64) async throws -> Int
    /// Total and completed events of each node in the months given.
    func countsByNode(_ nodes: [GridCode], from: String?, to: String?) async throws -> [GridCode: (total: Int, completed: Int)]
}

public struct SQLEventRepository: EventRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func nextSerial(county: String, day: String, in tx: any SQLDatabase) async throws -> Int {
        try await tx.raw("""
            INSERT INTO event_serials (county, day, last) VALUES (\(bind: county), \(bind: day), 1)
            ON CONFLICT (county, day) DO UPDATE SET last = event_serials.last + 1
            """).run()
        let row = try await tx.raw("SELECT last FROM event_serials WHERE county = \(bind: county) AND day = \(bind: day)").first()
        return try row?.int("last") ?? 1
    }

    public func insert(_ event: Event, in tx: any SQLDatabase) async throws -> Event {
        let row = try await tx.raw("""
            INSERT INTO events (serial, tracking_number, source, item_code, category_code, description, lon, lat, grid_code,
                address, reporter_account_id, reporter_name, reporter_phone, parties, amount, urgent, status, holder, dispatcher,
                deadline, requested_deadline, resolved_level, satisfaction, merged_into, reported_at, accepted_at, dispatched_at,
                signed_at, handled_at, closed_at, updated_at)
            VALUES (\(bind: event.serial), \(bind: event.trackingNumber), \(bind: event.source.rawValue), \(bind: event.itemCode),
                \(bind: String(event.itemCode.prefix(2))), \(bind: event.description), \(bind: event.lon), \(bind: event.lat),
                \(bind: event.grid.value), \(bind: event.address), \(bind: event.reporterAccountID), \(bind: event.reporterName),
                \(bind: event.reporterPhone), \(bind: event.parties), \(bind: event.amount), \(bind: event.urgent ? 1 : 0),
                \(bind: event.status.rawValue), \(bind: event.holder.description), \(bind: event.dispatcher?.description),
                \(bind: event.deadline), \(bind: event.requestedDeadline), \(bind: event.resolvedLevel), \(bind: event.satisfaction),
                \(bind: event.mergedInto), \(bind: event.reportedAt), \(bind: event.acceptedAt), \(bind: event.dispatchedAt),
                \(bind: event.signedAt), \(bind: event.handledAt), \(bind: event.closedAt), \(bind: event.updatedAt))
            RETURNING id
            """).first()
        var saved = event
        saved.id = try row?.int64("id")
        try await adjustCounters(grid: event.grid, removing: nil, adding: StatKey(event), in: tx)
        return saved
    }

    public func update(_ e: Event, previous: Event, in tx: any SQLDatabase) async throws {
        guard let id = e.id else { return }
        try await adjustCounters(grid: e.grid, removing: StatKey(previous), adding: StatKey(e), in: tx)
        try await tx.raw("""
            UPDATE events SET item_code = \(bind: e.itemCode), category_code = \(bind: String(e.itemCode.prefix(2))),
                description = \(bind: e.description), urgent = \(bind: e.urgent ? 1 : 0), status = \(bind: e.status.rawValue),
                holder = \(bind: e.holder.description), dispatcher = \(bind: e.dispatcher?.description),
                deadline = \(bind: e.deadline), requested_deadline = \(bind: e.requestedDeadline),
                resolved_level = \(bind: e.resolvedLevel), satisfaction = \(bind: e.satisfaction), merged_into = \(bind: e.mergedInto),
                accepted_at = \(bind: e.acceptedAt), dispatched_at = \(bind: e.dispatchedAt), signed_at = \(bind: e.signedAt),
                handled_at = \(bind: e.handledAt), closed_at = \(bind: e.closedAt), updated_at = \(bind: e.updatedAt)
            WHERE id = \(bind: id)
            """).run()
    }

    public func find(id: Int64) async throws -> Event? {
        try await db.sql.raw("SELECT * FROM events WHERE id = \(bind: id)").first().map(Self.event)
    }

    public func find(id: Int64, in tx: any SQLDatabase) async throws -> Event? {
        // SQLite's write transactions are serial already (BEGIN IMMEDIATE); PostgreSQL needs the row lock.
        let lock: SQLQueryString = db.engine == .postgres ? " FOR UPDATE" : ""
        return try await tx.raw("SELECT * FROM events WHERE id = \(bind: id)\(lock)").first().map(Self.event)
    }

    public func find(trackingNumber: String) async throws -> Event? {
        try await db.sql.raw("SELECT * FROM events WHERE tracking_number = \(bind: trackingNumber)").first().map(Self.event)
    }

    public func list(_ filter: EventFilter, limit: Int, offset: Int) async throws -> [Event] {
        try await db.sql.raw("""
            SELECT * FROM events WHERE \(Self.conditions(filter)) ORDER BY reported_at DESC, id DESC
            LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all().map(Self.event)
    }

    public func count(_ filter: EventFilter) async throws -> Int {
        try await db.sql.raw("SELECT COUNT(*) AS n FROM events WHERE \(Self.conditions(filter))").first()?.int("n") ?? 0
    }

    static func conditions(_ f: EventFilter) -> SQLQueryString {
        var parts: [SQLQueryString] = [rangeCondition("grid_code", f.territory)]
        if !f.statuses.isEmpty {
            parts.append("status IN (\(SQLList(f.statuses.map { SQLBind($0.rawValue) })))")
        }
        if let holder = f.holder { parts.append("holder = \(bind: holder.description)") }
        if let item = f.itemCode { parts.append("item_code = \(bind: item)") }
        if let category = f.categoryCode { parts.append("category_code = \(bind: category)") }
        if let source = f.source { parts.append("source = \(bind: source.rawValue)") }
        if let from = f.reportedFrom { parts.append("reported_at >= \(bind: from)") }
        if let to = f.reportedTo { parts.append("reported_at < \(bind: to)") }
        if let reporter = f.reporterAccountID { parts.append("reporter_account_id = \(bind: reporter)") }
        if let now = f.overdueAt {
            let open = EventStatus.allCases.filter { $0.isOpen && $0 != .handled }.map { SQLBind($0.rawValue) }
            parts.append("deadline IS NOT NULL AND deadline < \(bind: now) AND status IN (\(SQLList(open)))")
        }
        return parts.map { "(\($0))" as SQLQueryString }.joined(separator: " AND ")
    }

    public func appendStep(_ step: EventStep, in tx: any SQLDatabase) async throws -> EventStep {
        let row = try await tx.raw("""
            INSERT INTO event_steps (event_id, at, actor_id, actor, action, from_status, to_status, from_unit, to_unit, note, attachments)
            VALUES (\(bind: step.eventID), \(bind: step.at), \(bind: step.actorID), \(bind: step.actor), \(bind: step.action),
                    \(bind: step.fromStatus?.rawValue), \(bind: step.toStatus.rawValue), \(bind: step.fromUnit?.description),
                    \(bind: step.toUnit?.description), \(bind: step.note),
                    \(bind: step.attachments.map(String.init).joined(separator: ",")))
            RETURNING id
            """).first()
        var saved = step
        saved.id = try row?.int64("id")
        return saved
    }

    public func steps(eventID: Int64) async throws -> [EventStep] {
        try await db.sql.raw("SELECT * FROM event_steps WHERE event_id = \(bind: eventID) ORDER BY id").all().map { row in
            EventStep(
                id: try row.int64("id"), eventID: try row.int64("event_id"), at: try row.int64("at"),
                actorID: try row.optionalInt64("actor_id"), actor: try row.string("actor"), action: try row.string("action"),
                fromStatus: try row.optionalString("from_status").flatMap(EventStatus.init(rawValue:)),
                toStatus: try row.enumValue("to_status", as: EventStatus.self),
                fromUnit: try row.optionalString("from_unit").flatMap { try? HandlingUnit(parsing: $0) },
                toUnit: try row.optionalString("to_unit").flatMap { try? HandlingUnit(parsing: $0) },
                note: try row.optionalString("note"),
                attachments: try row.string("attachments").split(separator: ",").compactMap { Int64($0) })
        }
    }

    public func openNear(itemCode: String, box: BoundingBox, since: Int64) async throws -> [Event] {
        let open = EventStatus.allCases.filter(\.isOpen).map { SQLBind($0.rawValue) }
        return try await db.sql.raw("""
            SELECT * FROM events WHERE item_code = \(bind: itemCode) AND status IN (\(SQLList(open)))
              AND reported_at >= \(bind: since)
              AND lon BETWEEN \(bind: box.minLon) AND \(bind: box.maxLon) AND lat BETWEEN \(bind: box.minLat) AND \(bind: box.maxLat)
            ORDER BY reported_at DESC LIMIT 20
            """).all().map(Self.event)
    }

    public func near(box: BoundingBox, since: Int64, limit: Int) async throws -> [Event] {
        try await db.sql.raw("""
            SELECT * FROM events WHERE reported_at >= \(bind: since)
              AND lon BETWEEN \(bind: box.minLon) AND \(bind: box.maxLon) AND lat BETWEEN \(bind: box.minLat) AND \(bind: box.maxLat)
            ORDER BY reported_at DESC LIMIT \(bind: limit)
            """).all().map(Self.event)
    }

    public func issueCard(eventID: Int64, kind: String, color: String, at: Int64, in tx: any SQLDatabase) async throws -> Bool {
        let rows = try await tx.raw("""
            INSERT INTO event_cards (event_id, kind, color, issued_at) VALUES (\(bind: eventID), \(bind: kind), \(bind: color), \(bind: at))
            ON CONFLICT (event_id, kind, color) DO NOTHING
            RETURNING event_id
            """).all()
        return !rows.isEmpty
    }

    public func cards(eventID: Int64) async throws -> [(kind: String, color: String, at: Int64)] {
        try await db.sql.raw("SELECT * FROM event_cards WHERE event_id = \(bind: eventID) ORDER BY issued_at, kind, color").all().map {
            (try $0.string("kind"), try $0.string("color"), try $0.int64("issued_at"))
        }
    }

    public func underSupervision(limit: Int, afterID: Int64) async throws -> [Event] {
        try await db.sql.raw("""
            SELECT * FROM events WHERE status IN ('dispatched', 'signed') AND id > \(bind: afterID) ORDER BY id LIMIT \(bind: limit)
            """).all().map(Self.event)
    }

    static func event(_ row: any SQLRow) throws -> Event {
        func unit(_ column: String) throws -> HandlingUnit? {
            guard let raw = try row.optionalString(column) else { return nil }
            do { return try HandlingUnit(parsing: raw) } catch { throw StoredDataError("\(column) 中的单位无效：\(raw)") }
        }
        func double(_ column: String) throws -> Double? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: Double.self)
        }
        return Event(
            id: try row.int64("id"), serial: try row.string("serial"), trackingNumber: try row.string("tracking_number"),
            source: try row.enumValue("source", as: EventSource.self), itemCode: try row.string("item_code"),
            description: try row.string("description"), lon: try double("lon"), lat: try double("lat"),
            grid: try row.gridCode("grid_code"), address: try row.optionalString("address"),
            reporterAccountID: try row.optionalInt64("reporter_account_id"), reporterName: try row.optionalString("reporter_name"),
            reporterPhone: try row.optionalString("reporter_phone"), parties: try row.optionalString("parties"),
            amount: try double("amount"), urgent: try row.bool("urgent"), status: try row.enumValue("status", as: EventStatus.self),
            holder: try unit("holder")!, dispatcher: try unit("dispatcher"), deadline: try row.optionalInt64("deadline"),
            requestedDeadline: try row.optionalInt64("requested_deadline"), resolvedLevel: try row.optionalString("resolved_level"),
            satisfaction: try row.optionalInt64("satisfaction").map(Int.init), mergedInto: try row.optionalInt64("merged_into"),
            reportedAt: try row.int64("reported_at"), acceptedAt: try row.optionalInt64("accepted_at"),
            dispatchedAt: try row.optionalInt64("dispatched_at"), signedAt: try row.optionalInt64("signed_at"),
            handledAt: try row.optionalInt64("handled_at"), closedAt: try row.optionalInt64("closed_at"),
            updatedAt: try row.int64("updated_at"))
    }
}
