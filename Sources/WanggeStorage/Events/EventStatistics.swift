import SQLKit
import WanggeCore

// PostgreSQL sums BIGINT into NUMERIC; the casts bring the sums back to integers on both engines.
extension SQLEventRepository {
    public func figures(node: GridCode, from: String?, to: String?) async throws -> EventFigures {
        if node.level == .grid { return try await scannedFigures(grid: node, from: from, to: to) }
        let rows = try await db.sql.raw("""
            SELECT dim, value, CAST(SUM(n) AS BIGINT) AS n, CAST(SUM(on_time) AS BIGINT) AS on_time,
                   CAST(SUM(rated) AS BIGINT) AS rated, CAST(SUM(satisfied) AS BIGINT) AS satisfied
            FROM event_stats WHERE node = \(bind: node.value) AND \(Self.months(from, to))
            GROUP BY dim, value
            """).all()
        return EventFigures(counts: try rows.map {
            EventFigures.Count(dimension: try $0.string("dim"), value: try $0.string("value"), count: try $0.int("n"),
                               onTime: try $0.int("on_time"), rated: try $0.int("rated"), satisfied: try $0.int("satisfied"))
        })
    }

    public func overdueCount(territory: CodeRange, now: Int64) async throws -> Int {
        // Answered from the (status, grid_code, deadline) index alone.
        try await db.sql.raw("""
            SELECT COUNT(*) AS n FROM events
            WHERE status IN ('reported', 'accepted', 'dispatched', 'signed') AND \(rangeCondition("grid_code", territory))
              AND deadline < \(bind: now)
            """).first()?.int("n") ?? 0
    }

    public func countsByNode(_ nodes: [GridCode], from: String?, to: String?) async throws -> [GridCode: (total: Int, completed: Int)] {
        guard !nodes.isEmpty else { return [:] }
        var result: [GridCode: (total: Int, completed: Int)] = [:]
        for row in try await db.sql.raw("""
            SELECT node, CAST(SUM(n) AS BIGINT) AS n,
                   CAST(SUM(CASE WHEN value IN ('closed', 'evaluated') THEN n ELSE 0 END) AS BIGINT) AS done
            FROM event_stats WHERE dim = 'status' AND node IN (\(SQLList(nodes.map { SQLBind($0.value) })))
              AND \(Self.months(from, to))
            GROUP BY node
            """).all() {
            result[try row.gridCode("node")] = (try row.int("n"), try row.int("done"))
        }
        return result
    }

    /// A unit grid's figures straight from its events (a few hundred at most), grouped like the counters.
    func scannedFigures(grid: GridCode, from: String?, to: String?) async throws -> EventFigures {
        var sums: [CounterRow: [Int]] = [:]
        for row in try await db.sql.raw("SELECT * FROM events WHERE grid_code = \(bind: grid.value)").all() {
            let key = StatKey(try Self.event(row))
            if let from, key.month < from { continue }
            if let to, key.month > to { continue }
            add(key, sign: 1, nodes: [grid.value], into: &sums)
        }
        return EventFigures(counts: sums.map { row, s in
            EventFigures.Count(dimension: row.dim, value: row.value, count: s[0], onTime: s[1], rated: s[2], satisfied: s[3])
        })
    }

    static func months(_ from: String?, _ to: String?) -> SQLQueryString {
        switch (from, to) {
        case let (f?, t?): "month >= \(bind: f) AND month <= \(bind: t)"
        case let (f?, nil): "month >= \(bind: f)"
        case let (nil, t?): "month <= \(bind: t)"
        case (nil, nil): "1 = 1"
        }
    }
}
