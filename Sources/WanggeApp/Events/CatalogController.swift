import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

struct CatalogItemDTO: Codable, Sendable {
    var code: String
    var categoryCode: String
    var name: String
    var departments: [String]
    var departmentLabels: [String]
    var level: String
    var deadline: String
    var priority: String
    var citizenReportable: Bool
    var description: String?
}

struct CatalogDTO: ResponseCodable {
    var categories: [CatalogCategory]
    var items: [CatalogItemDTO]
}

struct CatalogItemRequest: Decodable {
    var name: String
    var departments: [String]
    var level: HandlingLevel
    /// `3d` (working days) or `4h` (working hours).
    var deadline: String
    var priority: Priority
    var citizenReportable: Bool
    var description: String?
}

struct CalendarDayRequest: Decodable {
    /// holiday, workday, or normal (back to the built-in calendar)
    var kind: String
}

struct CalendarDTO: ResponseCodable {
    var year: Int
    var holidays: [String]
    var makeUpWorkdays: [String]
}

/// `/api/v1/catalog` (事件清单与责任清单, CSV import and export) and `/api/v1/calendar` (working days).
struct CatalogController {
    let service: EventService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("catalog", use: catalog)
        group.get("catalog/export", use: export)
        group.post("catalog/import", use: importCSV)
        group.put("catalog/items/{code}", use: putItem)
        group.get("calendar/{year}", use: calendar)
        group.put("calendar/days/{day}", use: setDay)
    }

    @Sendable func catalog(_ request: Request, context: AppRequestContext) async throws -> CatalogDTO {
        _ = try context.requireCaller()
        return Self.dto(try await service.catalogs.current())
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.requireCaller()
        let csv = CatalogCSV.encode(try await service.catalogs.current())
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"catalog.csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: csv)))
    }

    /// Replaces the catalog from a CSV file; every bad row is reported and nothing is written.
    @Sendable func importCSV(_ request: Request, context: AppRequestContext) async throws -> CatalogDTO {
        let caller = try context.requireCaller()
        try caller.require(.editCatalog)
        let body = try await request.body.collect(upTo: 5 * 1024 * 1024)
        guard let text = String(bytes: body.readableBytesView, encoding: .utf8) else {
            throw AppError.badRequest("文件须为UTF-8编码的CSV(Excel另存为“CSV UTF-8”)")
        }
        let catalog: Catalog
        switch CatalogCSV.decode(text) {
        case .success(let c): catalog = c
        case .failure(let errors):
            let first = errors.items[0]
            var error = AppError(.badRequest, code: "invalid_rows",
                                 "\(errors.items.count)处错误，未导入。第一处：第\(first.row)行 \(first.column ?? "") \(first.message)")
            error.rows = errors.items
            throw error
        }
        try await service.repos.database.transaction { tx in
            try await service.repos.catalog.replace(with: catalog, in: tx)
            try await service.repos.audit.append(caller.actor(context).entry(
                "catalog_imported", target: "catalog", detail: "\(catalog.categories.count)个分类，\(catalog.items.count)个事项"), in: tx)
        }
        await service.catalogs.invalidate()
        return Self.dto(try await service.catalogs.current())
    }

    /// Adds or changes one item; the rest of the catalog stays as it is.
    @Sendable func putItem(_ request: Request, context: AppRequestContext) async throws -> CatalogDTO {
        let caller = try context.requireCaller()
        try caller.require(.editCatalog)
        let code = context.parameters.get("code") ?? ""
        let body = try await request.decodeJSON(CatalogItemRequest.self, context: context)
        var departments: [DepartmentKind] = []
        for raw in body.departments {
            guard let kind = DepartmentKind(rawValue: raw) else { throw AppError.badRequest("未知的部门类别\(raw)", field: "departments") }
            departments.append(kind)
        }
        let deadline: DeadlineSpec
        do { deadline = try DeadlineSpec(parsing: body.deadline) } catch { throw AppError.badRequest(error.message, field: "deadline") }
        let item = CatalogItem(code: code, categoryCode: String(code.prefix(2)), name: body.name, departments: departments,
                               level: body.level, deadline: deadline, priority: body.priority, citizenReportable: body.citizenReportable,
                               description: body.description)
        let current = try await service.catalogs.current()
        let catalog = Catalog(categories: current.categories, items: current.items.filter { $0.code != code } + [item])
        try catalog.validate()
        try await service.repos.database.transaction { tx in
            try await service.repos.catalog.replace(with: catalog, in: tx)
            try await service.repos.audit.append(caller.actor(context).entry(
                "catalog_item_saved", target: "catalog:\(code)", detail: "\(item.name)，\(item.level.label)，\(item.deadline.label)"), in: tx)
        }
        await service.catalogs.invalidate()
        return Self.dto(try await service.catalogs.current())
    }

    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> CalendarDTO {
        _ = try context.requireCaller()
        guard let year = Int(context.parameters.get("year") ?? ""), (2000...2100).contains(year) else {
            throw AppError.notFound("没有这一年的日历")
        }
        let calendar = try await service.calendars.current()
        return CalendarDTO(year: year,
                           holidays: calendar.holidays.filter { $0.year == year }.sorted().map(\.description),
                           makeUpWorkdays: calendar.makeUpWorkdays.filter { $0.year == year }.sorted().map(\.description))
    }

    @Sendable func setDay(_ request: Request, context: AppRequestContext) async throws -> CalendarDTO {
        let caller = try context.requireCaller()
        try caller.require(.editCatalog)
        let raw = context.parameters.get("day") ?? ""
        let day: Day
        do { day = try Day(raw) } catch { throw AppError.badRequest(error.message, field: "day") }
        let body = try await request.decodeJSON(CalendarDayRequest.self, context: context)
        guard ["holiday", "workday", "normal"].contains(body.kind) else {
            throw AppError.badRequest("kind 只能是 holiday(放假)、workday(调休上班)或 normal(按默认)", field: "kind")
        }
        try await service.repos.database.transaction { tx in
            try await service.repos.catalog.setCalendarOverride(day, kind: body.kind == "normal" ? nil : body.kind, in: tx)
            try await service.repos.audit.append(caller.actor(context).entry("calendar_changed", target: "calendar:\(day)",
                                                                             detail: body.kind), in: tx)
        }
        await service.calendars.invalidate()
        let calendar = try await service.calendars.current()
        return CalendarDTO(year: day.year, holidays: calendar.holidays.filter { $0.year == day.year }.sorted().map(\.description),
                           makeUpWorkdays: calendar.makeUpWorkdays.filter { $0.year == day.year }.sorted().map(\.description))
    }

    static func dto(_ catalog: Catalog) -> CatalogDTO {
        CatalogDTO(categories: catalog.categories, items: catalog.items.map {
            CatalogItemDTO(code: $0.code, categoryCode: $0.categoryCode, name: $0.name, departments: $0.departments.map(\.rawValue),
                           departmentLabels: $0.departments.map(\.label), level: $0.level.rawValue, deadline: $0.deadline.description,
                           priority: $0.priority.rawValue, citizenReportable: $0.citizenReportable, description: $0.description)
        })
    }
}
