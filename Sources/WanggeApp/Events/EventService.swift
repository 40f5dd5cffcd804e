import Foundation
import SQLKit
import WanggeCore
import WanggeStorage

/// What a reporter sends.
public struct ReportDraft: Sendable {
    public var itemCode: String
    public var description: String
    public var lon: Double?
    public var lat: Double?
    /// Needed when there is no position.
    public var grid: String?
    public var address: String?
    public var parties: String?
    public var amount: Double?
    public var reporterName: String?
    public var reporterPhone: String?
    public var source: EventSource

    public init(itemCode: String, description: String, lon: Double?, lat: Double?, grid: String?, address: String?, parties: String?,
                amount: Double?, reporterName: String?, reporterPhone: String?, source: EventSource) {
        self.itemCode = itemCode
        self.description = description
        self.lon = lon
        self.lat = lat
        self.grid = grid
        self.address = address
        self.parties = parties
        self.amount = amount
        self.reporterName = reporterName
        self.reporterPhone = reporterPhone
        self.source = source
    }
}

/// What an action may carry.
public struct ActionInput: Sendable, Decodable {
    public var note: String?
    /// Target unit of dispatch or copy: `center:CODE` or `department:ID`.
    public var to: String?
    /// Explicit deadline (Unix seconds) for dispatch, or the requested one for an extension.
    public var deadline: Int64?
    public var satisfaction: Int?
    /// The event this one is merged into.
    public var into: Int64?
    /// Attachment ids uploaded for this step.
    public var attachments: [Int64]?

    public init(note: String? = nil, to: String? = nil, deadline: Int64? = nil, satisfaction: Int? = nil, into: Int64? = nil,
                attachments: [Int64]? = nil) {
        self.note = note
        self.to = to
        self.deadline = deadline
        self.satisfaction = satisfaction
        self.into = into
        self.attachments = attachments
    }
}

/// Who acts, as the loop sees it, with the name for the timeline and the territory for visibility.
public struct EventCaller: Sendable {
    public var actor: EventActor
    public var name: String
    /// nil for citizens and the system: their visibility is decided otherwise.
    public var territory: Territory?
    public var accountID: Int64?

    public static let system = EventCaller(actor: .system, name: "系统", territory: nil, accountID: nil)
    public static let citizen = EventCaller(actor: .citizen, name: "群众", territory: nil, accountID: nil)

    init(actor: EventActor, name: String, territory: Territory?, accountID: Int64?) {
        self.actor = actor
        self.name = name
        self.territory = territory
        self.accountID = accountID
    }

    init(_ caller: Caller) {
        actor = .account(id: caller.id, role: caller.role, scope: caller.role == .department ? nil : caller.territory.root,
                         departmentID: caller.account.departmentID)
        name = caller.account.displayName
        territory = caller.territory
        accountID = caller.account.id
    }
}

/// The closed loop: report, act, read. Every change and its timeline row are written in one transaction.
public struct EventService: Sendable {
    let repos: Repositories
    let index: GridIndexCache
    let calendars: CalendarStore
    let catalogs: CatalogStore
    let duplicates: DuplicateRule
    let notifier: any EventNotifier
    let now: @Sendable () -> Int64

    init(repos: Repositories, index: GridIndexCache, calendars: CalendarStore, notifier: any EventNotifier,
         now: @escaping @Sendable () -> Int64) {
        self.repos = repos
        self.index = index
        self.calendars = calendars
        self.catalogs = CatalogStore(repos: repos)
        self.duplicates = DuplicateRule()
        self.notifier = notifier
        self.now = now
    }

    public struct Reported: Sendable {
        public var event: Event
        /// Open reports of the same item close by: likely the same problem (并单 candidates).
        public var possibleDuplicates: [Event]
    }

