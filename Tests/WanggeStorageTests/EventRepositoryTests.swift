import SQLKit
import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("Event repository and dashboard counters")
struct EventRepositoryTests {
    static func event(_ i: Int, grid: GridCode, at: Int64) -> Event {
        Event(serial: "S\(i)", trackingNumber: "T\(i)", source: i % 2 == 0 ? .gridApp : .hotline12345, itemCode: i % 3 == 0 ? "0101" : "0401",
              description: "事件\(i)", lon: nil, lat: nil, grid: grid, address: nil, reporterAccountID: nil, reporterName: nil,
              reporterPhone: nil, parties: nil, amount: nil, urgent: false, holder: .center(grid), reportedAt: at, updatedAt: at)
    }

    @Test("counters kept on every change equal a recount of the events, at every level", arguments: TestEngines.all)
    func counters(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            try await db.transaction { tx in
                try await repos.grids.upsert(TestTerritory.grids, in: tx)
                try await repos.catalog.replace(with: TestTerritory.catalog, in: tx)
            }
            let grids = [TestTerritory.east1, TestTerritory.east2, TestTerritory.west1, TestTerritory.west2]
            var rng = SeededRandom(seed: 5)
            let base: Int64 = 1_790_000_000
            var ids: [Int64] = []
            for i in 0..<60 {
                let e = Self.event(i, grid: rng.pick(grids), at: base + Int64(rng.int(in: 0...(80 * 86_400))))
                let saved = try await db.transaction { try await repos.events.insert(e, in: $0) }
                ids.append(saved.id!)
            }
            // Walk a random story for each event, each step written as the service writes it.
            let path: [EventStatus] = [.accepted, .dispatched, .signed, .handled, .closed, .evaluated]
            for id in ids {
                let steps = rng.int(in: 0...path.count)
                for k in 0..<steps {
                    try await db.transaction { tx in
                        let before = try #require(try await repos.events.find(id: id, in: tx))
                        var after = before
                        after.status = path[k]
                        if path[k] == .dispatched { after.deadline = before.reportedAt + 86_400 }
                        if path[k] == .handled {
                            after.handledAt = before.reportedAt + Int64(id % 2 == 0 ? 3_600 : 200_000)
                            after.resolvedLevel = id % 3 == 0 ? "grid" : "department"
                        }
                        if path[k] == .evaluated { after.satisfaction = Int(id % 5) + 1 }
                        try await repos.events.update(after, previous: before, in: tx)
                    }
                }
            }
            let all = try await repos.events.list(EventFilter(territory: nil), limit: 1000, offset: 0)
            for node in [TestTerritory.county, TestTerritory.east, TestTerritory.westVillage, TestTerritory.east1] {
                let mine = all.filter { node.contains($0.grid) }
                let figures = try await repos.events.figures(node: node, from: nil, to: nil)
                #expect(figures.total == mine.count, "\(node)")
                #expect(figures.completed == mine.filter(\.status.isCompleted).count)
                #expect(figures.rated == mine.filter { $0.satisfaction != nil }.count)
                #expect(figures.satisfied == mine.filter { ($0.satisfaction ?? 0) >= 4 }.count)
                #expect(figures.completedOnTime == mine.filter { $0.status.isCompleted && $0.handledAt! <= $0.deadline! }.count)
                #expect(figures.unsigned == mine.filter { $0.status == .dispatched }.count)
                #expect(figures.byResolvedLevel["grid"] ?? 0 == mine.filter { $0.status.isCompleted && $0.resolvedLevel == "grid" }.count)
                #expect(figures.byCategory["01"] ?? 0 == mine.filter { $0.itemCode.hasPrefix("01") }.count)
            }
            // A period narrows by the month of reporting.
            let month = String(Day(localDateOf: base).description.prefix(7))
            let inMonth = all.filter { String(Day(localDateOf: $0.reportedAt).description.prefix(7)) == month }
            #expect(try await repos.events.figures(node: TestTerritory.county, from: month, to: month).total == inMonth.count)
            // Overdue: open, not handled, past the deadline.
            let now = base + 100 * 86_400
            let overdue = all.filter { [.reported, .accepted, .dispatched, .signed].contains($0.status) && ($0.deadline ?? .max) < now }
            #expect(try await repos.events.overdueCount(territory: TestTerritory.county.range, now: now) == overdue.count)
            let byNode = try await repos.events.countsByNode([TestTerritory.east, TestTerritory.west], from: nil, to: nil)
            #expect(byNode[TestTerritory.east]?.total == all.filter { TestTerritory.east.contains($0.grid) }.count)
        }
    }

    @Test("serial numbers count per county and day", arguments: TestEngines.all)
    func serials(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            let a = try await db.transaction { try await repos.events.nextSerial(county: "520399", day: "2026-11-22", in: $0) }
            let b = try await db.transaction { try await repos.events.nextSerial(county: "520399", day: "2026-11-22", in: $0) }
            let c = try await db.transaction { try await repos.events.nextSerial(county: "520399", day: "2026-11-23", in: $0) }
            #expect([a, b, c] == [1, 2, 1])
        }
    }
}
