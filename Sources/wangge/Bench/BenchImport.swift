import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import WanggeApp
import WanggeCore
import WanggeDemo
import WanggeSheets
import WanggeStorage

/// `wangge bench import`: N synthetic people as a people-sheet CSV, loaded through the real
/// importer next to the raw rate of the engine measured in the same run, then re-imported, and
/// the latency of ID-number lookups through the HTTP API on that data.
struct BenchImport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import N people from CSV next to the raw engine rate; time ID-number lookups over HTTP.")

    @Option(help: "Database URL; default a new SQLite file in a temporary folder") var database: String?
    @Option(help: "People to generate and import") var people: Int = 1_000_000
    @Option(help: "ID-number lookups through the HTTP API") var lookups: Int = 10_000
    @Option(help: "Concurrent HTTP clients") var clients: Int = 8

    static let password = "Bench@2026x"

    func run() async throws {
        #if DEBUG
        say("注意：这是调试构建，数字没有意义；请用 scripts/bench-import")
        #endif
        let logger = makeLogger()
        let scratch = NSTemporaryDirectory() + "wangge-bench-import-\(UUID().uuidString).sqlite"
        let url = database ?? "sqlite://" + scratch
        // A million people make a file of about a gigabyte: the default one goes when the run ends.
        defer { if database == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: scratch + suffix) } } }
        var config = try AppConfiguration.fromEnvironment([
            "DATABASE_URL": url, "WANGGE_SECRET": String(repeating: "b", count: 40),
            // A fixed key, so that the run leaves no key file behind.
            "WANGGE_DATA_KEY": String(repeating: "5a", count: 32),
        ])
        config.bcryptCost = 4
        say("数据库: \(config.database)；\(Self.machine())")
        try await withDatabase(config, logger: logger) { repos in
            let services = try AppServices(configuration: config, repos: repos)
            let county = DemoTerritory.generate(scale: .county)
            var t = Date()
            _ = try await DemoLoader(services: services).load(county, password: Self.password, registers: false)
            say(String(format: "县级网格树 %d 个节点载入用时 %.1f 秒", county.grids.count, Date().timeIntervalSince(t)))
            guard try await services.registers.people.search(PersonQuery(range: nil, limit: 1)).total == 0 else {
                throw ValidationError("数据库中已有实有人口；压测需要空的人口表")
            }

            let units = county.grids.filter { $0.level == .grid }.map(\.code)
            t = Date()
            let persons = DemoRegisters.people(count: people, in: units, seed: 20_260_301)
            let generated = Date().timeIntervalSince(t)
            t = Date()
            let csv = Self.peopleCSV(persons)
            let written = Date().timeIntervalSince(t)
            let file = NSTemporaryDirectory() + "wangge-bench-people-\(UUID().uuidString).csv"
            try csv.write(to: URL(fileURLWithPath: file))
            defer { try? FileManager.default.removeItem(atPath: file) }
            say(String(format: "生成 %d 名人员用时 %.1f 秒；写成实有人口表 CSV (%.0f MB) 用时 %.1f 秒", persons.count, generated,
                       Double(csv.count) / 1e6, written))

            try Self.timeRowWork(csv, people: persons, store: services.registers)

            let raw = try await RawEngineRate(database: config.database, url: url, logger: logger)
                .measure(persons, cipher: services.registers.cipher)
            say(String(format: "引擎原始写入 (%@): %d 行，用时 %.1f 秒，%.0f 行/秒", raw.method as NSString, persons.count, raw.seconds,
                       Double(persons.count) / raw.seconds))

            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let first = try await timedImport(data, services: services)
            try check(first, created: persons.count, unchanged: 0)
            let ours = Double(persons.count) / first.seconds
            let engine = Double(persons.count) / raw.seconds
            say(String(format: "我们的导入 (CSV→校验→加密→写入，一个事务): %d 行，用时 %.1f 秒，%.0f 行/秒 (本进程 CPU %.1f 秒，%.1f µs/行)",
                       persons.count, first.seconds, ours, first.cpu, first.cpu / Double(persons.count) * 1e6))
            say(String(format: "  对比引擎原始速率 %.0f 行/秒：%.0f%% (目标 ≥ 50%%)", engine, ours / engine * 100))
            let again = try await timedImport(data, services: services)
            try check(again, created: 0, unchanged: persons.count)
            say(String(format: "同一文件再次导入 (全部未变): 用时 %.1f 秒，%.0f 行/秒 (本进程 CPU %.1f 秒)", again.seconds,
                       Double(persons.count) / again.seconds, again.cpu))

            try await timeLookups(services: services, numbers: persons.map(\.certificateNumber), logger: logger)
            say("结束时：\(Self.machine())")
        }
    }

    private func timedImport(_ data: Data, services: AppServices) async throws -> (summary: RegisterImportSummary, seconds: Double, cpu: Double) {
        let (t, cpu) = (Date(), Self.cpuSeconds())
        let summary = try await services.importRegister(data, filename: "people.csv", sheetID: "people", allOrNothing: false) { _ in }
        return (summary, Date().timeIntervalSince(t), Self.cpuSeconds() - cpu)
    }

    /// What a row costs before any database, on one core, over the first 100,000 rows: reading the
    /// CSV, validating (`RegisterSheet.parse`), and hashing and sealing for storage. The import
    /// spreads this work over the cores; its rate cannot pass what they leave beside the database.
    static func timeRowWork(_ csv: Data, people: [Person], store: RegisterStore) throws {
        guard let sheet = RegisterSheet.of(.people) else { return }
        // CPU time of this thread, which a busy machine does not inflate as it does the wall clock.
        func threadCPU() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let sample = min(people.count, 100_000)
        var rows = try CSVReader(data: csv).makeIterator()
        guard let header = try rows.next(), case .success(let columns) = sheet.map(header: header.cells) else { return }
        var t = threadCPU()
        var cells: [SheetRow] = []
        cells.reserveCapacity(sample)
        while cells.count < sample, let row = try rows.next() { cells.append(row) }
        let read = threadCPU() - t
        let today = Day(localDateOf: Clock.nowSeconds())
        t = threadCPU()
        var valid = 0
        for row in cells { if case .record = sheet.parse(row.cells, row: row.number, map: columns, today: today) { valid += 1 } }
        let parse = threadCPU() - t
        t = threadCPU()
        for p in people.prefix(sample) { _ = store.people.prepare(p) }
        let prepare = threadCPU() - t
        func perRow(_ seconds: Double) -> Double { seconds / Double(sample) * 1e6 }
        say(String(format: "每行单核 CPU (前 %d 行)：读 CSV %.1f µs，校验 RegisterSheet.parse %.1f µs，哈希与加密 %.1f µs", sample, perRow(read),
                   perRow(parse), perRow(prepare)) + (valid == sample ? "" : "  (有 \(sample - valid) 行未通过校验!)"))
    }

    /// Cores and load: figures taken on a busy machine are not comparable with others.
    static func machine() -> String {
        let load = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").first.map(String.init) ?? "?"
        return "\(ProcessInfo.processInfo.activeProcessorCount) 核，1 分钟平均负载 \(load)"
    }

    /// User and system time of this process so far: on a shared machine the wall time says what the
    /// run got, the CPU time what it cost.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func check(_ run: (summary: RegisterImportSummary, seconds: Double, cpu: Double), created: Int, unchanged: Int) throws {
        let s = run.summary
        guard s.applied, s.rejected == 0, s.created == created, s.unchanged == unchanged, s.updated == 0 else {
            let sample = s.errors.prefix(5).map { "第\($0.row)行 \($0.column ?? "")：\($0.message)" }.joined(separator: "\n  ")
            throw ValidationError("导入结果不符：\(s.message)\n  \(sample)")
        }
    }

    /// The people as a county office would send them: the template's Chinese headers, coded
    /// fields by their labels, dates written out.
    static func peopleCSV(_ people: [Person]) -> Data {
        guard let sheet = RegisterSheet.of(.people) else { return Data() }
        let tables = CodeTables.standard
        func label(_ table: String, _ code: String?) -> String {
            guard let code else { return "" }
            return tables[table]?.label(of: code) ?? code
        }
        var writer = CSVWriter()
        writer.append(sheet.templateHeader)
        for p in people {
            let cells: [String: String] = [
                "name": p.name, "certificateType": p.certificateType.label, "certificateNumber": p.certificateNumber,
                "sex": p.sex.label, "birthDate": p.birthDate?.description ?? "", "ethnicity": label("民族", p.ethnicity),
                "phone": p.phone ?? "", "registeredDivision": p.registeredDivision ?? "",
                "registeredAddress": p.registeredAddress ?? "", "currentAddress": p.currentAddress ?? "", "grid": p.grid.value,
                "kind": p.kind.label, "inflowReason": label("流入原因", p.inflowReason), "permitType": label("办证类型", p.permitType),
                "permitNumber": p.permitNumber ?? "", "permitExpiry": p.permitExpiry?.description ?? "",
                "nationality": p.nationality ?? "", "foreignName": p.foreignName ?? "", "visitPurpose": label("来华目的", p.visitPurpose),
            ]
            writer.append(sheet.columns.map { cells[$0.field] ?? "" })
        }
        return writer.data
    }
}

