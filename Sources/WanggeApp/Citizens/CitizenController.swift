import Crypto
import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

struct PublicCatalogDTO: ResponseCodable {
    struct Item: Codable, Sendable {
        var code: String
        var categoryCode: String
        var name: String
    }
    var categories: [CatalogCategory]
    var items: [Item]
}

struct PhoneCodeRequest: Decodable { var phone: String }

struct CitizenReportRequest: Decodable {
    var itemCode: String
    var description: String
    var lon: Double?
    var lat: Double?
    var address: String?
    var phone: String?
    var code: String?
}

struct CitizenReportDTO: ResponseCodable {
    struct Step: Codable, Sendable {
        var at: Int64
        var label: String
    }
    var trackingNumber: String
    var serial: String
    var itemName: String
    /// open or closed.
    var status: String
    var statusLabel: String
    var reportedAt: Int64
    /// The community (村/社区) it is in: enough to recognise it, not a door.
    var place: String
    var timeline: [Step]
    var canRate: Bool
    var satisfaction: Int?
}

struct RatingRequest: Decodable { var satisfaction: Int }

struct NearbyDTO: ResponseCodable {
    struct Item: Codable, Sendable {
        var itemName: String
        var statusLabel: String
        /// Rounded to about 100 m.
        var lat: Double
        var lon: Double
        var reportedAt: Int64
    }
    var items: [Item]
}

/// `/api/v1/public`: what a citizen can do without an account — report a problem (随手拍), follow
/// it by its tracking number, rate the result, see what is being handled nearby. Nothing personal
/// about anyone is ever in these answers.
struct CitizenController {
    let service: EventService
    let phoneCodes: PhoneCodeService
    let dataDirectory: String
    /// Public writes per client address: 30 an hour.
    let limiter: RateLimiter

    init(service: EventService, phoneCodes: PhoneCodeService, dataDirectory: String,
         limiter: RateLimiter = RateLimiter(limit: 30, windowSeconds: 3_600)) {
        self.service = service
        self.phoneCodes = phoneCodes
        self.dataDirectory = dataDirectory
        self.limiter = limiter
    }

    private func throttle(_ request: Request, _ context: AppRequestContext) async throws {
        guard await limiter.allow(Self.client(request, context), now: service.now()) else {
            throw AppError(.tooManyRequests, code: "too_many_requests", "提交过于频繁，请稍后再试")
        }
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("catalog", use: catalog)
        group.post("phone-codes", use: sendCode)
        group.post("reports", use: report)
        group.get("reports/{tracking}", use: lookup)
        group.post("reports/{tracking}/photos", use: photo)
        group.post("reports/{tracking}/rating", use: rate)
        group.get("nearby", use: nearby)
    }

    @Sendable func catalog(_ request: Request, context: AppRequestContext) async throws -> PublicCatalogDTO {
        let catalog = try await service.catalogs.current()
        let items = catalog.items.filter(\.citizenReportable)
        let used = Set(items.map(\.categoryCode))
        return PublicCatalogDTO(categories: catalog.categories.filter { used.contains($0.code) },
                                items: items.map { .init(code: $0.code, categoryCode: $0.categoryCode, name: $0.name) })
    }

