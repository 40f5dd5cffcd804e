import Hummingbird
import WanggeCore
import WanggeStorage

struct ChildFiguresDTO: Codable, Sendable {
    var code: String
    var name: String
    var total: Int
    var completed: Int
    var completionRate: Double?
}

struct FiguresDTO: ResponseCodable {
    var root: String
    /// The months covered (`YYYY-MM`), when limited.
    var from: String?
    var to: String?
    var total: Int
    var byStatus: [String: Int]
    var byCategory: [String: Int]
    var bySource: [String: Int]
    var byResolvedLevel: [String: Int]
    var completed: Int
    var completionRate: Double?
    var onTimeRate: Double?
    var satisfactionRate: Double?
    var overdue: Int
    var unsigned: Int
    /// The same per child of the root, busiest first.
    var children: [ChildFiguresDTO]
}

/// `/api/v1/events/stats`: the dashboard figures for any subtree the caller may see.
struct StatsController {
    let service: EventService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("events/stats", use: stats)
    }

    @Sendable func stats(_ request: Request, context: AppRequestContext) async throws -> FiguresDTO {
        let caller = try context.requireCaller()
        let root = try request.optionalCode("root", caller: caller) ?? caller.territory.root
        let q = request.uri.queryParameters
        let from = try Self.month(q.get("from"), "from")
        let to = try Self.month(q.get("to"), "to")
        if let from, let to, from > to { throw AppError.badRequest("起始月份不能晚于结束月份", field: "from") }
        let repos = service.repos
        var figures = try await repos.events.figures(node: root, from: from, to: to)
        figures.overdue = try await repos.events.overdueCount(territory: root.range, now: service.now())
        let children = try await repos.grids.children(of: root).map(\.grid)
        let counts = try await repos.events.countsByNode(children.map(\.code), from: from, to: to)
        let rows = children.map { child -> ChildFiguresDTO in
            let c = counts[child.code] ?? (0, 0)
            return ChildFiguresDTO(code: child.code.value, name: child.name, total: c.total, completed: c.completed,
                                   completionRate: c.total > 0 ? Double(c.completed) / Double(c.total) : nil)
        }.sorted { ($0.total, $1.code) > ($1.total, $0.code) }
        return FiguresDTO(
            root: root.value, from: from, to: to, total: figures.total, byStatus: figures.byStatus, byCategory: figures.byCategory,
            bySource: figures.bySource, byResolvedLevel: figures.byResolvedLevel, completed: figures.completed,
            completionRate: figures.completionRate, onTimeRate: figures.onTimeRate, satisfactionRate: figures.satisfactionRate,
            overdue: figures.overdue, unsigned: figures.unsigned, children: rows)
    }

    /// `YYYY-MM`, the unit of the dashboard's periods.
    static func month(_ raw: String?, _ field: String) throws -> String? {
        guard let raw, !raw.isEmpty else { return nil }
        let parts = raw.split(separator: "-")
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]),
              (2000...2100).contains(y), (1...12).contains(m) else {
            throw AppError.badRequest("\(field) 应为年月，如 2026-11", field: field)
        }
        return raw
    }
}
