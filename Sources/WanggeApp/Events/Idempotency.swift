import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit
import WanggeStorage

/// A write that carries an `Idempotency-Key`: a phone that lost the answer, or a finger that tapped
/// twice, sends it again, and gets the same answer instead of a second event. The key is recorded in
/// the transaction of the write itself, so two copies racing each other make one event.
struct IdempotentRequest: Sendable {
    let scope: String
    let key: String
    let fingerprint: String

    /// nil when the request has no key; 400 when the key is not usable.
    static func from(_ request: Request, body: ByteBuffer, scope: String) throws -> IdempotentRequest? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        let allowed = key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.:".unicodeScalars.contains($0)) }
        guard (8...100).contains(key.count), allowed else {
            throw AppError.badRequest("Idempotency-Key 须为8–100位字母、数字或 -_.:", field: "Idempotency-Key")
        }
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        hasher.update(data: canonical(Data(body.readableBytesView)))
        let fingerprint = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return IdempotentRequest(scope: scope, key: key, fingerprint: fingerprint)
    }

    /// JSON with its keys sorted, so that a client re-encoding the same body in another order is
    /// still the same request; anything else (a photo) as it is.
    static func canonical(_ data: Data) -> Data {
        guard data.first == UInt8(ascii: "{") || data.first == UInt8(ascii: "["),
              let object = try? JSONSerialization.jsonObject(with: data),
              let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return data }
        return sorted
    }

    /// What an earlier request with this key made, or nil; 409 when the key came with another request.
    func earlier(_ repository: any IdempotencyRepository) async throws -> String? {
        guard let record = try await repository.find(scope: scope, key: key) else { return nil }
        guard record.fingerprint == fingerprint else {
            throw AppError(.conflict, code: "idempotency_conflict", "该 Idempotency-Key 已用于另一个不同的请求", field: "Idempotency-Key")
        }
        return record.resource
    }

    func record(_ resource: String, at: Int64, in tx: any SQLDatabase, _ repository: any IdempotencyRepository) async throws {
        try await repository.insert(IdempotencyRecord(scope: scope, key: key, fingerprint: fingerprint, resource: resource,
                                                      createdAt: at), in: tx)
    }

    /// The id in `event:12`.
    static func id(of resource: String, kind: String) -> Int64? {
        resource.hasPrefix(kind + ":") ? Int64(resource.dropFirst(kind.count + 1)) : nil
    }

    /// Runs `write`; if it fails because a copy of the same request won the race, answers with what
    /// that copy made.
    func perform<R>(_ repository: any IdempotencyRepository, write: () async throws -> R,
                              replay: (String) async throws -> R) async throws -> R {
        do {
            return try await write()
        } catch {
            if let resource = try await earlier(repository) { return try await replay(resource) }
            throw error
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotencyReplayed = Self("Idempotency-Replayed")!
}
