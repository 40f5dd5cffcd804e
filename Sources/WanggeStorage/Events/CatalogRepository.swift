import SQLKit
import WanggeCore

/// Persistence of the event catalog (事件清单 / 责任清单) and of the working calendar's overrides.
public protocol CatalogRepository: Sendable {
    func catalog() async throws -> Catalog
    /// Replaces the whole catalog inside the caller's transaction. Items that events refer to
    /// must stay (the foreign key refuses their removal), so removed items are only those unused.
    func replace(with catalog: Catalog, in tx: any SQLDatabase) async throws
    func isEmpty() async throws -> Bool
    /// Days that differ from the built-in calendar: `holiday` or `workday`.
    func calendarOverrides() async throws -> [Day: String]
    func setCalendarOverride(_ day: Day, kind: String?, in tx: any SQLDatabase) async throws
}

public struct SQLCatalogRepository: CatalogRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func catalog() async throws -> Catalog {
        let categories = try await db.sql.raw("SELECT * FROM catalog_categories ORDER BY code").all().map {
            CatalogCategory(code: try $0.string("code"), name: try $0.string("name"))
        }
        let items = try await db.sql.raw("SELECT * FROM catalog_items ORDER BY code").all().map { row in
            let departments = try row.string("departments").split(separator: ",").map { raw in
                guard let kind = DepartmentKind(rawValue: String(raw)) else { throw StoredDataError("未知的部门类别：\(raw)") }
                return kind
            }
            let deadline: DeadlineSpec
            do { deadline = try DeadlineSpec(parsing: try row.string("deadline")) } catch {
                throw StoredDataError("事项\(try row.string("code"))的时限无效")
            }
            return CatalogItem(
                code: try row.string("code"), categoryCode: try row.string("category_code"), name: try row.string("name"),
                departments: departments, level: try row.enumValue("level", as: HandlingLevel.self), deadline: deadline,
                priority: try row.enumValue("priority", as: Priority.self), citizenReportable: try row.bool("citizen_reportable"),
                description: try row.optionalString("description"))
        }
        return Catalog(categories: categories, items: items)
    }

    public func replace(with catalog: Catalog, in tx: any SQLDatabase) async throws {
        let now = Clock.nowSeconds()
        for category in catalog.categories {
            try await tx.raw("""
                INSERT INTO catalog_categories (code, name) VALUES (\(bind: category.code), \(bind: category.name))
                ON CONFLICT (code) DO UPDATE SET name = excluded.name
                """).run()
        }
        for item in catalog.items {
            try await tx.raw("""
                INSERT INTO catalog_items (code, category_code, name, departments, level, deadline, priority, citizen_reportable,
                                           description, updated_at)
                VALUES (\(bind: item.code), \(bind: item.categoryCode), \(bind: item.name),
                        \(bind: item.departments.map(\.rawValue).joined(separator: ",")), \(bind: item.level.rawValue),
                        \(bind: item.deadline.description), \(bind: item.priority.rawValue), \(bind: item.citizenReportable ? 1 : 0),
                        \(bind: item.description), \(bind: now))
                ON CONFLICT (code) DO UPDATE SET category_code = excluded.category_code, name = excluded.name,
                    departments = excluded.departments, level = excluded.level, deadline = excluded.deadline,
                    priority = excluded.priority, citizen_reportable = excluded.citizen_reportable,
                    description = excluded.description, updated_at = excluded.updated_at
                """).run()
        }
        let keep = SQLList(catalog.items.map { SQLBind($0.code) })
        try await tx.raw("""
            DELETE FROM catalog_items WHERE code NOT IN (\(keep))
              AND NOT EXISTS (SELECT 1 FROM events e WHERE e.item_code = catalog_items.code)
            """).run()
        let keepCategories = SQLList(catalog.categories.map { SQLBind($0.code) })
        try await tx.raw("""
            DELETE FROM catalog_categories WHERE code NOT IN (\(keepCategories))
              AND NOT EXISTS (SELECT 1 FROM catalog_items i WHERE i.category_code = catalog_categories.code)
            """).run()
    }

    public func isEmpty() async throws -> Bool {
        try await db.sql.raw("SELECT COUNT(*) AS n FROM catalog_items").first()?.int("n") == 0
    }

    public func calendarOverrides() async throws -> [Day: String] {
        var result: [Day: String] = [:]
        for row in try await db.sql.raw("SELECT day, kind FROM calendar_days").all() {
            let raw = try row.string("day")
            guard let day = try? Day(raw) else { throw StoredDataError("日历中的日期无效：\(raw)") }
            result[day] = try row.string("kind")
        }
        return result
    }

    public func setCalendarOverride(_ day: Day, kind: String?, in tx: any SQLDatabase) async throws {
        if let kind {
            try await tx.raw("""
                INSERT INTO calendar_days (day, kind) VALUES (\(bind: day.description), \(bind: kind))
                ON CONFLICT (day) DO UPDATE SET kind = excluded.kind
                """).run()
        } else {
            try await tx.raw("DELETE FROM calendar_days WHERE day = \(bind: day.description)").run()
        }
    }
}
