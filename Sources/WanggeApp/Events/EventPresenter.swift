import WanggeCore
import WanggeStorage

/// Builds the JSON of events with the names of their grid, item and units.
struct EventPresenter {
    let repos: Repositories
    let nodes: [GridCode: Grid]
    let catalog: Catalog
    let departments: [Int64: String]
    let now: Int64

    /// - Parameter events: the events to be shown, so that only their departments are looked up.
    static func make(_ service: EventService, for events: [Event], steps: [EventStep] = []) async throws -> EventPresenter {
        let snapshot = try await service.index.current()
        var ids = Set(events.flatMap { [$0.holder.departmentID, $0.dispatcher?.departmentID] }.compactMap { $0 })
        ids.formUnion(steps.flatMap { [$0.fromUnit?.departmentID, $0.toUnit?.departmentID] }.compactMap { $0 })
        var departments: [Department] = []
        for id in ids.sorted() {
            if let d = try await service.repos.departments.find(id: id) { departments.append(d) }
        }
        return EventPresenter(
            repos: service.repos, nodes: snapshot.nodes, catalog: try await service.catalogs.current(),
            departments: Dictionary(departments.compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a }),
            now: service.now())
    }

    func unit(_ u: HandlingUnit) -> UnitDTO {
        switch u {
        case .center(let code): UnitDTO(unit: u.description, name: nodes[code]?.name ?? code.value)
        case .department(let id): UnitDTO(unit: u.description, name: departments[id] ?? "部门\(id)")
        }
    }

    func dto(_ e: Event) -> EventDTO {
        EventDTO(
            id: e.id ?? 0, serial: e.serial, trackingNumber: e.trackingNumber, source: e.source.rawValue, sourceLabel: e.source.label,
            itemCode: e.itemCode, itemName: catalog.item(e.itemCode)?.name ?? e.itemCode, description: e.description,
            lon: e.lon, lat: e.lat, grid: e.grid.value, gridName: nodes[e.grid]?.name ?? e.grid.value, address: e.address,
            reporterName: e.reporterName, reporterPhone: e.reporterPhone.map(maskPhone), parties: e.parties, amount: e.amount,
            urgent: e.urgent, status: e.status.rawValue, statusLabel: e.status.label, holder: unit(e.holder),
            dispatcher: e.dispatcher.map(unit), deadline: e.deadline, overdue: e.isOverdue(at: now),
            requestedDeadline: e.requestedDeadline, resolvedLevel: e.resolvedLevel, satisfaction: e.satisfaction,
            mergedInto: e.mergedInto, reportedAt: e.reportedAt, acceptedAt: e.acceptedAt, dispatchedAt: e.dispatchedAt,
            signedAt: e.signedAt, handledAt: e.handledAt, closedAt: e.closedAt)
    }

    func step(_ s: EventStep) -> StepDTO {
        StepDTO(at: s.at, actor: s.actor, action: s.action,
                actionLabel: EventAction(rawValue: s.action)?.label ?? (s.action == "report" ? "上报" : s.action == "merged_in" ? "并入" : s.action),
                fromStatus: s.fromStatus?.rawValue, toStatus: s.toStatus.rawValue, toStatusLabel: s.toStatus.label,
                fromUnit: s.fromUnit.map(unit), toUnit: s.toUnit.map(unit), note: s.note, attachments: s.attachments)
    }
}
