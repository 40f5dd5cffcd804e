import SQLKit
import WanggeCore

/// One cell of the "底数清" table: how many of a category a node holds.
public struct RegisterCount: Hashable, Sendable {
    /// The leading `groupLength` digits of the grid codes counted: a child node's code or prefix.
    public var node: String
    /// `person:<kind>`, `house`, `house:rented`, `building`, `role:<kind>`, `organisation:<kind>`, `component`.
    public var category: String
    public var count: Int
}

public protocol RegisterCountRepository: Sendable {
    /// Counts per category in a subtree, grouped by the first `groupLength` characters of the grid code.
    func counts(in range: CodeRange?, groupLength: Int) async throws -> [RegisterCount]
}

/// Each count is a GROUP BY over the (grid_code, …) index of its table, so a township's table
/// reads only its own index range; no counters need keeping in step with imports.
public struct SQLRegisterCountRepository: RegisterCountRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func counts(in range: CodeRange?, groupLength: Int) async throws -> [RegisterCount] {
        let length = max(1, min(15, groupLength))
        let node: SQLQueryString = "substr(grid_code, 1, \(unsafeRaw: String(length)))"
        let filter = rangeCondition("grid_code", range)
        let queries: [SQLQueryString] = [
            "SELECT \(node) AS node, 'person:' || kind AS category, COUNT(*) AS n FROM persons WHERE \(filter) GROUP BY \(node), kind",
            "SELECT \(node) AS node, 'house' AS category, COUNT(*) AS n FROM houses WHERE \(filter) GROUP BY \(node)",
            "SELECT \(node) AS node, 'house:rented' AS category, COUNT(*) AS n FROM houses WHERE \(filter) AND rental_use IS NOT NULL GROUP BY \(node)",
            "SELECT \(node) AS node, 'building' AS category, COUNT(*) AS n FROM buildings WHERE \(filter) GROUP BY \(node)",
            "SELECT \(node) AS node, 'role:' || kind AS category, COUNT(*) AS n FROM population_roles WHERE \(filter) AND until IS NULL GROUP BY \(node), kind",
            "SELECT \(node) AS node, 'organisation:' || kind AS category, COUNT(*) AS n FROM organisations WHERE \(filter) GROUP BY \(node), kind",
            "SELECT \(node) AS node, 'component' AS category, COUNT(*) AS n FROM components WHERE \(filter) GROUP BY \(node)",
        ]
        var result: [RegisterCount] = []
        for query in queries {
            for row in try await db.sql.raw(query).all() {
                result.append(RegisterCount(node: try row.string("node"), category: try row.string("category"), count: try row.int("n")))
            }
        }
        return result
    }
}
