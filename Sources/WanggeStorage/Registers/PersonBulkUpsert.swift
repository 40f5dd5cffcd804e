import Foundation
import NIOCore
import PostgresKit
import SQLKit
import SQLiteKit
import WanggeCore

/// A person ready to be written: the keyed lookup hash, the fingerprint and the stored text
/// columns (certificate and phone sealed) worked out. That is pure work, most of a write's, and
/// an import does it on every core ahead of the writing (``PersonRepository/prepare(_:)``).
public struct PreparedPerson: Sendable {
    public let person: Person
    let hash: String
    let print: String
    /// The stored text columns of ``SQLPersonRepository/storedFields(_:hash:print:)``.
    let fields: [String?]
    /// On PostgreSQL, the same as they go into `COPY`, each after a tab: the writer, which is the
    /// import's one sequential stage, then only puts the id in front.
    let copyText: ByteBuffer?
}

/// The upsert of people on each engine's fast path, used whenever the caller's database is a
/// transaction (see ``DriverConnection``). A million-row import spends its time here, so each
/// engine gets what it does best; both keep the semantics of the portable path: one lookup of
/// the stored fingerprints per batch (none when the caller says all are new), unchanged rows
/// left alone, changed rows updated, new rows inserted, everything inside the caller's
/// transaction, a duplicate certificate an error.
extension SQLPersonRepository {
    public func prepare(_ p: Person) -> PreparedPerson {
        let hash = cipher.lookupHash(p.certificateNumber), print = fingerprint(p)
        let fields = storedFields(p, hash: hash, print: print)
        return PreparedPerson(person: p, hash: hash, print: print, fields: fields,
                              copyText: db.engine == .postgres ? CopyText.fields(fields) : nil)
    }

    public func upsert(prepared people: [PreparedPerson], now: Int64, assumingNew: Bool, in tx: any SQLDatabase) async throws
        -> [(id: Int64, outcome: UpsertOutcome)] {
        switch tx.driverConnection {
        case .sqlite(let conn): return try await upsertSQLite(people, now: now, assumingNew: assumingNew, on: conn, tx: tx)
        case .postgres(let conn): return try await upsertPostgres(people, now: now, assumingNew: assumingNew, on: conn, tx: tx)
        case nil: return try await upsertPortable(people.map(\.person), now: now, in: tx)
        }
    }

    public func isEmpty(in db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM persons LIMIT 1").first() == nil
    }

    /// Stored columns after `id`, in the order of ``storedFields(_:hash:print:)`` and then `updated_at`.
    static let columnNames = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The text columns of a person as stored (all but `updated_at`), certificate and phone sealed.
    func storedFields(_ p: Person, hash: String, print: String) -> [String?] {
        [p.name, p.certificateType.rawValue, cipher.seal(p.certificateNumber), hash, p.sex.rawValue, p.birthDate?.description,
         p.ethnicity, p.phone.map(cipher.seal), p.phone.map(cipher.lookupHash), p.registeredDivision, p.registeredAddress,
         p.currentAddress, p.grid.value, p.kind.rawValue, p.inflowReason, p.permitType, p.permitNumber,
         p.permitExpiry?.description, p.nationality, p.foreignName, p.visitPurpose, print]
    }

    /// Sorts a batch into what is unchanged, what changed (updated here, one statement each, as
    /// re-imports change few rows) and what is new, whose indices in the batch are returned.
    private func classify(_ batch: ArraySlice<PreparedPerson>, stored: [String: (id: Int64, print: String)], now: Int64,
                          tx: any SQLDatabase, into outcomes: inout [(id: Int64, outcome: UpsertOutcome)?]) async throws -> [Int] {
        var fresh: [Int] = []
        for (k, p) in batch.enumerated() {
            guard let (id, print) = stored[p.hash] else {
                fresh.append(k)
                continue
            }
            if print == p.print {
                outcomes[k] = (id, .unchanged)
            } else {
                try await tx.raw("UPDATE persons SET \(assignments(p.person, print: p.print, now: now)) WHERE id = \(bind: id)").run()
                outcomes[k] = (id, .updated)
            }
        }
        return fresh
    }

