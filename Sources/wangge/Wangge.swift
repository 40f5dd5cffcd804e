import ArgumentParser
import Foundation
import Logging
import WanggeApp
import WanggeStorage

@main
struct Wangge: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wangge",
        abstract: "网格化服务管理平台 (Wangge): grid-based service and management for counties and cities.",
        subcommands: [Serve.self, Migrate.self, Demo.self, Import.self, Export.self, Audit.self, Bench.self])
}

/// Flags shared by the commands that open the database or serve.
struct CommonOptions: ParsableArguments {
    @Option(help: "Database URL (overrides DATABASE_URL): postgres://… or sqlite:///absolute/path.sqlite")
    var database: String?

    @Option(help: "Port to listen on (overrides PORT, default 8080)")
    var port: Int?

    @Option(help: "Address to listen on (overrides HOST, default 127.0.0.1)")
    var host: String?

    func configuration() throws -> AppConfiguration {
        var env = ProcessInfo.processInfo.environment
        if let database { env["DATABASE_URL"] = database }
        if let port { env["PORT"] = String(port) }
        if let host { env["HOST"] = host }
        return try AppConfiguration.fromEnvironment(env)
    }
}

/// Writes a line to standard output at once: `print` is block-buffered when the output is a
/// pipe or a log file, and the demo logins must appear before the server starts waiting.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func makeLogger() -> Logger {
    var logger = Logger(label: "wangge")
    logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

/// Opens the database, applies pending migrations, runs `body`, and closes the pool.
func withDatabase<R>(_ config: AppConfiguration, logger: Logger, _ body: (Repositories) async throws -> R) async throws -> R {
    let db = try await WanggeDatabase.open(config.database, logger: logger)
    do {
        let applied = try await Migrator().migrate(db)
        for m in applied { logger.info("已执行数据库迁移 \(m.id) \(m.name)") }
        let result = try await body(Repositories(db))
        try await db.shutdown()
        return result
    } catch {
        try? await db.shutdown()
        throw error
    }
}

func runServer(_ services: AppServices, logger: Logger) async throws {
    say("网格化服务管理平台 (wangge)\n" + services.configuration.summary)
    if try await services.seedCatalogIfEmpty() { say("事件清单为空，已载入内置事件清单") }
    let interrupted = try await services.registers.imports.failInterrupted(at: Clock.nowSeconds())
    if interrupted > 0 { say("上次停止时有\(interrupted)个导入任务未完成，已标记为失败(未写入数据)") }
    try await buildApplication(services, logger: logger).runService()
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (applies pending migrations first).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let config = try options.configuration()
        let logger = makeLogger()
        try await withDatabase(config, logger: logger) { repos in
            try await runServer(try AppServices(configuration: config, repos: repos), logger: logger)
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let config = try options.configuration()
        let logger = makeLogger()
        print("数据库: \(config.database)")
        let applied = try await withDatabase(config, logger: logger) { repos in
            try await Migrator().applied(repos.database)
        }
        print("已应用的迁移: \(applied.map(String.init).joined(separator: ", "))")
    }
}