    @Sendable func sendCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await throttle(request, context)
        let body = try await request.decodeJSON(PhoneCodeRequest.self, context: context)
        try await phoneCodes.send(to: body.phone)
        return Response(status: .noContent)
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<CitizenReportDTO> {
        let raw = try await request.body.collect(upTo: 64 * 1024)
        let idempotent = try IdempotentRequest.from(request, body: raw, scope: "public")
        let repository = service.repos.idempotency
        if let idempotent, let resource = try await idempotent.earlier(repository) { return try await replay(resource) }
        try await throttle(request, context)
        let body = try JSONProblem.decode(CitizenReportRequest.self, from: raw)
        let phone = body.phone.flatMap { $0.isEmpty ? nil : $0 }
        if let phone { try await phoneCodes.check(phone: phone, code: body.code ?? "") }
        let draft = ReportDraft(itemCode: body.itemCode, description: body.description, lon: body.lon, lat: body.lat, grid: nil,
                                address: body.address, parties: nil, amount: nil, reporterName: nil,
                                reporterPhone: body.phone.flatMap { $0.isEmpty ? nil : $0 }, source: .citizen)
        guard body.lon != nil, body.lat != nil else {
            throw AppError.badRequest("请在地图上选择位置或允许获取手机定位", field: body.lat == nil ? "lat" : "lon")
        }
        let write = {
            let codes = service.repos.phoneCodes
            let event = try await service.report(draft, by: .citizen) { event, tx in
                try await idempotent?.record("event:\(event.id ?? 0)", at: event.reportedAt, in: tx, repository)
                // The code is used up only by a report that was accepted, in its transaction.
                if let phone { try await codes.delete(phone: phone, in: tx) }
            }.event
            return EditedResponse(status: .created, response: try await dto(event))
        }
        guard let idempotent else { return try await write() }
        return try await idempotent.perform(repository, write: write, replay: replay)
    }

    private func replay(_ resource: String) async throws -> EditedResponse<CitizenReportDTO> {
        guard let id = IdempotentRequest.id(of: resource, kind: "event"), let event = try await service.repos.events.find(id: id) else {
            throw AppError.conflict("该 Idempotency-Key 对应的诉求已不存在")
        }
        return EditedResponse(status: .created, headers: [.idempotencyReplayed: "true"], response: try await dto(event))
    }

    @Sendable func lookup(_ request: Request, context: AppRequestContext) async throws -> CitizenReportDTO {
        try await dto(try await event(context))
    }

