import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

struct NotificationDTO: ResponseCodable {
    var id: Int64
    var createdAt: Int64
    var eventId: Int64?
    var kind: String
    var channel: String
    var recipient: String
    /// The webhook URL or the phone; a reporter's phone is masked.
    var target: String
    var payload: String
    var status: String
    var statusLabel: String
    var attempts: Int
    var nextAttemptAt: Int64?
    var lastError: String?
    var sentAt: Int64?
}

struct NotificationPageDTO: ResponseCodable {
    var items: [NotificationDTO]
    var total: Int
    var page: Int
    var pageSize: Int
    /// Every status with its count, whatever the status filter.
    var counts: [String: Int]
}

struct EndpointsDTO: ResponseCodable {
    var departmentId: Int64
    var webhookUrl: String?
    /// The secret itself is never sent back.
    var hasSecret: Bool
    var smsPhone: String?
    var updatedAt: Int64?
}

struct EndpointsRequest: Decodable {
    /// Empty or absent removes the webhook (and its secret).
    var webhookUrl: String?
    /// Absent keeps the stored one.
    var webhookSecret: String?
    /// Empty or absent removes the SMS phone.
    var smsPhone: String?
}

/// `/api/v1/notifications` and `/api/v1/departments/{id}/endpoints`: the outbox as administrators
/// see it (every delivery and failure), manual retry, and where each department is told.
struct NotificationsController {
    let repos: Repositories
    let notifications: any NotificationRepository
    let now: @Sendable () -> Int64

