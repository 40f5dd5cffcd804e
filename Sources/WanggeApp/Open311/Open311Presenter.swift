import WanggeCore
import WanggeStorage

/// What Open311 publishes, and how an event reads as a GeoReport service request.
///
/// The read endpoints need no login, so they show only what a public map of reports could show:
/// never a reporter's name or phone, the parties, or the contact fields of a request.
struct Open311Presenter {
    let units: EventPresenter
    let catalog: Catalog
    let extras: [Int64: Open311Extras]
    /// The reason given when an event was turned down, by event id.
    let rejections: [Int64: String]

    /// The services: items citizens may report. Events of other items do not exist for Open311.
    static func services(_ catalog: Catalog) -> [CatalogItem] { catalog.items.filter(\.citizenReportable) }

    /// Sources whose description the reporter wrote for publication; text typed by staff (a
    /// hotline call, a grid worker's note) may name people, so it is withheld.
    static let publicTextSources: Set<EventSource> = [.open311, .citizen]


    static func make(_ service: EventService, repository: any Open311Repository, events: [Event]) async throws -> Open311Presenter {
        let ids = events.compactMap(\.id)
        var rejections: [Int64: String] = [:]
        for event in events where event.status == .rejected {
            guard let id = event.id else { continue }
            rejections[id] = try await service.repos.events.steps(eventID: id).last { $0.action == EventAction.reject.rawValue }?.note
        }
        let units = try await EventPresenter.make(service, for: events)
        return Open311Presenter(units: units, catalog: units.catalog, extras: try await repository.extras(eventIDs: ids),
                                rejections: rejections)
    }

    func request(_ e: Event) -> Open311Value {
        let item = catalog.item(e.itemCode)
        let hidden = item.map { catalog.isConfidential($0) } ?? true
        let text = !hidden && Self.publicTextSources.contains(e.source) ? e.description : nil
        return .object([
            ("service_request_id", .int(e.id ?? 0)),
            ("status", .text(e.status.isOpen ? "open" : "closed")),
            ("status_notes", .text(statusNotes(e))),
            ("service_name", .text(item?.name ?? e.itemCode)),
            ("service_code", .text(e.itemCode)),
            ("description", .text(text)),
            ("agency_responsible", .text(units.unit(e.holder).name)),
            ("service_notice", .text(item.map(Self.notice))),
            ("requested_datetime", .text(Open311Time.iso(e.reportedAt))),
            ("updated_datetime", .text(Open311Time.iso(e.updatedAt))),
            ("expected_datetime", .text(e.deadline.map(Open311Time.iso))),
            ("address", .text(hidden ? nil : e.address)),
            ("address_id", .text(nil)),
            ("zipcode", .text(nil)),
            ("lat", hidden ? .text(nil) : .double(e.lat)),
            ("long", hidden ? .text(nil) : .double(e.lon)),
            ("media_url", .text(hidden ? nil : e.id.flatMap { extras[$0]?.mediaURL })),
        ])
    }

    /// The current step in Chinese, e.g. `已派遣至清溪县城管局，处理时限2026-11-25 18:00`.
    func statusNotes(_ e: Event) -> String {
        let holder = units.unit(e.holder).name
        let due = e.deadline.map { "，处理时限\(Open311Time.minute($0))" } ?? ""
        switch e.status {
        case .reported: return "已收到，等待\(holder)受理"
        case .accepted: return "\(holder)已受理，正在安排处置"
        case .dispatched: return "已派遣至\(holder)\(due)"
        case .signed: return "\(holder)已签收，正在处置\(due)"
        case .handled: return "\(holder)已处置完毕，等待核查"
        case .closed: return "已办结：处置结果已核查通过"
        case .evaluated: return "已办结并完成评价"
        case .rejected:
            guard let reason = e.id.flatMap({ rejections[$0] }) else { return "不予受理" }
            return "不予受理：\(reason.count > 200 ? String(reason.prefix(200)) + "…" : reason)"
        case .merged:
            return e.mergedInto.map { "与编号\($0)的诉求为同一问题，已合并办理" } ?? "已与同一问题的其他诉求合并办理"
        }
    }

    /// What the citizen can expect for this kind of problem.
    static func notice(_ item: CatalogItem) -> String {
        let first = item.priority == .urgent ? "紧急事项，将优先派遣" : "受理后派遣责任单位处置"
        return "\(first)，处置时限\(item.deadline.label)"
    }
}
