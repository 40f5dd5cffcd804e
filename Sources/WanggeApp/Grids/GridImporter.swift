import Foundation
import WanggeCore
import WanggeStorage

/// Imports a whole tree (or part of one) from a GeoJSON FeatureCollection: every feature is
/// checked against the file and the stored tree, and nothing is written unless all pass.
public struct GridImporter: Sendable {
    let repos: Repositories

    public init(repos: Repositories) { self.repos = repos }

    public struct Summary: Sendable, Codable {
        public var created: Int
        public var updated: Int
    }

    /// The features that were rejected, each with its index and reason.
    public struct Rejected: Error, Sendable {
        public var errors: [FeatureError]
    }

    /// - Parameter territory: when given, every feature must lie within it.
    public func importCollection(_ data: Data, territory: Territory?, actor: AuditActor) async throws -> Summary {
        let incoming: [Grid]
        switch GridGeoJSON.decode(data) {
        case .success(let grids): incoming = grids
        case .failure(let errors): throw Rejected(errors: errors.items)
        }
        guard !incoming.isEmpty else {
            throw Rejected(errors: [FeatureError(index: -1, field: "features", message: "要素集合为空，没有可导入的网格")])
        }
        if let territory {
            let outside = incoming.enumerated().filter { !territory.contains($0.element.code) }.map {
                FeatureError(index: $0.offset, code: $0.element.code.value, field: "code",
                             message: "不在您的管辖范围(\(territory.root))内")
            }
            if !outside.isEmpty { throw Rejected(errors: outside) }
        }
        let existing = try await repos.grids.subtree(nil, withBoundaries: true)
        let errors = GridTreeValidator(existing: existing).validate(incoming)
        if !errors.isEmpty { throw Rejected(errors: errors) }
        let known = Set(existing.map(\.code))
        let updated = incoming.filter { known.contains($0.code) }.count
        try await repos.database.transaction { tx in
            try await repos.grids.upsert(incoming, in: tx)
            try await repos.audit.append(actor.entry("grids_imported", target: "grids",
                                                     detail: "导入\(incoming.count)个网格，新增\(incoming.count - updated)，更新\(updated)"), in: tx)
        }
        return Summary(created: incoming.count - updated, updated: updated)
    }

    /// The subtree (or the whole tree) as one FeatureCollection.
    public func export(_ range: CodeRange?) async throws -> Data {
        GridGeoJSON.encode(try await repos.grids.subtree(range, withBoundaries: true))
    }
}

/// Who made a change, for the audit log: an API caller or the command line.
public struct AuditActor: Sendable {
    public var id: Int64?
    public var name: String
    public var ip: String?
    public var scope: GridCode?

    public init(id: Int64?, name: String, ip: String?, scope: GridCode?) {
        self.id = id
        self.name = name
        self.ip = ip
        self.scope = scope
    }

    public static func commandLine() -> AuditActor {
        AuditActor(id: nil, name: "cli:\(ProcessInfo.processInfo.environment["USER"] ?? "unknown")", ip: nil, scope: nil)
    }

    public func entry(_ action: String, target: String?, detail: String?) -> AuditEntry {
        AuditEntry(at: Clock.nowSeconds(), actorID: id, actor: name, action: action, target: target, detail: detail, ip: ip, scope: scope)
    }
}