    init(repos: Repositories, notifications: any NotificationRepository, now: @escaping @Sendable () -> Int64 = Clock.nowSeconds) {
        self.repos = repos
        self.notifications = notifications
        self.now = now
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("notifications", use: list)
        group.post("notifications/{id}/retry", use: retry)
        group.get("departments/{id}/endpoints", use: endpoints)
        group.put("departments/{id}/endpoints", use: setEndpoints)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> NotificationPageDTO {
        let caller = try context.requireCaller()
        try caller.require(.readAudit)
        let q = request.uri.queryParameters
        var filter = NotificationFilter(territory: try await territoryFilter(caller))
        if let raw = q.get("status"), !raw.isEmpty {
            guard let status = NotificationStatus(rawValue: raw) else {
                throw AppError.badRequest("status 应为 pending、failed、sent 或 dead，收到“\(raw)”", field: "status")
            }
            filter.status = status
        }
        let page = try Self.int(q.get("page"), "page", 1...1_000_000) ?? 1
        let pageSize = try Self.int(q.get("pageSize"), "pageSize", 1...200) ?? 50
        let items = try await notifications.list(filter, limit: pageSize, offset: (page - 1) * pageSize)
        let total = try await notifications.count(filter)
        let counts = try await notifications.countsByStatus(filter)
        return NotificationPageDTO(items: items.map(Self.dto), total: total, page: page, pageSize: pageSize,
                                   counts: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }))
    }

    /// Sends a failed or dead notification again at the next pass of the worker. A dead one that
    /// fails again is dead again at once: the retry is one more attempt, not a new schedule.
    @Sendable func retry(_ request: Request, context: AppRequestContext) async throws -> NotificationDTO {
        let caller = try context.requireCaller()
        try caller.require(.manageDepartments)
        let id = try context.parameters.id("通知")
        guard let stored = try await notifications.find(id: id), try await isVisible(stored, to: caller) else {
            throw AppError.notFound("没有找到通知\(id)")
        }
        let at = now()
        let retried = try await repos.database.transaction { tx in
            guard try await notifications.retry(id: id, at: at, in: tx) else { return false }
            try await repos.audit.append(caller.actor(context).entry(
                "notification_retried", target: "notification:\(id)", detail: "\(stored.kind)→\(stored.recipient)"), in: tx)
            return true
        }
        guard retried else {
            throw AppError.conflict("通知\(id)的状态是“\(Self.label(stored.status))”，只有失败或已放弃的通知可以重发")
        }
        return Self.dto(try await notifications.find(id: id) ?? stored)
    }

    @Sendable func endpoints(_ request: Request, context: AppRequestContext) async throws -> EndpointsDTO {
        let caller = try context.requireCaller()
        try caller.require(.manageDepartments)
        let department = try await manageableDepartment(context, caller)
        let stored = try await notifications.endpoints(departmentID: department)
        return Self.dto(stored ?? DepartmentEndpoints(departmentID: department, webhookURL: nil, webhookSecret: nil, smsPhone: nil))
    }

    /// Replaces the department's endpoints. Undelivered notifications follow the new address.
    @Sendable func setEndpoints(_ request: Request, context: AppRequestContext) async throws -> EndpointsDTO {
        let caller = try context.requireCaller()
        try caller.require(.manageDepartments)
        let department = try await manageableDepartment(context, caller)
        let body = try await request.decodeJSON(EndpointsRequest.self, context: context)
        let stored = try await notifications.endpoints(departmentID: department)
        let url = try body.webhookUrl.flatMap(Self.nonEmpty).map(Self.validWebhookURL)
        let newSecret = try body.webhookSecret.flatMap(Self.nonEmpty).map(Self.validSecret)
        let secret = url == nil ? nil : newSecret ?? stored?.webhookSecret
        if url != nil, secret == nil {
            throw AppError.badRequest("设置推送地址时须同时设置签名密钥(至少16个字符)", field: "webhookSecret")
        }
        let phone = try body.smsPhone.flatMap(Self.nonEmpty).map(Self.validSMSPhone)
        let endpoints = DepartmentEndpoints(departmentID: department, webhookURL: url, webhookSecret: secret, smsPhone: phone)
        let at = now()
        // The URL may carry a token in its query, so the log keeps only the host.
        let detail = [
            "推送地址 " + (url.flatMap { URLComponents(string: $0)?.host } ?? "无"),
            newSecret != nil && url != nil ? "密钥已更换" : nil,
            "短信 " + (phone.map(maskPhone) ?? "无"),
        ].compactMap { $0 }.joined(separator: "，")
        try await repos.database.transaction { tx in
            try await notifications.setEndpoints(endpoints, at: at, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "department_endpoints_updated", target: "department:\(department)", detail: detail), in: tx)
        }
        var saved = endpoints
        saved.updatedAt = at
        return Self.dto(saved)
    }

    /// An administrator of the whole tree sees every notification; one of a subtree, those of its events.
    private func territoryFilter(_ caller: Caller) async throws -> CodeRange? {
        let isTreeRoot = try await repos.grids.find(caller.territory.root)?.parent == nil
        return isTreeRoot ? nil : caller.territory.range
    }

    private func isVisible(_ n: OutboxNotification, to caller: Caller) async throws -> Bool {
        guard try await territoryFilter(caller) != nil else { return true }
        guard let eventID = n.eventID, let event = try await repos.events.find(id: eventID) else { return false }
        return caller.territory.contains(event.grid)
    }

    /// The `{id}` department, when it serves the caller's territory or part of it; 404 otherwise.
    private func manageableDepartment(_ context: AppRequestContext, _ caller: Caller) async throws -> Int64 {
        let id = try context.parameters.id("部门")
        guard let department = try await repos.departments.find(id: id), caller.territory.contains(department.serves) else {
            throw AppError.notFound("没有找到部门\(id)")
        }
        return id
    }

    static func nonEmpty(_ s: String) -> String? {
        let trimmed = s.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func validWebhookURL(_ url: String) throws -> String {
        guard url.count <= 500 else { throw AppError.badRequest("推送地址不能超过500个字符", field: "webhookUrl") }
        guard !url.contains(where: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } }),
              let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
              let host = components.host, !host.isEmpty else {
            throw AppError.badRequest("推送地址须为 http:// 或 https:// 开头的完整网址，收到“\(url.prefix(100))”", field: "webhookUrl")
        }
        guard components.user == nil, components.password == nil else {
            throw AppError.badRequest("推送地址不能包含用户名或密码", field: "webhookUrl")
        }
        return url
    }

    static func validSecret(_ secret: String) throws -> String {
        guard secret.count >= 16 else { throw AppError.badRequest("签名密钥至少需要16个字符", field: "webhookSecret") }
        guard secret.utf8.count <= 256 else { throw AppError.badRequest("签名密钥不能超过256字节", field: "webhookSecret") }
        return secret
    }

    /// SMS goes to mobiles only; stored as its 11 digits.
    static func validSMSPhone(_ phone: String) throws -> String {
        try validatePhone(phone, field: "smsPhone")
        guard let mobile = OutboxNotifier.mobile(phone) else {
            throw AppError.badRequest("短信号码须为11位手机号码，收到“\(phone)”", field: "smsPhone")
        }
        return mobile
    }

    static func int(_ raw: String?, _ name: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let n = Int(raw), range.contains(n) else {
            throw AppError.badRequest("\(name) 应为\(range.lowerBound)–\(range.upperBound)之间的整数，收到“\(raw)”", field: name)
        }
        return n
    }

    static func label(_ status: NotificationStatus) -> String {
        switch status {
        case .pending: "待发送"
        case .failed: "失败待重试"
        case .sent: "已发送"
        case .dead: "已放弃"
        }
    }

    static func dto(_ n: OutboxNotification) -> NotificationDTO {
        NotificationDTO(
            id: n.id ?? 0, createdAt: n.createdAt, eventId: n.eventID, kind: n.kind, channel: n.channel.rawValue,
            recipient: n.recipient, target: n.recipient == "reporter" ? maskPhone(n.target) : n.target, payload: n.payload,
            status: n.status.rawValue, statusLabel: label(n.status), attempts: n.attempts,
            nextAttemptAt: n.status == .sent || n.status == .dead ? nil : n.nextAttemptAt, lastError: n.lastError, sentAt: n.sentAt)
    }

    static func dto(_ e: DepartmentEndpoints) -> EndpointsDTO {
        EndpointsDTO(departmentId: e.departmentID, webhookUrl: e.webhookURL, hasSecret: e.webhookSecret != nil, smsPhone: e.smsPhone,
                     updatedAt: e.updatedAt)
    }
}
