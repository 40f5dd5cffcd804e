import SQLKit
import WanggeCore

extension SQLEventRepository {
    /// One scan of the subtree and period, grouped so that every figure can be added up from it.
    public func figureGroups(territory: CodeRange?, from: Int64?, to: Int64?, now: Int64) async throws -> [EventFigures.Group] {
        var filter = EventFilter(territory: territory)
        filter.reportedFrom = from
        filter.reportedTo = to
        let open = EventStatus.allCases.filter { $0.isOpen && $0 != .handled }.map { SQLBind($0.rawValue) }
        return try await db.sql.raw("""
            SELECT status, category_code, source, resolved_level, COUNT(*) AS n,
                SUM(CASE WHEN handled_at IS NOT NULL AND (deadline IS NULL OR handled_at <= deadline) THEN 1 ELSE 0 END) AS on_time,
                SUM(CASE WHEN satisfaction IS NOT NULL THEN 1 ELSE 0 END) AS rated,
                SUM(CASE WHEN satisfaction >= 4 THEN 1 ELSE 0 END) AS satisfied,
                SUM(CASE WHEN deadline < \(bind: now) AND status IN (\(SQLList(open))) THEN 1 ELSE 0 END) AS overdue
            FROM events WHERE \(Self.conditions(filter))
            GROUP BY status, category_code, source, resolved_level
            """).all().map { row in
                EventFigures.Group(
                    status: try row.enumValue("status", as: EventStatus.self), categoryCode: try row.string("category_code"),
                    source: try row.enumValue("source", as: EventSource.self), resolvedLevel: try row.optionalString("resolved_level"),
                    count: try row.int("n"), onTime: try row.int("on_time"), rated: try row.int("rated"),
                    satisfied: try row.int("satisfied"), overdue: try row.int("overdue"))
            }
    }

    /// Total and completed events per child of a node (codes cut to `prefixLength`), for rankings.
    public func countsByChild(territory: CodeRange?, prefixLength: Int, from: Int64?, to: Int64?) async throws
        -> [(prefix: String, total: Int, completed: Int)] {
        var filter = EventFilter(territory: territory)
        filter.reportedFrom = from
        filter.reportedTo = to
        return try await db.sql.raw("""
            SELECT substr(grid_code, 1, \(unsafeRaw: String(prefixLength))) AS prefix, COUNT(*) AS n,
                SUM(CASE WHEN status IN ('closed', 'evaluated') THEN 1 ELSE 0 END) AS done
            FROM events WHERE \(Self.conditions(filter))
            GROUP BY substr(grid_code, 1, \(unsafeRaw: String(prefixLength)))
            """).all().map { (try $0.string("prefix"), try $0.int("n"), try $0.int("done")) }
    }
}