    /// - Parameter alongside: more rows to write in the same transaction (a channel's own record of the request).
    public func report(_ draft: ReportDraft, by caller: EventCaller,
                       alongside: (@Sendable (Event, any SQLDatabase) async throws -> Void)? = nil) async throws -> Reported {
        try Event.validateReport(description: draft.description, lon: draft.lon, lat: draft.lat, address: draft.address,
                                 parties: draft.parties, amount: draft.amount, reporterPhone: draft.reporterPhone)
        let catalog = try await catalogs.current()
        guard let item = catalog.item(draft.itemCode) else {
            throw AppError.badRequest("事件清单中没有事项\(draft.itemCode)", field: "itemCode")
        }
        if case .account = caller.actor {} else if !item.citizenReportable {
            throw AppError.badRequest("事项“\(item.name)”不接受群众直接上报", field: "itemCode")
        }
        let snapshot = try await index.current()
        let grid: GridCode
        if let lon = draft.lon, let lat = draft.lat {
            guard let found = snapshot.index.locate(lon: lon, lat: lat) else {
                throw AppError.badRequest("位置(\(lat), \(lon))不在任何网格内", field: "lat")
            }
            grid = found
        } else if let raw = draft.grid {
            let code = try GridCode.parse(raw, field: "grid")
            guard snapshot.nodes[code] != nil else { throw AppError.badRequest("网格\(code)不存在", field: "grid") }
            grid = code
        } else {
            throw AppError.badRequest("请提供事件位置(经纬度)或所在网格", field: "lat")
        }
        if let territory = caller.territory, !territory.contains(grid) {
            throw AppError.badRequest("事件位置不在您的管辖范围内", field: draft.lon == nil ? "grid" : "lat")
        }
        let holder = HandlingUnit.center(Self.center(for: grid, at: item.level, nodes: snapshot.nodes))
        let at = now()
        let county = grid.countyCode
        let reporterID = caller.accountID
        let saved = try await repos.database.transaction { tx in
            let sequence = try await repos.events.nextSerial(county: county, day: Day(localDateOf: at).description, in: tx)
            let event = Event(
                serial: EventSerial.make(county: county, at: at, sequence: sequence), trackingNumber: Self.trackingNumber(),
                source: draft.source, itemCode: item.code, description: String(draft.description.trimmed),
                lon: draft.lon, lat: draft.lat, grid: grid, address: draft.address, reporterAccountID: reporterID,
                reporterName: draft.reporterName ?? (reporterID == nil ? nil : caller.name), reporterPhone: draft.reporterPhone,
                parties: draft.parties, amount: draft.amount, urgent: item.priority == .urgent, holder: holder,
                reportedAt: at, updatedAt: at)
            let saved = try await repos.events.insert(event, in: tx)
            let step = try await repos.events.appendStep(EventStep(
                eventID: saved.id ?? 0, at: at, actorID: reporterID, actor: caller.name, action: "report", fromStatus: nil,
                toStatus: .reported, fromUnit: nil, toUnit: holder, note: "\(draft.source.label)上报"), in: tx)
            try await notifier.eventChanged(saved, action: "report", step: step, in: tx)
            try await alongside?(saved, tx)
            return saved
        }
        return Reported(event: saved, possibleDuplicates: try await possibleDuplicates(of: saved))
    }

    /// Open reports of the same item within the rule's distance and time.
    func possibleDuplicates(of event: Event) async throws -> [Event] {
        guard let lon = event.lon, let lat = event.lat else { return [] }
        let box = duplicates.searchBox(lon: lon, lat: lat)
        return try await repos.events.openNear(itemCode: event.itemCode, box: box, since: event.reportedAt - duplicates.maxAgeSeconds)
            .filter { other in
                other.id != event.id && duplicates.isLikelyDuplicate(
                    newItem: event.itemCode, newLon: lon, newLat: lat, newAt: event.reportedAt,
                    existingItem: other.itemCode, existingLon: other.lon ?? .nan, existingLat: other.lat ?? .nan,
                    existingAt: other.reportedAt, existingStatus: other.status)
            }
    }

    /// The center of the ancestor of `grid` at `level` (or the nearest existing one above it).
    static func center(for grid: GridCode, at level: HandlingLevel, nodes: [GridCode: Grid]) -> GridCode {
        var chain: [GridCode] = [grid]
        var parent = nodes[grid]?.parent
        while let p = parent {
            chain.append(p)
            parent = nodes[p]?.parent
        }
        return chain.first { $0.level <= level.gridLevel } ?? chain.last ?? grid
    }

    /// 12 characters without 0/O/1/I/L, easy to read out over the phone.
    static func trackingNumber() -> String {
        let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
