import Hummingbird
import WanggeCore
import WanggeStorage

/// `/api/v1/accounts` and `/api/v1/audit`: administration of logins, and the audit log.
struct AccountsController {
    let auth: AuthService
    let repos: Repositories

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("accounts", use: list)
        group.post("accounts", use: create)
        group.patch("accounts/{id}", use: update)
        group.get("audit", use: audit)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListResponse<AccountDTO> {
        let caller = try context.requireCaller()
        try caller.require(.manageAccounts)
        let accounts = try await repos.accounts.list(in: caller.territory.range)
        return ListResponse(items: try await AccountPresenter(repos: repos).dtos(accounts))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<AccountDTO> {
        let caller = try context.requireCaller()
        try caller.require(.manageAccounts)
        let body = try await request.decodeJSON(CreateAccountRequest.self, context: context)
        let account = Account(username: body.username, displayName: body.displayName, role: body.role,
                              scope: try body.scope.map { try GridCode.parse($0, field: "scope") }, departmentID: body.departmentId)
        try account.validate()
        try validatePassword(body.password)
        try await checkPlacement(account, caller: caller)
        if try await repos.accounts.find(username: account.username) != nil {
            throw AppError.conflict("用户名\(account.username)已被使用", field: "username")
        }
        let hash = try await auth.hashPassword(body.password)
        let saved = try await repos.database.transaction { tx in
            let saved = try await repos.accounts.insert(account, passwordHash: hash, in: tx)
            let detail = "角色 \(account.role.label)，范围 \(account.scope?.value ?? "部门\(account.departmentID ?? 0)")"
            try await repos.audit.append(caller.actor(context).entry("account_created", target: "account:\(account.username)",
                                                                     detail: detail), in: tx)
            return saved
        }
        return EditedResponse(status: .created, response: try await AccountPresenter(repos: repos).dto(saved))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> AccountDTO {
        let caller = try context.requireCaller()
        try caller.require(.manageAccounts)
        let id = try context.parameters.id("账号")
        guard let stored = try await repos.accounts.find(id: id), try await isVisible(stored.account, to: caller) else {
            throw AppError.notFound("没有找到账号\(id)")
        }
        let body = try await request.decodeJSON(UpdateAccountRequest.self, context: context)
        var account = stored.account
        if let v = body.displayName { account.displayName = v }
        if let v = body.role { account.role = v }
        if let v = body.scope { account.scope = v.isEmpty ? nil : try GridCode.parse(v, field: "scope") }
        if let v = body.departmentId { account.departmentID = v }
        if body.role != nil, account.role != .department, body.departmentId == nil { account.departmentID = nil }
        if body.role == .department, body.scope == nil { account.scope = nil }
        if let v = body.disabled { account.disabled = v }
        try account.validate()
        try await checkPlacement(account, caller: caller)
        if account.id == caller.account.id, account.disabled || account.role != .admin {
            throw AppError.conflict("不能停用自己的账号或取消自己的管理员角色")
        }
        var hash: String?
        if let password = body.password {
            try validatePassword(password)
            hash = try await auth.hashPassword(password)
        }
        var changes: [String] = []
        if account != stored.account { changes.append("资料") }
        if hash != nil { changes.append("密码") }
        if body.unlock == true { changes.append("解锁") }
        let final = account, newHash = hash, summary = changes.joined(separator: "、")
        try await repos.database.transaction { tx in
            try await repos.accounts.update(final, in: tx)
            if let newHash { try await repos.accounts.setPassword(id: id, hash: newHash, in: tx) }
            if body.unlock == true { try await repos.accounts.setLoginState(id: id, .init(), in: tx) }
            // A disabled account or a changed role or scope must not keep the sessions it had.
            if final.disabled || final.role != stored.account.role || final.scope != stored.account.scope || newHash != nil {
                try await repos.accounts.deleteSessions(accountID: id, in: tx)
            }
            try await repos.audit.append(caller.actor(context).entry("account_updated", target: "account:\(final.username)",
                                                                     detail: summary), in: tx)
        }
        return try await AccountPresenter(repos: repos).dto(final)
    }

    @Sendable func audit(_ request: Request, context: AppRequestContext) async throws -> ListResponse<AuditEntryDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readAudit)
        let q = request.uri.queryParameters
        let limit = try q.get("limit").map { raw -> Int in
            guard let n = Int(raw), (1...500).contains(n) else { throw AppError.badRequest("limit 必须是1–500", field: "limit") }
            return n
        } ?? 100
        let before = try q.get("before").map { raw -> Int64 in
            guard let n = Int64(raw) else { throw AppError.badRequest("before 必须是整数", field: "before") }
            return n
        }
        // The administrator of the whole tree also sees what was done outside any territory (the command line).
        let isTreeRoot = try await repos.grids.find(caller.territory.root)?.parent == nil
        let entries = try await repos.audit.list(in: isTreeRoot ? nil : caller.territory.range, action: q.get("action"),
                                                 before: before, limit: limit)
        return ListResponse(items: entries.map {
            AuditEntryDTO(id: $0.id ?? 0, at: $0.at, actor: $0.actor, action: $0.action, target: $0.target, detail: $0.detail, ip: $0.ip)
        })
    }

    /// The new account's scope (or department) must exist and lie within the administrator's territory.
    private func checkPlacement(_ account: Account, caller: Caller) async throws {
        if let scope = account.scope {
            guard caller.territory.contains(scope), try await repos.grids.find(scope) != nil else {
                throw AppError(.badRequest, code: "invalid", "管辖范围\(scope)不存在或不在您的管辖范围内", field: "scope")
            }
        }
        if let departmentID = account.departmentID {
            guard let department = try await repos.departments.find(id: departmentID), caller.territory.contains(department.serves) else {
                throw AppError(.badRequest, code: "invalid", "部门\(departmentID)不存在或不在您的管辖范围内", field: "departmentId")
            }
        }
    }

    private func isVisible(_ account: Account, to caller: Caller) async throws -> Bool {
        if let scope = account.scope { return caller.territory.contains(scope) }
        if let id = account.departmentID, let department = try await repos.departments.find(id: id) {
            return caller.territory.contains(department.serves)
        }
        return false
    }
}

extension Caller {
    /// This caller as the author of an audited change.
    func actor(_ context: AppRequestContext) -> AuditActor {
        AuditActor(id: account.id, name: account.username, ip: context.remoteAddress, scope: territory.root)
    }
}
