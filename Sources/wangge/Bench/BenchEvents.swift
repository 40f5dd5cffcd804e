import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import WanggeApp
import WanggeCore
import WanggeDemo
import WanggeStorage
import Logging
import ServiceLifecycle

/// `wangge bench events`: a million events over the city-scale tree, then the time of every
/// dashboard figure, and the rate of report → accept → dispatch through the HTTP API.
struct BenchEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Load N events over the city-scale tree; time the dashboard figures and report→dispatch over HTTP.")

    @Option(help: "Database URL; default a new SQLite file in a temporary folder") var database: String?
    @Option(help: "Events to load") var events: Int = 1_000_000
    @Option(help: "Report→dispatch cycles through the HTTP API") var cycles: Int = 2_000
    @Option(help: "Concurrent HTTP clients") var clients: Int = 8

    func run() async throws {
        let logger = makeLogger()
        let url = database ?? "sqlite://" + NSTemporaryDirectory() + "wangge-bench-\(UUID().uuidString).sqlite"
        var config = try AppConfiguration.fromEnvironment(["DATABASE_URL": url, "WANGGE_SECRET": String(repeating: "b", count: 40)])
        config.bcryptCost = 4
        config.port = Int.random(in: 20_000...40_000)
        say("数据库: \(config.database)")
        try await withDatabase(config, logger: logger) { repos in
            let services = try AppServices(configuration: config, repos: repos)
            let city = DemoTerritory.generate(scale: .city)
            let t0 = Date()
            _ = try await DemoLoader(services: services).load(city, password: "Bench@2026x")
            say(String(format: "城市规模网格树 %d 个节点载入用时 %.1f 秒", city.grids.count, Date().timeIntervalSince(t0)))
            try await load(events, into: repos, city: city)
            try await timeFigures(repos: repos, services: services, city: city)
            try await timeHTTP(services: services, city: city, logger: logger)
        }
    }

    private func load(_ count: Int, into repos: Repositories, city: DemoTerritory) async throws {
        let existing = try await repos.events.count(EventFilter(territory: nil))
        guard existing < count else {
            say("已有 \(existing) 件事件，跳过生成")
            return
        }
        let catalog = try await repos.catalog.catalog()
        let units = city.grids.filter { $0.level == .grid }
        let departments = try await repos.departments.list(servingIn: nil).compactMap(\.id)
        let repository = SQLEventRepository(repos.database)
        let now = Clock.nowSeconds()
        var rng = SeededRandom(seed: 1_000_003)
        let statuses: [(EventStatus, Int)] = [(.reported, 3), (.accepted, 3), (.dispatched, 5), (.signed, 6), (.handled, 4),
                                              (.closed, 45), (.evaluated, 30), (.rejected, 3), (.merged, 1)]
        let weights = statuses.reduce(0) { $0 + $1.1 }
        let t0 = Date()
        var serial = 0
        let batch = 20_000
        var loaded = existing
        while loaded < count {
            var rows: [Event] = []
            rows.reserveCapacity(batch)
            for _ in 0..<min(batch, count - loaded) {
                serial += 1
                let grid = rng.pick(units)
                let item = rng.pick(catalog.items)
                let reportedAt = now - Int64(rng.int(in: 0...(365 * 86_400)))
                var pick = rng.int(in: 0...(weights - 1))
                var status = EventStatus.reported
                for (s, w) in statuses { if pick < w { status = s; break }; pick -= w }
                let box = grid.boundary?.boundingBox
                let dispatched = [.dispatched, .signed, .handled, .closed, .evaluated].contains(status)
                let handled = [.handled, .closed, .evaluated].contains(status)
                let deadline = dispatched ? reportedAt + Int64(rng.int(in: 86_400...(5 * 86_400))) : nil
                let handledAt = handled ? reportedAt + Int64(rng.int(in: 3_600...(6 * 86_400))) : nil
                rows.append(Event(
                    serial: "B" + String(serial), trackingNumber: "T" + String(serial), source: rng.pick(EventSource.allCases),
                    itemCode: item.code, description: "压测事件", lon: box.map { ($0.minLon + $0.maxLon) / 2 },
                    lat: box.map { ($0.minLat + $0.maxLat) / 2 }, grid: grid.code, address: nil, reporterAccountID: nil,
                    reporterName: nil, reporterPhone: nil, parties: nil, amount: nil, urgent: false, status: status,
                    holder: dispatched ? .department(rng.pick(departments)) : .center(grid.code),
                    dispatcher: dispatched ? .center(grid.code) : nil, deadline: deadline,
                    resolvedLevel: handled ? rng.pick(["grid", "community", "township", "department"]) : nil,
                    satisfaction: status == .evaluated ? (rng.chance(0.95) ? 5 : 2) : nil, reportedAt: reportedAt,
                    acceptedAt: dispatched ? reportedAt + 600 : nil, dispatchedAt: dispatched ? reportedAt + 1_200 : nil,
                    signedAt: status == .dispatched || !dispatched ? nil : reportedAt + 3_600, handledAt: handledAt,
                    closedAt: status == .closed || status == .evaluated ? handledAt.map { $0 + 3_600 } : nil, updatedAt: reportedAt))
            }
            let chunk = rows
            try await repos.database.transaction { tx in try await repository.bulkInsert(chunk, in: tx) }
            loaded += rows.count
        }
        let elapsed = Date().timeIntervalSince(t0)
        say(String(format: "生成并写入 %d 件事件用时 %.1f 秒 (%.0f 件/秒)", count - existing, elapsed, Double(count - existing) / elapsed))
    }

    private func timeFigures(repos: Repositories, services: AppServices, city: DemoTerritory) async throws {
        let root = city.grids[0].code
        let county = try requireNode(city.grids.first { $0.level == .county })
        let township = try requireNode(city.grids.first { $0.level == .township })
        let now = Clock.nowSeconds()
        let months = (String(Day(localDateOf: now - 180 * 86_400).description.prefix(7)), String(Day(localDateOf: now).description.prefix(7)))
        let children = try await repos.grids.children(of: root).map(\.grid.code)
        var filter = EventFilter(territory: county.range)
        filter.statuses = [.dispatched, .signed]
        let timings: [(String, () async throws -> Void)] = [
            ("全市 按状态/类别/来源/层级 (全部)", { _ = try await repos.events.figures(node: root, from: nil, to: nil) }),
            ("全市 近半年", { _ = try await repos.events.figures(node: root, from: months.0, to: months.1) }),
            ("一个县 全部", { _ = try await repos.events.figures(node: county, from: nil, to: nil) }),
            ("一个乡镇 全部", { _ = try await repos.events.figures(node: township, from: nil, to: nil) }),
            ("全市 超期件数", { _ = try await repos.events.overdueCount(territory: root.range, now: now) }),
            ("一个县 超期件数", { _ = try await repos.events.overdueCount(territory: county.range, now: now) }),
            ("全市 各县排名", { _ = try await repos.events.countsByNode(children, from: nil, to: nil) }),
            ("一个县 办理中队列第1页", { _ = try await repos.events.list(filter, limit: 50, offset: 0) }),
            ("一个县 办理中队列总数", { _ = try await repos.events.count(filter) }),
        ]
        say("仪表盘各项用时 (毫秒，5次中位数):")
        for (name, body) in timings {
            var samples: [Double] = []
            for _ in 0..<5 {
                let t = Date()
                try await body()
                samples.append(Date().timeIntervalSince(t) * 1000)
            }
            say(String(format: "  %-24@ %8.1f", name as NSString, samples.sorted()[2]))
        }
        let figures = try await repos.events.figures(node: root, from: nil, to: nil)
        say(String(format: "  (核对: 全市 %d 件，办结率 %.1f%%，满意率 %.1f%%)", figures.total, (figures.completionRate ?? 0) * 100,
                   (figures.satisfactionRate ?? 0) * 100))
    }
}

