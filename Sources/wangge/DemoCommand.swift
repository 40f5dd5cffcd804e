import ArgumentParser
import Foundation
import WanggeApp
import WanggeCore
import WanggeDemo
import WanggeStorage

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the demo county (idempotent, deterministic), print its logins, then serve.")
    @OptionGroup var options: CommonOptions

    @Option(help: "county (about 670 nodes) or city (about 10,000 grids, for benchmarks)")
    var scale: DemoScale = .county

    @Flag(inversion: .prefixedNo, help: "Serve after loading.")
    var serve: Bool = true

    func run() async throws {
        let config = try options.configuration()
        let logger = makeLogger()
        let password = ProcessInfo.processInfo.environment["WANGGE_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 } ?? "Wangge@2026"
        try await withDatabase(config, logger: logger) { repos in
            let services = try AppServices(configuration: config, repos: repos)
            let started = Date()
            let territory = DemoTerritory.generate(scale: scale)
            let result = try await DemoLoader(services: services).load(territory, password: password,
                                                                       events: scale == .county ? 400 : 0, registers: true)
            say(String(format: "演示数据：%d个网格节点(新写入%d)，新增工作人员%d人，新增事件%d件，新增实有人口%d人、房屋%d套、特殊人群和关爱对象%d人次，用时%.1f秒",
                         territory.grids.count, result.gridsWritten, result.staffAdded, result.eventsAdded, result.peopleAdded,
                         result.housesAdded, result.rolesAdded, Date().timeIntervalSince(started)))
            say("演示账号(密码均为 \(password == "Wangge@2026" ? "Wangge@2026" : "WANGGE_DEMO_PASSWORD 所设")):")
            for account in territory.accounts {
                let added = result.accountsAdded.contains(account.username) ? "" : "(已存在)"
                say("  \(account.username.padding(toLength: 12, withPad: " ", startingAt: 0)) \(account.role.label)\(added) — \(account.purpose)")
            }
            if serve {
                try await runServer(services, logger: logger)
            }
        }
    }
}

extension DemoScale: ExpressibleByArgument {}
