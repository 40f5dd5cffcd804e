import Crypto
import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

/// How Open311 keys are made and recognised.
enum Open311Keys {
    static let prefix = "wg311_"

    /// 32 random bytes in hex behind a prefix that says what the string is when it turns up in a
    /// log or a repository.
    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return prefix + bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// A plain SHA-256, not an HMAC under the server secret: the key carries 256 random bits, so
    /// the hash cannot be guessed backwards, and keys must keep working when a server started
    /// without `WANGGE_SECRET` restarts with a new random secret.
    static func hash(_ key: String) -> String {
        SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Enough of the key to tell keys apart in a list, far too little to use.
    static func hint(_ key: String) -> String { String(key.prefix(prefix.count + 6)) + "…" }
}

struct Open311KeyDTO: ResponseCodable {
    var id: Int64
    var name: String
    var hint: String
    var createdAt: Int64
    /// The administrator's username.
    var createdBy: String?
    var revokedAt: Int64?
    var active: Bool
    /// Only in the answer to the creation: the key is not stored and cannot be shown again.
    var apiKey: String?
}

struct CreateOpen311KeyRequest: Decodable {
    var name: String
}

/// `/api/v1/open311/keys`: administrators issue and revoke the keys Open311 clients post with.
struct Open311KeysController {
    let service: EventService
    let repository: any Open311Repository

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("open311/keys", use: list)
        group.post("open311/keys", use: create)
        group.delete("open311/keys/{id}", use: revoke)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListResponse<Open311KeyDTO> {
        let caller = try context.requireCaller()
        try caller.require(.manageAccounts)
        let keys = try await repository.keys()
        var usernames: [Int64: String] = [:]
        for id in Set(keys.compactMap(\.createdBy)) {
            usernames[id] = try await service.repos.accounts.find(id: id)?.account.username
        }
        return ListResponse(items: keys.map { dto($0, createdBy: $0.createdBy.flatMap { usernames[$0] }) })
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<Open311KeyDTO> {
        let caller = try context.requireCaller()
        try caller.require(.manageAccounts)
        let body = try await request.decodeJSON(CreateOpen311KeyRequest.self, context: context)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 50 else { throw AppError.badRequest("客户端名称应为1–50个字", field: "name") }
        let key = Open311Keys.generate()
        let hint = Open311Keys.hint(key)
        let at = service.now()
        let id = try await service.repos.database.transaction { tx in
            let id = try await repository.createKey(name: name, hash: Open311Keys.hash(key), hint: hint, createdBy: caller.account.id,
                                                    at: at, in: tx)
            try await service.repos.audit.append(caller.actor(context).entry("open311_key_created", target: "open311_key:\(id)",
                                                                             detail: "\(name)（\(hint)）"), in: tx)
            return id
        }
        var answer = dto(Open311Key(id: id, name: name, hint: hint, createdAt: at, createdBy: caller.account.id, revokedAt: nil),
                         createdBy: caller.account.username)
        answer.apiKey = key
        return EditedResponse(status: .created, response: answer)
    }

    /// Revoking is final and idempotent: a revoked key stays listed, for the audit trail.
    @Sendable func revoke(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.manageAccounts)
        let id = try context.parameters.id("密钥")
        guard let key = try await repository.findKey(id: id) else { throw AppError.notFound("没有找到密钥\(id)") }
        let at = service.now()
        try await service.repos.database.transaction { tx in
            if try await repository.revokeKey(id: id, at: at, in: tx) {
                try await service.repos.audit.append(caller.actor(context).entry("open311_key_revoked", target: "open311_key:\(id)",
                                                                                 detail: "\(key.name)（\(key.hint)）"), in: tx)
            }
        }
        return Response(status: .noContent)
    }

    func dto(_ key: Open311Key, createdBy: String?) -> Open311KeyDTO {
        Open311KeyDTO(id: key.id, name: key.name, hint: key.hint, createdAt: key.createdAt, createdBy: createdBy,
                      revokedAt: key.revokedAt, active: key.isActive, apiKey: nil)
    }
}
