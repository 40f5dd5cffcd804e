import Foundation
import SQLKit
import WanggeCore

/// A grid as lists show it: no boundary, with the number of direct children.
public struct GridSummary: Hashable, Sendable {
    public var grid: Grid
    public var childCount: Int
}

/// Persistence of the territory tree.
public protocol GridRepository: Sendable {
    func find(_ code: GridCode) async throws -> Grid?
    func find(_ codes: [GridCode]) async throws -> [Grid]
    /// Direct children, ordered by code, without boundaries.
    func children(of code: GridCode) async throws -> [GridSummary]
    /// Nodes without a parent.
    func roots() async throws -> [GridSummary]
    /// Every node of a subtree (or of the whole tree), ordered parents first, with boundaries when asked.
    func subtree(_ range: CodeRange?, withBoundaries: Bool) async throws -> [Grid]
    /// Inserts or replaces nodes by code, inside the caller's transaction, parents first.
    func upsert(_ grids: [Grid], in tx: any SQLDatabase) async throws
    /// Changes the name and figures of one node.
    func updateAttributes(_ code: GridCode, name: String, households: Int, population: Int, in tx: any SQLDatabase) async throws
    /// A value that changes whenever any boundary or node changes (for rebuilding the spatial index).
    func version() async throws -> String
    func norms(county: String) async throws -> SizeNorms?
    func setNorms(_ norms: SizeNorms, county: String, in tx: any SQLDatabase) async throws
}