extension BenchEvents {
    /// A live server on loopback and `clients` concurrent clients, each reporting an event, accepting
    /// it and dispatching it to a department, as a county center's operators would.
    func timeHTTP(services: AppServices, city: DemoTerritory, logger: Logger) async throws {
        let repos = services.repos
        guard let county = city.grids.first(where: { $0.level == .county }) else { return }
        let password = "Bench@2026x"
        if try await repos.accounts.find(username: "bench") == nil {
            let hash = try await services.auth.hashPassword(password)
            try await repos.database.transaction { tx in
                _ = try await repos.accounts.insert(Account(username: "bench", displayName: "压测坐席", role: .operator,
                                                            scope: county.code), passwordHash: hash, in: tx)
            }
        }
        guard let department = try await repos.departments.list(servingIn: county.code.range).first(where: { $0.serves == county.code })?.id,
              let item = try await repos.catalog.catalog().items.first(where: { $0.citizenReportable && $0.level != .grid }) else {
            say("没有可派遣的部门或事项，跳过HTTP压测")
            return
        }
        let points: [(Double, Double)] = city.grids.filter { $0.level == .grid && county.code.contains($0.code) }.compactMap { g in
            guard let b = g.boundary?.boundingBox else { return nil }
            let p = ((b.minLon + b.maxLon) / 2, (b.minLat + b.maxLat) / 2)
            return g.boundary?.contains(lon: p.0, lat: p.1) == true ? p : nil
        }
        var quiet = logger
        quiet.logLevel = .warning
        let config = services.configuration
        // Without the supervisor and the delivery worker: only the request path is measured.
        let app = Application(router: buildRouter(services),
                              configuration: .init(address: .hostname("127.0.0.1", port: config.port), serverName: "wangge-bench"),
                              logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        let base = "http://127.0.0.1:\(config.port)"
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await client.execute(HTTPClientRequest(url: base + "/healthz"), timeout: .seconds(1)))?.status == .ok
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            let login = try await Self.post(client, base + "/api/v1/auth/login", token: nil, ["username": "bench", "password": password])
            guard let token = login["token"] as? String else { throw ArgumentParser.ValidationError("压测账号登录失败") }
            let per = max(1, cycles / clients)
            let started = Date()
            try await withThrowingTaskGroup(of: Int.self) { workers in
                for w in 0..<clients {
                    workers.addTask {
                        var done = 0
                        for i in 0..<per {
                            let p = points[(w * per + i) % points.count]
                            let reported = try await Self.post(client, base + "/api/v1/events", token: token,
                                                               ["itemCode": item.code, "description": "压测", "lon": p.0, "lat": p.1])
                            guard let id = (reported["event"] as? [String: Any])?["id"] as? Int else {
                                throw ArgumentParser.ValidationError("上报失败：\(reported)")
                            }
                            _ = try await Self.post(client, base + "/api/v1/events/\(id)/actions/accept", token: token, [:])
                            let dispatched = try await Self.post(client, base + "/api/v1/events/\(id)/actions/dispatch", token: token,
                                                                 ["to": "department:\(department)"])
                            guard dispatched["event"] != nil else { throw ArgumentParser.ValidationError("派遣失败：\(dispatched)") }
                            done += 1
                        }
                        return done
                    }
                }
                var total = 0
                for try await n in workers { total += n }
                let elapsed = Date().timeIntervalSince(started)
                say(String(format: "HTTP 上报→受理→派遣: %d 件，%d 个并发客户端，用时 %.1f 秒，%.0f 件/秒 (%.0f 请求/秒)",
                           total, clients, elapsed, Double(total) / elapsed, Double(total * 3) / elapsed))
            }
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            // A graceful stop, waited for, so the server closes its connections itself.
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await client.shutdown()
    }

    static func post(_ client: HTTPClient, _ url: String, token: String?, _ body: [String: Any]) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        let response = try await client.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
    }
}

/// `#requireNode(x)`: the demo city always has these levels; a missing one is a bug in the generator.
private func requireNode(_ grid: Grid?) throws -> GridCode {
    guard let grid else { throw ArgumentParser.ValidationError("演示城市缺少所需层级") }
    return grid.code
}
