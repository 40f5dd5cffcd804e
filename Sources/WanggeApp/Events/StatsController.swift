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
    var from: Int64?
    var to: Int64?
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
        let from = try EventsController.int64(q.get("from"), "from")
        let to = try EventsController.int64(q.get("to"), "to")
        let repos = service.repos
        let figures = EventFigures(groups: try await repos.events.figureGroups(territory: root.range, from: from, to: to,
                                                                                now: service.now()))
        var children: [ChildFiguresDTO] = []
        if let childLevel = GridLevel.allCases.first(where: { $0 > root.level }) {
            let nodes = try await service.index.current().nodes
            for row in try await repos.events.countsByChild(territory: root.range, prefixLength: childLevel.prefixLength,
                                                            from: from, to: to) {
                let padded = row.prefix.count < 12 ? row.prefix + String(repeating: "0", count: 12 - row.prefix.count) : row.prefix
                let code = try? GridCode(padded)
                children.append(ChildFiguresDTO(
                    code: code?.value ?? row.prefix, name: code.flatMap { nodes[$0]?.name } ?? row.prefix, total: row.total,
                    completed: row.completed, completionRate: row.total > 0 ? Double(row.completed) / Double(row.total) : nil))
            }
            children.sort { ($0.total, $1.code) > ($1.total, $0.code) }
        }
        return FiguresDTO(
            root: root.value, from: from, to: to, total: figures.total, byStatus: figures.byStatus, byCategory: figures.byCategory,
            bySource: figures.bySource, byResolvedLevel: figures.byResolvedLevel, completed: figures.completed,
            completionRate: figures.completionRate, onTimeRate: figures.onTimeRate, satisfactionRate: figures.satisfactionRate,
            overdue: figures.overdue, unsigned: figures.unsigned, children: children)
    }
}
