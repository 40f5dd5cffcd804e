import Foundation
import Hummingbird
import WanggeCore

/// The request context of every route: the authenticated caller, once the auth middleware has run.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware` on protected routes.
    public var caller: Caller?
    /// The client's address, for the audit log.
    public var remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Stable key order and unescaped slashes make answers readable and diffable.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Uploads of whole grid trees with boundaries are large; 64 MB covers a city.
    public var maxUploadSize: Int { 64 * 1024 * 1024 }

    /// The caller of a protected route; the middleware guarantees it is there.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw AppError.unauthorized }
        return caller
    }
}

/// Who is calling, and the part of the territory they may see.
public struct Caller: Sendable {
    public let account: Account
    public let territory: Territory
    /// The department of a department account.
    public let department: Department?
    /// The keyed hash of the session token used, so logout can end exactly this session.
    public let sessionHash: String

    public var id: Int64 { account.id ?? 0 }
    public var role: Role { account.role }

    /// Throws 403 when the role may not do `action` at all.
    public func require(_ action: Action) throws {
        guard role.may(action) else { throw AppError.forbidden() }
    }

    /// Throws 404 for anything outside the territory, never revealing that it exists.
    public func requireVisible(_ code: GridCode, what: String = "网格") throws {
        guard territory.contains(code) else { throw AppError.notFound("没有找到\(what)\(code)") }
    }
}
