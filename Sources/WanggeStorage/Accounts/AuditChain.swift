import Crypto
import Foundation
import SQLKit
import WanggeCore

/// The audit log as a hash chain: every entry stores the SHA-256 of its predecessor's hash and
/// its own fields, so that editing, deleting or inserting an entry anywhere but at the end
/// breaks every link after it. `verify` walks the chain and names the first broken entry.
///
/// Appends are serialised (a transaction-scoped advisory lock on PostgreSQL; SQLite already has
/// one writer at a time), so that two concurrent writers cannot both link to the same head.
public enum AuditChain {
    /// The predecessor of the first entry.
    public static let genesis = String(repeating: "0", count: 64)

    /// Arbitrary but fixed: the advisory lock that orders appends on PostgreSQL.
    static let lockKey: Int64 = 0x5741_4e47_4155_4454

    /// SHA-256 over the previous hash and the entry's fields, each length-prefixed so that no
    /// two different entries serialise alike.
    public static func hash(previous: String, _ e: AuditEntry) -> String {
        var data = Data()
        func field(_ s: String?) {
            guard let s else { data.append(contentsOf: "~".utf8); return }
            let bytes = Data(s.utf8)
            data.append(contentsOf: "\(bytes.count):".utf8)
            data.append(bytes)
        }
        field(previous)
        field(String(e.at))
        field(e.actorID.map(String.init))
        field(e.actor)
        field(e.action)
        field(e.target)
        field(e.detail)
        field(e.ip)
        field(e.scope?.value)
        return hex(Array(SHA256.hash(data: data)))
    }

    /// Takes the append lock and returns the hash the next entry must link to.
    static func head(_ tx: any SQLDatabase) async throws -> String {
        if tx.dialect.name == "postgresql" {
            try await tx.raw("SELECT pg_advisory_xact_lock(\(bind: lockKey))").run()
        }
        let row = try await tx.raw("SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1").first()
        return try row?.string("hash") ?? genesis
    }

    /// Chains entries that have no hash yet (those written before the chain existed), in id order.
    static func chainUnsealed(_ tx: any SQLDatabase) async throws {
        var previous = try await head(tx)
        while true {
            let rows = try await tx.raw("SELECT * FROM audit_log WHERE hash IS NULL ORDER BY id LIMIT 1000").all()
            if rows.isEmpty { return }
            for row in rows {
                let entry = try SQLAuditRepository.entry(row)
                let hash = hash(previous: previous, entry)
                try await tx.raw("UPDATE audit_log SET prev_hash = \(bind: previous), hash = \(bind: hash) WHERE id = \(bind: entry.id ?? 0)").run()
                previous = hash
            }
        }
    }

    /// Checks every link from the first entry to the last.
    public static func verify(_ db: any SQLDatabase) async throws -> AuditVerification {
        var previous = genesis
        var checked = 0
        var after: Int64 = 0
        while true {
            let rows = try await db.raw("SELECT * FROM audit_log WHERE id > \(bind: after) ORDER BY id LIMIT 5000").all()
            if rows.isEmpty { return AuditVerification(checked: checked, broken: nil) }
            for row in rows {
                let entry = try SQLAuditRepository.entry(row)
                let id = entry.id ?? 0
                after = id
                let storedPrevious = try row.optionalString("prev_hash")
                let storedHash = try row.optionalString("hash")
                guard let storedHash, let storedPrevious else {
                    return AuditVerification(checked: checked, broken: .init(id: id, reason: "第\(id)条记录没有哈希值(在链外写入)"))
                }
                guard storedPrevious == previous else {
                    return AuditVerification(checked: checked, broken: .init(
                        id: id, reason: "第\(id)条记录所指的前一条哈希与实际不符：其前的记录被删除、插入或改动"))
                }
                guard hash(previous: previous, entry) == storedHash else {
                    return AuditVerification(checked: checked, broken: .init(id: id, reason: "第\(id)条记录的内容与其哈希不符：记录被改动"))
                }
                previous = storedHash
                checked += 1
            }
        }
    }
}

/// What `AuditChain.verify` found.
public struct AuditVerification: Sendable, Equatable {
    public struct Break: Sendable, Equatable {
        public var id: Int64
        public var reason: String
    }

    /// Entries whose links held, from the first.
    public var checked: Int
    /// The first entry whose link is broken, if any.
    public var broken: Break?

    public var isIntact: Bool { broken == nil }
}
