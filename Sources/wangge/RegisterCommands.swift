import ArgumentParser
import Foundation
import WanggeApp
import WanggeCore
import WanggeStorage

/// `wangge import people FILE` and `wangge import sheet roles:correction FILE`.
struct ImportRegister: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people",
        abstract: "Import people (实有人口) from a CSV or XLSX file with the template's Chinese headers.")
    @OptionGroup var options: CommonOptions
    @Flag(help: "Apply nothing if any row is rejected (default: apply the valid rows, report the rest)")
    var allOrNothing = false
    @Option(help: "Write the rejected rows to this CSV file")
    var errors: String?
    @Argument(help: "CSV or XLSX file") var file: String

    func run() async throws {
        try await runImport(sheet: "people", file: file, allOrNothing: allOrNothing, errorsFile: errors, options: options)
    }
}

struct ImportSheet: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sheet",
        abstract: "Import any register: buildings, houses, people, residences, organisations, components or roles:KIND.")
    @OptionGroup var options: CommonOptions
    @Flag(help: "Apply nothing if any row is rejected") var allOrNothing = false
    @Option(help: "Write the rejected rows to this CSV file") var errors: String?
    @Argument(help: "Register, e.g. buildings or roles:correction") var sheet: String
    @Argument(help: "CSV or XLSX file") var file: String

    func run() async throws {
        try await runImport(sheet: sheet, file: file, allOrNothing: allOrNothing, errorsFile: errors, options: options)
    }
}

func runImport(sheet: String, file: String, allOrNothing: Bool, errorsFile: String?, options: CommonOptions) async throws {
    let data: Data
    do { data = try Data(contentsOf: URL(fileURLWithPath: file), options: .mappedIfSafe) } catch {
        throw ArgumentParser.ValidationError("无法读取文件 \(file)：\(error.localizedDescription)")
    }
    // Line ends approximate the row count of a CSV, enough for a progress bar.
    let estimate = max(1, data.reduce(into: 0) { n, byte in if byte == 10 { n += 1 } } - 1)
    let bar = ProgressBar(total: estimate)
    let config = try options.configuration()
    let summary = try await withDatabase(config, logger: makeLogger()) { repos in
        let services = try AppServices(configuration: config, repos: repos)
        return try await services.importRegister(data, filename: (file as NSString).lastPathComponent, sheetID: sheet,
                                                 allOrNothing: allOrNothing) { await bar.update($0) }
    }
    await bar.finish()
    var stderr = FileHandle.standardError
    print(summary.message)
    print("共处理\(summary.processed)行：新增\(summary.created)，更新\(summary.updated)，未变\(summary.unchanged)，拒绝\(summary.rejected)")
    if !summary.errors.isEmpty {
        for e in summary.errors.prefix(20) { print("  \(e)", to: &stderr) }
        if summary.errors.count > 20 { print("  ……另有\(summary.errors.count - 20)处错误", to: &stderr) }
        if let errorsFile {
            var text = "\u{FEFF}行号,列,原因\r\n"
            for e in summary.errors {
                text += "\(e.row),\"\((e.column ?? "").replacingOccurrences(of: "\"", with: "\"\""))\",\"\(e.message.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n"
            }
            try Data(text.utf8).write(to: URL(fileURLWithPath: errorsFile))
            print("错误报告已写入 \(errorsFile)", to: &stderr)
        }
    }
    if !summary.applied { throw ExitCode(2) }
}

/// A one-line bar on standard error, redrawn at most ten times a second.
actor ProgressBar {
    let total: Int
    let started = Date()
    var lastDraw = Date.distantPast
    var current = 0

    init(total: Int) { self.total = total }

    func update(_ processed: Int) {
        current = processed
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        draw()
    }

    func finish() {
        if current > 0 { draw() }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    private func draw() {
        let fraction = min(1, Double(current) / Double(total))
        let filled = Int(fraction * 30)
        let rate = Double(current) / max(0.001, Date().timeIntervalSince(started))
        let line = "\r[" + String(repeating: "#", count: filled) + String(repeating: ".", count: 30 - filled) + "] "
            + String(format: "%3.0f%% %d/%d 行 %.0f 行/秒", fraction * 100, current, total, rate)
        FileHandle.standardError.write(Data(line.utf8))
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The audit log.", subcommands: [AuditVerify.self])
}

struct AuditVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify", abstract: "Check the audit log's hash chain; names the first broken entry (exit code 3).")
    @OptionGroup var options: CommonOptions

    func run() async throws {
        let result = try await withDatabase(try options.configuration(), logger: makeLogger()) { repos in
            try await AuditChain.verify(repos.database.sql)
        }
        if let broken = result.broken {
            print("审计链在第\(broken.id)条处断开(其前\(result.checked)条完好)：\(broken.reason)")
            throw ExitCode(3)
        }
        print("审计链完好：共\(result.checked)条记录，逐条校验通过")
    }
}