    /// SQLite: statements bound with `SQLiteData` directly (SQLKit's `Encodable` binds cost more
    /// than the insert itself), 1,000 rows a statement, and no result rows beyond one a statement,
    /// because SQLiteNIO hands every row to the event loop on its own, which costs more than the
    /// probe or the insert that made it: the stored fingerprints come back as one string, and the
    /// ids of new rows are known beforehand. The transaction began IMMEDIATE, so no other
    /// connection writes until it ends, and AUTOINCREMENT gives the rows of one INSERT, in order,
    /// the ids after the highest the table ever had; the first and last are checked afterwards.
    ///
    /// The insert is `INSERT OR FAIL` and names no id: a multi-row INSERT that may abort (which
    /// `OR ABORT`, the default, and an explicit rowid both make possible) keeps a statement
    /// journal of every page it touches, which costs as much as the insert. On a failure the
    /// caller rolls the whole transaction back anyway.
    func upsertSQLite(_ people: [PreparedPerson], now: Int64, assumingNew: Bool, on conn: SQLiteConnection, tx: any SQLDatabase) async throws
        -> [(id: Int64, outcome: UpsertOutcome)] {
        var results: [(id: Int64, outcome: UpsertOutcome)] = []
        results.reserveCapacity(people.count)
        let row = "(" + Array(repeating: "?", count: Self.columnNames.count).joined(separator: ",") + ")"
        for start in stride(from: 0, to: people.count, by: 1_000) {
            let batch = people[start..<min(start + 1_000, people.count)]
            let hashes = batch.map(\.hash)
            let marks = Array(repeating: "?", count: hashes.count).joined(separator: ",")
            // Hashes and fingerprints are hex and ids digits, so ':' and ',' cannot occur inside them.
            let found = assumingNew ? [] : try await conn.query("""
                SELECT group_concat(id || ':' || cert_hash || ':' || fingerprint, ',') AS found FROM persons WHERE cert_hash IN (\(marks))
                """, hashes.map { .text($0) })
            var stored: [String: (id: Int64, print: String)] = [:]
            // Split as bytes: splitting a String by Characters costs more than the query.
            for entry in (found.first?.column("found")?.string ?? "").utf8.split(separator: UInt8(ascii: ",")) {
                let parts = entry.split(separator: UInt8(ascii: ":"))
                guard parts.count == 3, let id = Int64(String(decoding: parts[0], as: UTF8.self)) else {
                    throw StoredDataError("人员表中有无法读取的行")
                }
                stored[String(decoding: parts[1], as: UTF8.self)] = (id, String(decoding: parts[2], as: UTF8.self))
            }
            var outcomes = [(id: Int64, outcome: UpsertOutcome)?](repeating: nil, count: batch.count)
            let fresh = try await classify(batch, stored: stored, now: now, tx: tx, into: &outcomes)
            if !fresh.isEmpty {
                let top = try await conn.query("""
                    SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'persons'), 0),
                               coalesce((SELECT max(id) FROM persons), 0)) AS top
                    """)
                guard let last = top.first?.column("top")?.integer else { throw StoredDataError("未能为新人员分配编号") }
                var binds: [SQLiteData] = []
                binds.reserveCapacity(fresh.count * Self.columnNames.count)
                for (n, k) in fresh.enumerated() {
                    let id = Int64(last) + Int64(n) + 1
                    for field in batch[start + k].fields { binds.append(field.map { .text($0) } ?? .null) }
                    binds.append(.integer(Int(now)))
                    outcomes[k] = (id, .created)
                }
                let sql = "INSERT OR FAIL INTO persons (\(Self.columns)) VALUES " + Array(repeating: row, count: fresh.count).joined(separator: ",")
                _ = try await conn.query(sql, binds)
                let ends = try await conn.query("""
                    SELECT last_insert_rowid() AS last, (SELECT cert_hash FROM persons WHERE id = ?) AS first_hash,
                           (SELECT cert_hash FROM persons WHERE id = ?) AS last_hash
                    """, [.integer(last + 1), .integer(last + fresh.count)])
                guard let end = ends.first, end.column("last")?.integer == last + fresh.count,
                      end.column("first_hash")?.string == hashes[fresh[0]], end.column("last_hash")?.string == hashes[fresh[fresh.count - 1]] else {
                    throw StoredDataError("新人员的编号与预计的不符，已撤销本次写入")
                }
            }
            for o in outcomes { results.append(o!) }
        }
        return results
    }