public struct SQLGridRepository: GridRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    static let columns = "code, parent_code, name, type, special_kind, households, population"

    public func find(_ code: GridCode) async throws -> Grid? {
        try await db.sql.raw("SELECT \(unsafeRaw: Self.columns), boundary FROM grids WHERE code = \(bind: code.value)")
            .first().map { try Self.grid(from: $0, boundary: true) }
    }

    public func find(_ codes: [GridCode]) async throws -> [Grid] {
        guard !codes.isEmpty else { return [] }
        let list = SQLList(codes.map { SQLBind($0.value) })
        return try await db.sql.raw("SELECT \(unsafeRaw: Self.columns), boundary FROM grids WHERE code IN (\(list)) ORDER BY depth, code")
            .all().map { try Self.grid(from: $0, boundary: true) }
    }

    public func children(of code: GridCode) async throws -> [GridSummary] {
        try await summaries(where: "g.parent_code = \(bind: code.value)")
    }

    public func roots() async throws -> [GridSummary] {
        try await summaries(where: "g.parent_code IS NULL")
    }

    private func summaries(where condition: SQLQueryString) async throws -> [GridSummary] {
        let query: SQLQueryString = """
            SELECT g.code, g.parent_code, g.name, g.type, g.special_kind, g.households, g.population,
                   (SELECT COUNT(*) FROM grids c WHERE c.parent_code = g.code) AS child_count
            FROM grids g WHERE \(condition) ORDER BY g.code
            """
        return try await db.sql.raw(query).all().map {
            GridSummary(grid: try Self.grid(from: $0, boundary: false), childCount: try $0.int("child_count"))
        }
    }

    public func subtree(_ range: CodeRange?, withBoundaries: Bool) async throws -> [Grid] {
        let boundary = withBoundaries ? ", boundary" : ""
        return try await db.sql.raw("""
            SELECT \(unsafeRaw: Self.columns)\(unsafeRaw: boundary) FROM grids
            WHERE \(rangeCondition("code", range)) ORDER BY depth, code
            """).all().map { try Self.grid(from: $0, boundary: withBoundaries) }
    }

    public func upsert(_ grids: [Grid], in tx: any SQLDatabase) async throws {
        let now = Clock.nowSeconds()
        let ordered = grids.sorted { ($0.level.depth, $0.code) < ($1.level.depth, $1.code) }
        try await tx.insertBatches(ordered, size: 200) { batch in
            var rows: [SQLQueryString] = []
            for g in batch {
                let box = g.boundary?.boundingBox
                let json = try g.boundary.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
                rows.append("""
                    (\(bind: g.code.value), \(bind: g.parent?.value), \(bind: g.level.rawValue), \(bind: g.level.depth),
                     \(bind: g.name), \(bind: g.type.rawValue), \(bind: g.specialKind?.rawValue), \(bind: g.households),
                     \(bind: g.population), \(bind: json), \(bind: box?.minLon), \(bind: box?.minLat), \(bind: box?.maxLon),
                     \(bind: box?.maxLat), \(bind: now))
                    """)
            }
            try await tx.raw("""
                INSERT INTO grids (code, parent_code, level, depth, name, type, special_kind, households, population,
                                   boundary, min_lon, min_lat, max_lon, max_lat, updated_at)
                VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (code) DO UPDATE SET
                    parent_code = excluded.parent_code, level = excluded.level, depth = excluded.depth,
                    name = excluded.name, type = excluded.type, special_kind = excluded.special_kind,
                    households = excluded.households, population = excluded.population, boundary = excluded.boundary,
                    min_lon = excluded.min_lon, min_lat = excluded.min_lat, max_lon = excluded.max_lon,
                    max_lat = excluded.max_lat, updated_at = excluded.updated_at
                """).run()
        }
        try await bumpVersion(in: tx)
    }

    public func updateAttributes(_ code: GridCode, name: String, households: Int, population: Int, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            UPDATE grids SET name = \(bind: name), households = \(bind: households), population = \(bind: population),
                updated_at = \(bind: Clock.nowSeconds())
            WHERE code = \(bind: code.value)
            """).run()
        try await bumpVersion(in: tx)
    }

    /// Kept in its own row so that readers learn about a change with one cheap query, even when
    /// the change came from another process (a CLI import next to a running server).
    private func bumpVersion(in tx: any SQLDatabase) async throws {
        try await tx.raw("UPDATE grid_tree_version SET version = version + 1").run()
    }

    public func version() async throws -> String {
        guard let row = try await db.sql.raw("SELECT version FROM grid_tree_version").first() else { return "0" }
        return String(try row.int64("version"))
    }

    public func norms(county: String) async throws -> SizeNorms? {
        try await db.sql.raw("SELECT * FROM size_norms WHERE county_code = \(bind: county)").first().map {
            SizeNorms(urbanHouseholds: try $0.int("urban_households"), urbanPopulation: try $0.int("urban_population"),
                      ruralHouseholds: try $0.int("rural_households"), ruralPopulation: try $0.int("rural_population"))
        }
    }

    public func setNorms(_ norms: SizeNorms, county: String, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            INSERT INTO size_norms (county_code, urban_households, urban_population, rural_households, rural_population, updated_at)
            VALUES (\(bind: county), \(bind: norms.urbanHouseholds), \(bind: norms.urbanPopulation),
                    \(bind: norms.ruralHouseholds), \(bind: norms.ruralPopulation), \(bind: Clock.nowSeconds()))
            ON CONFLICT (county_code) DO UPDATE SET
                urban_households = excluded.urban_households, urban_population = excluded.urban_population,
                rural_households = excluded.rural_households, rural_population = excluded.rural_population,
                updated_at = excluded.updated_at
            """).run()
    }

    static func grid(from row: any SQLRow, boundary: Bool) throws -> Grid {
        var geometry: Geometry?
        if boundary, let text = try row.optionalString("boundary") {
            geometry = try JSONDecoder().decode(Geometry.self, from: Data(text.utf8))
        }
        return Grid(
            code: try row.gridCode("code"),
            parent: try row.optionalGridCode("parent_code"),
            name: try row.string("name"),
            type: try row.enumValue("type", as: GridType.self),
            specialKind: try row.optionalString("special_kind").flatMap(SpecialKind.init(rawValue:)),
            boundary: geometry,
            households: try row.int("households"),
            population: try row.int("population"))
    }
}
