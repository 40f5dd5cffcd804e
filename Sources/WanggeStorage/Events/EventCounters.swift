import SQLKit
import WanggeCore

/// What one event adds to the dashboard counters: a value in each dimension, and its contributions.
struct StatKey: Hashable {
    var month: String
    /// (dimension, value): status, category, source, level (the level only once completed).
    var values: [(String, String)]
    var onTime: Int
    var rated: Int
    var satisfied: Int

    init(_ e: Event) {
        month = String(Day(localDateOf: e.reportedAt).description.prefix(7))
        values = [("status", e.status.rawValue), ("category", String(e.itemCode.prefix(2))), ("source", e.source.rawValue),
                  ("level", e.status.isCompleted ? e.resolvedLevel ?? "unknown" : "")]
        onTime = e.handledAt.map { handled in e.deadline.map { handled <= $0 } ?? true } == true ? 1 : 0
        rated = e.satisfaction == nil ? 0 : 1
        satisfied = (e.satisfaction ?? 0) >= 4 ? 1 : 0
    }

    static func == (a: StatKey, b: StatKey) -> Bool {
        a.month == b.month && a.values.elementsEqual(b.values, by: ==) && a.onTime == b.onTime && a.rated == b.rated
            && a.satisfied == b.satisfied
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(month)
        for (d, v) in values {
            hasher.combine(d)
            hasher.combine(v)
        }
    }
}

/// One counter row's key.
struct CounterRow: Hashable, Sendable {
    var node: String
    var month: String
    var dim: String
    var value: String
}

/// The codes an event is counted under: every level above its grid that its code implies. A unit
/// grid has too few events to be worth counters of its own (they would be almost one row per
/// event); its figures are counted from the events themselves.
func counterNodes(of grid: GridCode) -> [String] {
    var nodes: [String] = []
    for level in GridLevel.allCases where level <= grid.level && level < .grid {
        let prefix = grid.value.prefix(level.prefixLength)
        let width = level == .grid ? 15 : 12
        let code = String(prefix) + String(repeating: "0", count: width - prefix.count)
        if nodes.last != code { nodes.append(code) }
    }
    return nodes
}

extension SQLEventRepository {
    /// Moves an event's contribution from `old` to `new` at each of its counter nodes.
    func adjustCounters(grid: GridCode, removing old: StatKey?, adding new: StatKey?, in tx: any SQLDatabase) async throws {
        guard old != new else { return }
        var sums: [CounterRow: [Int]] = [:]
        for (key, sign) in [(old, -1), (new, 1)] {
            guard let key else { continue }
            add(key, sign: sign, nodes: counterNodes(of: grid), into: &sums)
        }
        try await write(sums.filter { $0.value.contains { $0 != 0 } }, in: tx)
    }

    func add(_ key: StatKey, sign: Int, nodes: [String], into sums: inout [CounterRow: [Int]]) {
        for node in nodes {
            for (dim, value) in key.values where !value.isEmpty {
                let row = CounterRow(node: node, month: key.month, dim: dim, value: value)
                var s = sums[row] ?? [0, 0, 0, 0]
                s[0] += sign
                s[1] += sign * key.onTime
                s[2] += sign * key.rated
                s[3] += sign * key.satisfied
                sums[row] = s
            }
        }
    }

    func write(_ sums: [CounterRow: [Int]], in tx: any SQLDatabase) async throws {
        // Sorted so that concurrent transactions take row locks in the same order (no deadlocks on PostgreSQL).
        let ordered = sums.sorted { ($0.key.node, $0.key.month, $0.key.dim, $0.key.value) < ($1.key.node, $1.key.month, $1.key.dim, $1.key.value) }
        try await tx.insertBatches(ordered, size: 400) { batch in
            let rows: [SQLQueryString] = batch.map { row, s in
                """
                (\(bind: row.node), \(bind: row.month), \(bind: row.dim), \(bind: row.value), \(bind: s[0]), \(bind: s[1]),
                 \(bind: s[2]), \(bind: s[3]))
                """
            }
            try await tx.raw("""
                INSERT INTO event_stats (node, month, dim, value, n, on_time, rated, satisfied)
                VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (node, month, dim, value) DO UPDATE SET
                    n = event_stats.n + excluded.n, on_time = event_stats.on_time + excluded.on_time,
                    rated = event_stats.rated + excluded.rated, satisfied = event_stats.satisfied + excluded.satisfied
                """).run()
        }
    }

    /// Loads many events at once (benchmarks, migrations from another system): multi-row inserts,
    /// and the dashboard counters added once per batch instead of once per event. No timeline rows.
    public func bulkInsert(_ events: [Event], in tx: any SQLDatabase) async throws {
        try await tx.insertBatches(events, size: 500) { batch in
            let rows: [SQLQueryString] = batch.map { e in
                """
                (\(bind: e.serial), \(bind: e.trackingNumber), \(bind: e.source.rawValue), \(bind: e.itemCode),
                 \(bind: String(e.itemCode.prefix(2))), \(bind: e.description), \(bind: e.lon), \(bind: e.lat), \(bind: e.grid.value),
                 \(bind: e.status.rawValue), \(bind: e.holder.description), \(bind: e.dispatcher?.description), \(bind: e.deadline),
                 \(bind: e.resolvedLevel), \(bind: e.satisfaction), \(bind: e.reportedAt), \(bind: e.acceptedAt),
                 \(bind: e.dispatchedAt), \(bind: e.signedAt), \(bind: e.handledAt), \(bind: e.closedAt), \(bind: e.updatedAt))
                """
            }
            try await tx.raw("""
                INSERT INTO events (serial, tracking_number, source, item_code, category_code, description, lon, lat, grid_code,
                    status, holder, dispatcher, deadline, resolved_level, satisfaction, reported_at, accepted_at, dispatched_at,
                    signed_at, handled_at, closed_at, updated_at)
                VALUES \(rows.joined(separator: ", "))
                """).run()
        }
        var sums: [CounterRow: [Int]] = [:]
        for e in events { add(StatKey(e), sign: 1, nodes: counterNodes(of: e.grid), into: &sums) }
        try await write(sums, in: tx)
    }
}