    /// PostgreSQL: the stored fingerprints by one probe of the index per key (none when the caller
    /// knows every person is new: the probes cost the server a third of the insert), then the new rows with ids
    /// drawn from the table's identity sequence straight into `persons` by `COPY … FROM STDIN`,
    /// which the server takes several times faster than a multi-row `INSERT`; the ids drawn are
    /// the ones the rows keep, so nothing needs reading back.
    func upsertPostgres(_ people: [PreparedPerson], now: Int64, assumingNew: Bool, on conn: PostgresConnection, tx: any SQLDatabase) async throws
        -> [(id: Int64, outcome: UpsertOutcome)] {
        var results: [(id: Int64, outcome: UpsertOutcome)] = []
        results.reserveCapacity(people.count)
        let logger = tx.logger
        for start in stride(from: 0, to: people.count, by: 5_000) {
            let batch = people[start..<min(start + 5_000, people.count)]
            let hashes = batch.map(\.hash)
            var stored: [String: (id: Int64, print: String)] = [:]
            // One index probe per key, whatever the planner thinks: given thousands of keys, and the
            // statistics of a table being loaded in this very transaction, it prices `= ANY($1)` or
            // a join above a scan of the whole table. A LATERAL subquery with LIMIT cannot be
            // flattened into a join, so it stays a parameterised index scan (cert_hash is unique).
            if !assumingNew {
                let found = try await conn.query("""
                    SELECT p.id, p.cert_hash, p.fingerprint FROM unnest(\(hashes)::text[]) AS k(hash)
                    CROSS JOIN LATERAL (SELECT id, cert_hash, fingerprint FROM persons WHERE cert_hash = k.hash LIMIT 1) p
                    """, logger: logger)
                for try await (id, hash, print) in found.decode((Int64, String, String).self) { stored[hash] = (id, print) }
            }
            var outcomes = [(id: Int64, outcome: UpsertOutcome)?](repeating: nil, count: batch.count)
            let fresh = try await classify(batch, stored: stored, now: now, tx: tx, into: &outcomes)
            if !fresh.isEmpty {
                // One row holding every id, rather than a row per id.
                var ids: [Int64] = []
                let drawn = try await conn.query(
                    "SELECT array_agg(nextval(pg_get_serial_sequence('persons', 'id'))) FROM generate_series(1, \(fresh.count))", logger: logger)
                for try await column in drawn.decode([Int64].self) { ids = column }
                guard ids.count == fresh.count else { throw StoredDataError("未能为新人员分配编号") }
                var text = ByteBuffer()
                text.reserveCapacity(fresh.count * 400)
                let stamp = String(now)
                for (k, id) in zip(fresh, ids) {
                    text.writeString(String(id))
                    text.writeImmutableBuffer(batch[start + k].copyText ?? CopyText.fields(batch[start + k].fields))
                    text.writeInteger(UInt8(ascii: "\t"))
                    text.writeString(stamp)
                    text.writeInteger(UInt8(ascii: "\n"))
                    outcomes[k] = (id, .created)
                }
                try await conn.copyFrom(table: "persons", columns: ["id"] + Self.columnNames, logger: logger) { writer in
                    try await writer.write(text)
                }
            }
            for o in outcomes { results.append(o!) }
        }
        return results
    }
}

/// Values in the text format of `COPY`.
public enum CopyText {
    /// The fields, each after a tab.
    static func fields(_ fields: [String?]) -> ByteBuffer {
        var text = ByteBuffer()
        text.reserveCapacity(400)
        for field in fields {
            text.writeInteger(UInt8(ascii: "\t"))
            append(field, to: &text)
        }
        return text
    }

    /// `\N` for null; backslash, tab, line feed and carriage return escaped, everything else as is.
    public static func append(_ value: String?, to buffer: inout ByteBuffer) {
        guard var value else {
            buffer.writeStaticString("\\N")
            return
        }
        value.withUTF8 { bytes in
            // Most values need no escape: write them whole.
            guard bytes.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else {
                buffer.writeBytes(bytes)
                return
            }
            for byte in bytes {
                switch byte {
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                default: buffer.writeInteger(byte)
                }
            }
        }
    }
}
