import Foundation
import WanggeCore
import WanggeDemo
import WanggeStorage

/// Fills a fresh demo county with a few hundred events spread over the last 60 days, run through
/// the real loop (report, accept, dispatch, sign, handle, verify, evaluate) by the demo's units,
/// so that queues, inboxes, maps and the dashboard have something to show. Deterministic in what
/// happens; the dates follow the day it is run.
struct DemoEvents {
    let repos: Repositories
    let index: GridIndexCache
    let calendars: CalendarStore

    /// A clock the demo moves forward as it plays each event's story.
    final class StoryClock: @unchecked Sendable {
        private let lock = NSLock()
        private var value: Int64
        init(_ value: Int64) { self.value = value }
        var now: Int64 { lock.withLock { value } }
        func set(_ t: Int64) { lock.withLock { value = t } }
    }

    func load(territory: DemoTerritory, count: Int, seed: UInt64 = 20_261_122) async throws -> Int {
        guard try await repos.events.count(EventFilter(territory: nil)) == 0 else { return 0 }
        let now = Clock.nowSeconds()
        let clock = StoryClock(now)
        let service = EventService(repos: repos, index: index, calendars: calendars, notifier: SilentNotifier(), now: { clock.now })
        let catalog = try await repos.catalog.catalog()
        let items = catalog.items
        guard !items.isEmpty, let root = territory.grids.first?.code,
              let center = try await repos.accounts.find(username: "zhongxin")?.account else { return 0 }
        let centerCaller = EventCaller(actor: .account(id: center.id ?? 0, role: .operator, scope: root, departmentID: nil),
                                       name: center.displayName, territory: Territory(root: root), accountID: center.id)
        let departments = try await repos.departments.list(servingIn: root.range).filter { $0.serves == root }
        let units = territory.grids.filter { $0.level == .grid && $0.boundary != nil }
        var rng = SeededRandom(seed: seed)
        var made = 0
        for _ in 0..<count {
            let grid = rng.pick(units)
            let item = rng.pick(items)
            guard let point = Self.interiorPoint(of: grid) else { continue }
            let reportedAt = now - Int64(rng.int(in: 3_600...60 * 86_400))
            clock.set(reportedAt)
            let source: EventSource = item.citizenReportable ? rng.pick([.gridApp, .gridApp, .hotline12345, .cityManagement, .pc])
                                                             : .gridApp
            let draft = ReportDraft(itemCode: item.code, description: Self.description(for: item, rng: &rng), lon: point.lon,
                                    lat: point.lat, grid: nil, address: "\(grid.name)附近", parties: nil, amount: nil,
                                    reporterName: source == .hotline12345 ? "来电群众" : nil, reporterPhone: nil, source: source)
            let event = try await service.report(draft, by: centerCaller).event
            made += 1
            guard let id = event.id else { continue }
            // How far this event's story goes, then play it step by step while the clock stays in the past.
            let stage = rng.int(in: 0...99)
            var t = reportedAt
            func step(_ action: EventAction, after seconds: Int64, by caller: EventCaller, _ input: ActionInput = ActionInput()) async throws -> Bool {
                t += seconds
                guard t < now else { return false }
                clock.set(t)
                try await service.act(action, on: id, input: input, by: caller)
                return true
            }
            if stage < 8 { continue }
            if stage < 11 {
                _ = try await step(.reject, after: 3_600, by: centerCaller, ActionInput(note: "经核实不属于受理范围"))
                continue
            }
            guard try await step(.accept, after: Int64(rng.int(in: 600...7_200)), by: centerCaller), stage >= 20 else { continue }
            let department = departments.first { item.departments.contains($0.kind) } ?? departments.first
            guard let department, let departmentID = department.id else { continue }
            let departmentCaller = EventCaller(actor: .account(id: 0, role: .department, scope: nil, departmentID: departmentID),
                                               name: department.name, territory: Territory(root: department.serves), accountID: nil)
            guard try await step(.dispatch, after: Int64(rng.int(in: 600...14_400)), by: centerCaller,
                                 ActionInput(note: "请按时限办理", to: HandlingUnit.department(departmentID).description)),
                  stage >= 35 else { continue }
            guard try await step(.sign, after: Int64(rng.int(in: 1_800...(stage < 45 ? 400_000 : 40_000))), by: departmentCaller),
                  stage >= 50 else { continue }
            guard try await step(.handle, after: Int64(rng.int(in: 3_600...(stage < 60 ? 900_000 : 200_000))), by: departmentCaller,
                                 ActionInput(note: "已到现场处置完毕")),
                  stage >= 62 else { continue }
            guard try await step(.verifyPass, after: Int64(rng.int(in: 3_600...86_400)), by: centerCaller), stage >= 80 else { continue }
            _ = try await step(.evaluate, after: 86_400, by: centerCaller,
                               ActionInput(note: "电话回访", satisfaction: rng.chance(0.92) ? rng.int(in: 4...5) : rng.int(in: 1...3)))
        }
        return made
    }

    /// The average of a convex-enough ring's vertices; checked to lie inside.
    static func interiorPoint(of grid: Grid) -> Position? {
        guard let polygon = grid.boundary?.polygons.first else { return nil }
        let ring = polygon.outer.dropLast()
        guard !ring.isEmpty else { return nil }
        let p = Position(lon: ring.map(\.lon).reduce(0, +) / Double(ring.count), lat: ring.map(\.lat).reduce(0, +) / Double(ring.count))
        return grid.boundary?.locate(lon: p.lon, lat: p.lat) == .inside ? p : nil
    }

    static func description(for item: CatalogItem, rng: inout SeededRandom) -> String {
        let openings = ["巡查发现", "群众反映", "接热线来电", "网格员入户时发现"]
        let details = ["情况属实，请尽快处理", "已拍照留存", "影响周边群众生活", "已持续数日"]
        return "\(rng.pick(openings))\(item.name)，\(rng.pick(details))。"
    }
}
