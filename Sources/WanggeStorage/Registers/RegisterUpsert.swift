import SQLKit
import WanggeCore

/// Something a register keeps under a unique `code`.
protocol Coded: Hashable, Sendable {
    var id: Int64? { get }
    var code: String { get }
}

extension Building: Coded {}
extension House: Coded {}
extension Component: Coded {}
extension Organisation: Coded {
    var code: String { creditCode }
}

extension SQLDatabase {
    /// Upserts by `code` a batch at a time: one SELECT finds what exists, rows equal to what is
    /// stored are left alone (so a re-import writes nothing), changed rows are updated one by
    /// one, and new rows go in one multi-row INSERT.
    func upsertByCode<T: Coded>(
        _ items: [T], table: String, key: String = "code", columns: String, decode: (any SQLRow) throws -> T, withID: (T, Int64) -> T,
        values: (T) -> SQLQueryString, assignments: (T) -> SQLQueryString
    ) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        var results: [(id: Int64, outcome: UpsertOutcome)] = []
        results.reserveCapacity(items.count)
        try await insertBatches(items, size: 300) { batch in
            var stored: [String: T] = [:]
            for row in try await raw("SELECT * FROM \(unsafeRaw: table) WHERE \(unsafeRaw: key) IN (\(SQLList(batch.map { SQLBind($0.code) })))").all() {
                let item = try decode(row)
                stored[item.code] = item
            }
            var fresh: [T] = []
            var seen = Set<String>()
            for item in batch where stored[item.code] == nil && seen.insert(item.code).inserted { fresh.append(item) }
            var inserted: [String: Int64] = [:]
            if !fresh.isEmpty {
                for row in try await raw("""
                    INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns)) VALUES \(fresh.map(values).joined(separator: ", ")) RETURNING id, \(unsafeRaw: key)
                    """).all() {
                    inserted[try row.string(key)] = try row.int64("id")
                }
            }
            for item in batch {
                if let id = inserted.removeValue(forKey: item.code) {
                    stored[item.code] = withID(item, id)
                    results.append((id, .created))
                } else if let old = stored[item.code], let id = old.id {
                    if withID(item, id) == old {
                        results.append((id, .unchanged))
                    } else {
                        try await raw("UPDATE \(unsafeRaw: table) SET \(assignments(item)) WHERE id = \(bind: id)").run()
                        stored[item.code] = withID(item, id)
                        results.append((id, .updated))
                    }
                } else {
                    throw StoredDataError("\(table) 中编码 \(item.code) 既未插入也未找到")
                }
            }
        }
        return results
    }
}
