import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

/// `/api/v1/events`: report, queues, detail with timeline, actions, bulk dispatch.
struct EventsController {
    let service: EventService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("events", use: report)
        group.get("events", use: list)
        group.post("events/dispatch", use: bulkDispatch)
        StatsController(service: service).addRoutes(to: group)
        group.get("events/{id}", use: detail)
        group.post("events/{id}/actions/{action}", use: act)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ReportedDTO> {
        let caller = try context.requireCaller()
        guard [.operator, .gridLeader, .gridWorker].contains(caller.role) else {
            throw AppError.forbidden("只有网格员、网格长和指挥中心可以登记事件")
        }
        let raw = try await request.body.collect(upTo: context.maxUploadSize)
        let idempotent = try IdempotentRequest.from(request, body: raw, scope: "account:\(caller.id)")
        if let idempotent, let resource = try await idempotent.earlier(service.repos.idempotency) {
            return try await replayReport(resource)
        }
        let body = try JSONProblem.decode(ReportRequest.self, from: raw)
        let defaultSource: EventSource = [.gridWorker, .gridLeader].contains(caller.role) ? .gridApp : .pc
        let source = body.source ?? defaultSource
        guard ![.citizen, .open311].contains(source) else {
            throw AppError.badRequest("群众和Open311的上报走各自的入口", field: "source")
        }
        let draft = ReportDraft(itemCode: body.itemCode, description: body.description, lon: body.lon, lat: body.lat,
                                grid: body.grid, address: body.address, parties: body.parties, amount: body.amount,
                                reporterName: body.reporterName, reporterPhone: body.reporterPhone, source: source)
        let write = { try await service.report(draft, by: EventCaller(caller)) { event, tx in
            try await idempotent?.record("event:\(event.id ?? 0)", at: event.reportedAt, in: tx, service.repos.idempotency)
        } }
        guard let idempotent else { return try await reportedResponse(try await write()) }
        return try await idempotent.perform(service.repos.idempotency, write: { try await reportedResponse(try await write()) },
                                            replay: replayReport)
    }

    private func reportedResponse(_ reported: EventService.Reported) async throws -> EditedResponse<ReportedDTO> {
        let presenter = try await EventPresenter.make(service, for: [reported.event] + reported.possibleDuplicates)
        return EditedResponse(status: .created, response: ReportedDTO(event: presenter.dto(reported.event),
                                                                      possibleDuplicates: reported.possibleDuplicates.map(presenter.dto)))
    }

