import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

/// `/api/v1/auth`: login, logout, who am I.
struct AuthController {
    let auth: AuthService
    let repos: Repositories
    let policy: LoginPolicy

    func addPublicRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("login", use: login)
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("logout", use: logout)
        group.get("me", use: me)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await request.decodeJSON(LoginRequest.self, context: context)
        guard !body.username.isEmpty else { throw AppError.badRequest("请输入用户名", field: "username") }
        guard !body.password.isEmpty else { throw AppError.badRequest("请输入密码", field: "password") }
        let result = try await auth.login(username: body.username, password: body.password, ip: context.remoteAddress)
        let dto = LoginResponse(token: result.token, idleTimeoutSeconds: policy.idleTimeoutSeconds,
                                account: try await AccountPresenter(repos: repos).dto(result.caller.account))
        var response = try dto.response(from: request, context: context)
        response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: result.token, path: "/", secure: true,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await auth.logout(try context.requireCaller(), ip: context.remoteAddress)
        var response = Response(status: .noContent)
        response.setCookie(Cookie(name: AuthMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: true,
                                  httpOnly: true, sameSite: .strict))
        return response
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> MeResponse {
        let caller = try context.requireCaller()
        let presenter = AccountPresenter(repos: repos)
        let root = try await repos.grids.find(caller.territory.root)
        return MeResponse(
            account: try await presenter.dto(caller.account),
            territory: NodeRef(code: caller.territory.root.value, name: root?.name ?? caller.territory.root.value,
                               level: caller.territory.root.level.rawValue),
            permissions: Action.allCases.filter(caller.role.may).map(\.rawValue))
    }
}

/// Builds the JSON form of accounts, with the names of their scope and department.
struct AccountPresenter {
    let repos: Repositories

    func dto(_ account: Account) async throws -> AccountDTO {
        try await dtos([account])[0]
    }

    func dtos(_ accounts: [Account]) async throws -> [AccountDTO] {
        let grids = try await repos.grids.find(Array(Set(accounts.compactMap(\.scope))))
        let names = Dictionary(grids.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        var departments: [Int64: Department] = [:]
        for id in Set(accounts.compactMap(\.departmentID)) {
            departments[id] = try await repos.departments.find(id: id)
        }
        return accounts.map { a in
            AccountDTO(
                id: a.id ?? 0, username: a.username, displayName: a.displayName, role: a.role.rawValue, roleLabel: a.role.label,
                scope: a.scope.map { NodeRef(code: $0.value, name: names[$0] ?? $0.value, level: $0.level.rawValue) },
                department: a.departmentID.flatMap { id in departments[id].map { DepartmentRef(id: id, name: $0.name) } },
                disabled: a.disabled)
        }
    }
}