    /// Up to 5 photos, within a day of the report, by whoever holds the tracking number.
    @Sendable func photo(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<AttachmentDTO> {
        let event = try await event(context)
        let body = try await request.body.collect(upTo: AttachmentsController.maxBytes)
        let attachments = AttachmentsController(service: service, dataDirectory: dataDirectory)
        // A repeat of an upload whose answer was lost is answered before the limits are counted again.
        let idempotent = try IdempotentRequest.from(request, body: body, scope: "public")
        if let idempotent, let replayed = try await attachments.replay(idempotent) { return replayed }
        guard service.now() - event.reportedAt < 86_400 else { throw AppError.forbidden("只能在上报后一天内为自己的诉求补充照片") }
        let existing = try await service.repos.attachments.list(eventID: event.id ?? 0)
        guard existing.count < 5 else { throw AppError.conflict("每条诉求最多5张照片") }
        let declared = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard declared?.hasPrefix("image/") == true else { throw AppError.badRequest("只接受图片", field: "contentType") }
        let write = {
            EditedResponse(status: .created, response: AttachmentsController.dto(
                try await attachments.store(body, declared: declared, eventID: event.id ?? 0, filename: "群众照片", idempotent: idempotent)))
        }
        guard let idempotent else { return try await write() }
        return try await idempotent.perform(service.repos.idempotency, write: write, replay: { _ in
            guard let replayed = try await attachments.replay(idempotent) else { throw AppError.conflict("该 Idempotency-Key 对应的照片已不存在") }
            return replayed
        })
    }

    @Sendable func rate(_ request: Request, context: AppRequestContext) async throws -> CitizenReportDTO {
        let reported = try await event(context)
        let body = try await request.decodeJSON(RatingRequest.self, context: context)
        try await service.act(.evaluate, on: reported.id ?? 0, input: ActionInput(satisfaction: body.satisfaction),
                              by: EventCaller(actor: .citizen, name: "群众", territory: Territory(root: reported.grid), accountID: nil))
        return try await dto(try await event(context))
    }

    @Sendable func nearby(_ request: Request, context: AppRequestContext) async throws -> NearbyDTO {
        let lat = try request.query("lat", "−90到90之间的纬度", { Double($0).flatMap { (-90...90).contains($0) ? $0 : nil } })
        let lon = try request.query("lon", "−180到180之间的经度", { Double($0).flatMap { (-180...180).contains($0) ? $0 : nil } })
        let catalog = try await service.catalogs.current()
        let dLat = 2_000.0 / 111_320, dLon = dLat / max(0.1, cos(lat * .pi / 180))
        let box = BoundingBox(minLon: lon - dLon, minLat: lat - dLat, maxLon: lon + dLon, maxLat: lat + dLat)
        let events = try await service.repos.events.near(box: box, since: service.now() - 30 * 86_400, limit: 500)
        let items: [NearbyDTO.Item] = events.compactMap { e in
            guard e.status.isOpen || e.status.isCompleted, let elat = e.lat, let elon = e.lon, let item = catalog.item(e.itemCode),
                  item.citizenReportable, !catalog.isConfidential(item) else { return nil }
            return .init(itemName: item.name, statusLabel: e.status.label, lat: (elat * 1000).rounded() / 1000,
                         lon: (elon * 1000).rounded() / 1000, reportedAt: e.reportedAt)
        }
        return NearbyDTO(items: Array(items.prefix(50)))
    }

    /// The client's address: behind a reverse proxy on this machine, the one the proxy forwarded.
    static func client(_ request: Request, _ context: AppRequestContext) -> String {
        let peer = context.remoteAddress ?? "unknown"
        guard peer == "127.0.0.1" || peer == "::1", let forwarded = request.headers[.xForwardedFor],
              let first = forwarded.split(separator: ",").first?.trimmingCharacters(in: .whitespaces), !first.isEmpty else {
            return peer
        }
        return first
    }

    private func event(_ context: AppRequestContext) async throws -> Event {
        let tracking = (context.parameters.get("tracking") ?? "").uppercased()
        guard tracking.count == 12, let event = try await service.repos.events.find(trackingNumber: tracking),
              event.source == .citizen || event.source == .open311 else {
            throw AppError.notFound("没有找到查询码为\(tracking)的诉求")
        }
        return event
    }

    /// The public view: the item, the status, the community, and the steps by their labels only —
    /// no names, notes, phones or units of people.
    private func dto(_ event: Event) async throws -> CitizenReportDTO {
        let catalog = try await service.catalogs.current()
        let nodes = try await service.index.current().nodes
        var place = nodes[event.grid]
        while let p = place, p.level > .community, let parent = p.parent { place = nodes[parent] }
        let steps = try await service.repos.events.steps(eventID: event.id ?? 0)
        let timeline = steps.compactMap { s -> CitizenReportDTO.Step? in
            switch s.action {
            case "report": .init(at: s.at, label: "已收到您的诉求")
            case EventAction.accept.rawValue: .init(at: s.at, label: "已受理")
            case EventAction.reject.rawValue: .init(at: s.at, label: "不予受理")
            case EventAction.dispatch.rawValue: .init(at: s.at, label: "已派遣至责任部门")
            case EventAction.handle.rawValue: .init(at: s.at, label: "已处置")
            case EventAction.verifyPass.rawValue: .init(at: s.at, label: "已办结")
            case EventAction.evaluate.rawValue: .init(at: s.at, label: "已评价")
            case EventAction.merge.rawValue: .init(at: s.at, label: "与其他群众反映的同一问题合并办理")
            default: nil
            }
        }
        return CitizenReportDTO(
            trackingNumber: event.trackingNumber, serial: event.serial, itemName: catalog.item(event.itemCode)?.name ?? event.itemCode,
            status: event.status.isOpen ? "open" : "closed", statusLabel: event.status.label, reportedAt: event.reportedAt,
            place: place?.name ?? "", timeline: timeline, canRate: event.status == .closed, satisfaction: event.satisfaction)
    }
}