    /// The answer to a repeated report: the event the first one made, as it is now.
    private func replayReport(_ resource: String) async throws -> EditedResponse<ReportedDTO> {
        guard let id = IdempotentRequest.id(of: resource, kind: "event"), let event = try await service.repos.events.find(id: id) else {
            throw AppError.conflict("该 Idempotency-Key 对应的事件已不存在")
        }
        let presenter = try await EventPresenter.make(service, for: [event])
        return EditedResponse(status: .created, headers: [.idempotencyReplayed: "true"],
                              response: ReportedDTO(event: presenter.dto(event), possibleDuplicates: []))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> EventPageDTO {
        let caller = try context.requireCaller()
        let q = request.uri.queryParameters
        var filter = EventFilter(territory: caller.territory.range)
        if let root = try request.optionalCode("root", caller: caller) { filter.territory = root.range }
        if let raw = q.get("status"), !raw.isEmpty {
            filter.statuses = try raw.split(separator: ",").map { part in
                guard let s = EventStatus(rawValue: String(part)) else { throw AppError.badRequest("未知的状态\(part)", field: "status") }
                return s
            }
        }
        if let holder = q.get("holder"), !holder.isEmpty {
            if holder == "mine" {
                filter.holder = caller.department.flatMap { $0.id }.map(HandlingUnit.department) ?? .center(caller.territory.root)
            } else {
                do { filter.holder = try HandlingUnit(parsing: holder) } catch { throw AppError.badRequest(error.message, field: "holder") }
            }
        }
        filter.itemCode = q.get("item").flatMap { $0.isEmpty ? nil : $0 }
        filter.categoryCode = q.get("category").flatMap { $0.isEmpty ? nil : $0 }
        if let raw = q.get("source"), !raw.isEmpty {
            guard let s = EventSource(rawValue: raw) else { throw AppError.badRequest("未知的来源\(raw)", field: "source") }
            filter.source = s
        }
        filter.reportedFrom = try Self.int64(q.get("from"), "from")
        filter.reportedTo = try Self.int64(q.get("to"), "to")
        if q.get("overdue") == "1" || q.get("overdue") == "true" { filter.overdueAt = service.now() }
        if q.get("reporter") == "me" { filter.reporterAccountID = caller.account.id }
        let page = try Self.int64(q.get("page"), "page").map(Int.init) ?? 1
        let pageSize = try Self.int64(q.get("pageSize"), "pageSize").map(Int.init) ?? 50
        guard (1...1_000_000).contains(page) else { throw AppError.badRequest("page 应为1–1000000", field: "page") }
        guard (1...200).contains(pageSize) else { throw AppError.badRequest("pageSize 应为1–200", field: "pageSize") }
        let events = try await service.repos.events.list(filter, limit: pageSize, offset: (page - 1) * pageSize)
        let total = try await service.repos.events.count(filter)
        let presenter = try await EventPresenter.make(service, for: events)
        return EventPageDTO(items: events.map(presenter.dto), total: total, page: page, pageSize: pageSize)
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> EventDetailDTO {
        let caller = EventCaller(try context.requireCaller())
        return try await detailDTO(try context.parameters.id("事件"), caller: caller)
    }

    @Sendable func act(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<EventDetailDTO> {
        let caller = EventCaller(try context.requireCaller())
        let id = try context.parameters.id("事件")
        let name = context.parameters.get("action") ?? ""
        guard let action = EventAction(rawValue: name) else {
            throw AppError.notFound("没有“\(name)”这个操作；可用：\(EventAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let raw = try await request.body.collect(upTo: context.maxUploadSize)
        let idempotent = try IdempotentRequest.from(request, body: raw, scope: "account:\(caller.accountID ?? 0)")
        if let idempotent, try await idempotent.earlier(service.repos.idempotency) != nil {
            return EditedResponse(headers: [.idempotencyReplayed: "true"], response: try await detailDTO(id, caller: caller))
        }
        let input = try JSONProblem.decode(ActionInput.self, from: raw)
        let repository = service.repos.idempotency, now = service.now()
        let write = {
            _ = try await service.act(action, on: id, input: input, by: caller) { event, tx in
                try await idempotent?.record("event:\(event.id ?? 0)", at: now, in: tx, repository)
            }
        }
        if let idempotent {
            try await idempotent.perform(repository, write: write, replay: { _ in })
        } else {
            try await write()
        }
        return EditedResponse(response: try await detailDTO(id, caller: caller))
    }

    @Sendable func bulkDispatch(_ request: Request, context: AppRequestContext) async throws -> BulkDispatchDTO {
        let caller = EventCaller(try context.requireCaller())
        let body = try await request.decodeJSON(BulkDispatchRequest.self, context: context)
        guard !body.ids.isEmpty, body.ids.count <= 200 else { throw AppError.badRequest("一次批量派遣1–200件", field: "ids") }
        var results: [BulkResultDTO] = []
        // Each event is its own transaction: one refusal does not hold back the others, and says why.
        for id in body.ids {
            do {
                try await service.act(.dispatch, on: id, input: ActionInput(note: body.note, to: body.to, deadline: body.deadline),
                                      by: caller)
                results.append(BulkResultDTO(id: id, ok: true, error: nil))
            } catch let error as AppError {
                results.append(BulkResultDTO(id: id, ok: false, error: error.message))
            } catch {
                // The ones already dispatched stay dispatched; say which failed rather than fail the whole call.
                context.logger.error("bulk dispatch of event \(id) failed: \(String(reflecting: error))")
                results.append(BulkResultDTO(id: id, ok: false, error: "服务器内部错误，已记录日志"))
            }
        }
        return BulkDispatchDTO(results: results)
    }

    func detailDTO(_ id: Int64, caller: EventCaller) async throws -> EventDetailDTO {
        let event = try await service.event(id, for: caller)
        let steps = try await service.repos.events.steps(eventID: id)
        let presenter = try await EventPresenter.make(service, for: [event], steps: steps)
        let cards = try await service.repos.events.cards(eventID: id).map { c in
            let card = Card(CardKind(rawValue: c.kind) ?? .overdue, CardColor(rawValue: c.color) ?? .red)
            return CardDTO(kind: c.kind, color: c.color, label: card.label, at: c.at)
        }
        return EventDetailDTO(
            event: presenter.dto(event), timeline: steps.map(presenter.step),
            allowedActions: EventRules.allowedActions(event.state, by: caller.actor).map(\.rawValue), cards: cards)
    }

    static func int64(_ raw: String?, _ field: String) throws -> Int64? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let value = Int64(raw) else { throw AppError.badRequest("\(field) 应为整数", field: field) }
        return value
    }
}
