import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

extension Open311Controller {
    /// `GET requests`: `service_request_id` (a comma list, overriding the rest), `service_code`,
    /// `start_date`, `end_date`, `status` open|closed; the last 90 days by default, at most 1000
    /// per answer, paged with the common `page`/`page_size` extension.
    func requests(_ q: Parameters) async throws -> Open311Document {
        func param(_ name: String) -> String? {
            guard let raw = q.get(name)?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        let catalog = try await service.catalogs.current()
        let services = Open311Presenter.services(catalog)
        let page = try Self.positive(param("page"), "page", max: Int.max) ?? 1
        let pageSize = try Self.positive(param("page_size"), "page_size", max: Self.maxResults) ?? Self.maxResults
        guard page <= 1_000_000 else { throw AppError.badRequest("page 过大") }

        var query: Open311Query
        if let raw = param("service_request_id") {
            // Asked for by id, a confidential request is still shown, without its place (see the presenter).
            query = Open311Query(itemCodes: services.map(\.code))
            let parts = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard parts.count <= Self.maxResults else { throw AppError.badRequest("service_request_id 最多\(Self.maxResults)个") }
            query.ids = try parts.map { part in
                guard let id = Int64(part) else { throw AppError.badRequest("service_request_id 应为数字编号，收到“\(part)”") }
                return id
            }
        } else {
            var codes = services.filter { !catalog.isConfidential($0) }.map(\.code)
            if let raw = param("service_code") {
                let wanted = Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
                codes = codes.filter(wanted.contains)
            }
            query = Open311Query(itemCodes: codes)
            if let raw = param("status") {
                query.statuses = try raw.lowercased().split(separator: ",").flatMap { part -> [EventStatus] in
                    switch part.trimmingCharacters(in: .whitespaces) {
                    case "open": return EventStatus.allCases.filter(\.isOpen)
                    case "closed": return EventStatus.allCases.filter { !$0.isOpen }
                    default: throw AppError.badRequest("status 只能是 open 或 closed，收到“\(part)”")
                    }
                }
            }
            let (from, to) = try window(start: param("start_date"), end: param("end_date"))
            query.reportedFrom = from
            query.reportedTo = to
        }
        let events = try await repository.requests(query, limit: pageSize, offset: (page - 1) * pageSize)
        let presenter = try await Open311Presenter.make(service, repository: repository, events: events)
        return Open311Document(root: "service_requests", value: .list(item: "request", events.map(presenter.request)))
    }

    /// The reporting-time window: both ends inclusive as given, the missing end 90 days from the
    /// other, and no wider than 90 days (the spec's limit). The upper bound returned is exclusive.
    func window(start: String?, end: String?) throws -> (Int64, Int64?) {
        func parse(_ raw: String, _ name: String) throws -> Int64 {
            guard let t = Open311Time.parse(raw) else {
                throw AppError.badRequest("\(name) 应为ISO 8601时间，如2026-11-01T00:00:00+08:00，收到“\(raw)”")
            }
            return t
        }
        let from = try start.map { try parse($0, "start_date") }
        let to = try end.map { try parse($0, "end_date") }
        switch (from, to) {
        case (nil, nil):
            return (service.now() - Self.windowSeconds, nil)
        case (let from?, nil):
            return (from, from + Self.windowSeconds + 1)
        case (nil, let to?):
            return (to - Self.windowSeconds, to + 1)
        case (let from?, let to?):
            guard from <= to else { throw AppError.badRequest("start_date 不能晚于 end_date") }
            guard to - from <= Self.windowSeconds else { throw AppError.badRequest("start_date 到 end_date 不能超过90天") }
            return (from, to + 1)
        }
    }

    static func positive(_ raw: String?, _ name: String, max: Int) throws -> Int? {
        guard let raw else { return nil }
        guard let n = Int(raw), n >= 1, n <= max else {
            throw AppError.badRequest(max == Int.max ? "\(name) 应为正整数" : "\(name) 应为1–\(max)的整数，收到“\(raw)”")
        }
        return n
    }

    /// `POST requests`: checks the key, the service, the position and the attributes, then
    /// reports an event through the same service as every other channel.
    @Sendable func post(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (name, format) = Open311Format.split(context.parameters.get("file") ?? "")
        return await respond(format, context, status: .created) {
            guard name == "requests" else { throw AppError.notFound("没有这个接口：POST \(name)") }
            let form = try await Open311Form.read(request, context: context)
            let key = try await authenticate(form["api_key"])
            guard let code = form["service_code"] else { throw AppError.badRequest("缺少参数 service_code") }
            let catalog = try await service.catalogs.current()
            guard let item = catalog.item(code), item.citizenReportable else { throw AppError.notFound("没有服务\(code)") }

            let lat = try form["lat"].map { try Self.coordinate($0, "lat") }
            let lon = try form["long"].map { try Self.coordinate($0, "long") }
            guard let lat, let lon else {
                if lat != nil || lon != nil { throw AppError.badRequest("lat 和 long 须同时提供") }
                // Grids are found from a position; an address alone cannot be placed yet.
                if form["address_string"] != nil || form["address_id"] != nil {
                    throw AppError.badRequest("需要提供经纬度(lat、long，WGS84)：网格按位置确定，暂不能仅凭地址受理")
                }
                throw AppError.badRequest("需要提供经纬度(lat、long，WGS84)")
            }

            var answers: [String: [String]] = [:]
            var summaries: [String] = []
            let given = form.attributes
            for attribute in Open311Attributes.attributes(of: item, in: catalog) {
                guard let values = try attribute.check(given[attribute.code]) else { continue }
                answers[attribute.code] = values
                summaries.append(attribute.summary(values))
            }

            let description = form["description"] ?? ""
            guard description.count <= 4000 else { throw AppError.badRequest("description 不能超过4000字") }
            let email = try Self.limited(form["email"], "email", 254)
            if let email, !email.contains("@") { throw AppError.badRequest("email 格式不正确") }
            let deviceID = try Self.limited(form["device_id"], "device_id", 100)
            let accountID = try Self.limited(form["account_id"], "account_id", 100)
            let firstName = try Self.limited(form["first_name"], "first_name", 50)
            let lastName = try Self.limited(form["last_name"], "last_name", 50)
            let mediaURL = try Self.limited(form["media_url"], "media_url", 1000)
            if let mediaURL, !(mediaURL.lowercased().hasPrefix("https://") || mediaURL.lowercased().hasPrefix("http://")) {
                throw AppError.badRequest("media_url 应为 http(s) 地址")
            }

            // The handlers read the event, not the extras: the answers go into the text they read.
            var text = description.isEmpty ? "（未填写描述）\(item.name)" : description
            let extra = summaries.isEmpty ? "" : "\n【补充信息】" + summaries.joined(separator: "；")
            if text.count + extra.count <= 4000 { text += extra }
            // Chinese order: family name first.
            let reporter = [lastName, firstName].compactMap { $0 }.joined()
            let draft = ReportDraft(itemCode: item.code, description: text, lon: lon, lat: lat, grid: nil,
                                    address: form["address_string"], parties: nil, amount: nil,
                                    reporterName: reporter.isEmpty ? nil : reporter,
                                    reporterPhone: form["phone"].map(Self.normalizedPhone), source: .open311)
            // The request's own fields are written with the event, in one transaction: all or nothing.
            let repository = self.repository, answered = answers
            let event = try await service.report(draft, by: .citizen) { event, tx in
                let extras = Open311Extras(eventID: event.id ?? 0, keyID: key.id, email: email, deviceID: deviceID, accountID: accountID,
                                           firstName: firstName, lastName: lastName, mediaURL: mediaURL, attributes: answered)
                try await repository.saveExtras(extras, in: tx)
            }.event
            guard let id = event.id else { throw AppError(.internalServerError, code: "internal", "事件没有编号") }
            let notice = "已收到您的诉求，请凭查询码\(event.trackingNumber)查询进度。\(Open311Presenter.notice(item))"
            return Open311Document(root: "service_requests", value: .list(item: "request", [.object([
                ("service_request_id", .int(id)), ("token", .text(event.trackingNumber)),
                ("service_notice", .text(notice)), ("account_id", .text(accountID)),
            ])]))
        }
    }

    func authenticate(_ key: String?) async throws -> Open311Key {
        guard let key else { throw AppError.forbidden("缺少 api_key：提交诉求的密钥由平台系统管理员签发") }
        guard key.count <= 200, let found = try await repository.findKey(hash: Open311Keys.hash(key)) else {
            throw AppError.forbidden("api_key 无效")
        }
        guard found.isActive else { throw AppError.forbidden("api_key 已被吊销") }
        return found
    }

    static func coordinate(_ raw: String, _ name: String) throws -> Double {
        guard let value = Double(raw), value.isFinite else { throw AppError.badRequest("\(name) 应为数字(WGS84 经纬度)，收到“\(raw)”") }
        return value
    }

    static func limited(_ value: String?, _ name: String, _ max: Int) throws -> String? {
        guard let value else { return nil }
        guard value.count <= max else { throw AppError.badRequest("\(name) 不能超过\(max)个字符") }
        return value
    }

    /// `+86 138-0000-0001` → `13800000001`: clients send numbers as people type them.
    static func normalizedPhone(_ raw: String) -> String {
        var digits = raw.filter { !" ()".contains($0) }
        for prefix in ["+86", "0086"] where digits.hasPrefix(prefix) { digits.removeFirst(prefix.count) }
        return digits
    }
}