extension BenchImport {
    /// The real server on a free loopback port, `clients` concurrent clients looking up random
    /// people of the imported set by ID number, as the county operator `zhongxin`.
    func timeLookups(services: AppServices, numbers: [String], logger: Logger) async throws {
        guard lookups > 0, !numbers.isEmpty else { return }
        var quiet = logger
        quiet.logLevel = .warning
        // Port 0 lets the kernel pick a free port; the server reports which once it listens.
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = Application(router: buildRouter(services),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "wangge-bench"),
                              onServerRunning: { channel in
                                  portSink.yield(channel.localAddress?.port ?? 0)
                                  portSink.finish()
                              },
                              logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [app], logger: quiet))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do {
                var iterator = ports.makeAsyncIterator()
                guard let port = await iterator.next(), port > 0 else { throw ValidationError("服务器未能启动") }
                let base = "http://127.0.0.1:\(port)"
                let login = try await BenchEvents.post(client, base + "/api/v1/auth/login", token: nil,
                                                       ["username": "zhongxin", "password": Self.password])
                guard let token = login["token"] as? String else { throw ValidationError("县指挥中心账号 zhongxin 登录失败：\(login)") }
                var rng = SeededRandom(seed: 7_001)
                let picks = (0..<lookups).map { _ in numbers[Int(rng.next() % UInt64(numbers.count))] }
                // A short warm-up opens the connections, so that their set-up is not counted as lookup time.
                _ = try await lookUp(Array(picks.prefix(clients * 10)), client: client, base: base, token: token)
                let started = Date()
                let (samples, misses) = try await lookUp(picks, client: client, base: base, token: token)
                let elapsed = Date().timeIntervalSince(started)
                let sorted = samples.sorted()
                func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] * 1000 }
                say(String(format: "HTTP 按身份证号查人 (GET /api/v1/people?q=…): %d 次，%d 个并发客户端，%.0f 次/秒", samples.count, clients,
                           Double(samples.count) / elapsed))
                say(String(format: "  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  最长 %.2f ms%@", at(0.5), at(0.9), at(0.99),
                           (sorted.last ?? 0) * 1000, (misses > 0 ? "  (未命中 \(misses) 次!)" : "") as NSString))
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        try await client.shutdown()
    }

    /// Seconds per request, and how many answers did not hold exactly the person asked for.
    private func lookUp(_ numbers: [String], client: HTTPClient, base: String, token: String) async throws -> ([Double], Int) {
        let per = (numbers.count + clients - 1) / clients
        return try await withThrowingTaskGroup(of: ([Double], Int).self) { workers in
            for w in 0..<clients {
                let mine = Array(numbers.dropFirst(w * per).prefix(per))
                workers.addTask {
                    var samples: [Double] = []
                    samples.reserveCapacity(mine.count)
                    var misses = 0
                    for number in mine {
                        var request = HTTPClientRequest(url: base + "/api/v1/people?q=" + number)
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        let t = ContinuousClock.now
                        let response = try await client.execute(request, timeout: .seconds(30))
                        let body = try await response.body.collect(upTo: 1 << 20)
                        let d = ContinuousClock.now - t
                        samples.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
                        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any]
                        if response.status != .ok || json?["total"] as? Int != 1 { misses += 1 }
                    }
                    return (samples, misses)
                }
            }
            var all: [Double] = []
            var misses = 0
            for try await (samples, m) in workers {
                all += samples
                misses += m
            }
            return (all, misses)
        }
    }
}
