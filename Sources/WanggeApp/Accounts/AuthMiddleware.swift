import Hummingbird
import HTTPTypes

/// Authenticates by `Authorization: Bearer …` (API clients) or the session cookie (the web).
///
/// A cookie is sent by the browser on its own, so a state-changing request that relies on it
/// must also carry `X-Requested-With` — a header a cross-site form cannot set — against CSRF.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let auth: AuthService

    static let cookieName = "wangge_session"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        var token: String?
        if let header = request.headers[.authorization] {
            guard header.lowercased().hasPrefix("bearer ") else { throw AppError.unauthorized }
            token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        } else if let cookie = request.cookies[Self.cookieName]?.value {
            let safe: Set<HTTPRequest.Method> = [.get, .head, .options]
            if !safe.contains(request.method), request.headers[.xRequestedWith] == nil {
                throw AppError(.forbidden, code: "csrf", "使用会话Cookie的修改请求必须带 X-Requested-With 请求头")
            }
            token = cookie
        }
        guard let token, !token.isEmpty, let caller = try await auth.authenticate(token: token) else {
            throw AppError.unauthorized
        }
        context.caller = caller
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xRequestedWith = Self("X-Requested-With")!
}
