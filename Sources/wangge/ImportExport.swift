import ArgumentParser
import Foundation
import WanggeApp
import WanggeCore
import WanggeStorage

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Import data from files.", subcommands: [ImportGrids.self, ImportRegister.self, ImportSheet.self])
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Export data to files.", subcommands: [ExportGrids.self])
}

struct ImportGrids: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grids",
        abstract: "Import the grid tree from a GeoJSON FeatureCollection; nothing is written if any feature is rejected.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "GeoJSON file") var file: String

    func run() async throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw ArgumentParser.ValidationError("无法读取文件 \(file)：\(error.localizedDescription)")
        }
        let config = try options.configuration()
        do {
            let summary = try await withDatabase(config, logger: makeLogger()) { repos in
                try await GridImporter(repos: repos).importCollection(data, territory: nil, actor: .commandLine())
            }
            print("导入完成：新增\(summary.created)个，更新\(summary.updated)个网格")
        } catch let rejected as GridImporter.Rejected {
            var stderr = FileHandle.standardError
            print("导入被拒绝，未写入任何数据。共\(rejected.errors.count)处错误：", to: &stderr)
            for e in rejected.errors { print("  \(e)", to: &stderr) }
            throw ExitCode(2)
        }
    }
}

struct ExportGrids: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grids", abstract: "Export the grid tree (or a subtree) as one GeoJSON FeatureCollection.")
    @OptionGroup var options: CommonOptions
    @Argument(help: "Output file (- for standard output)") var file: String
    @Option(help: "Export only the subtree under this code") var root: String?

    func run() async throws {
        let range = try root.map { raw -> CodeRange in
            do { return try GridCode(raw).range } catch let e as WanggeCore.ValidationError { throw ArgumentParser.ValidationError(e.message) }
        }
        let data = try await withDatabase(try options.configuration(), logger: makeLogger()) { repos in
            try await GridImporter(repos: repos).export(range)
        }
        if file == "-" {
            FileHandle.standardOutput.write(data)
        } else {
            try data.write(to: URL(fileURLWithPath: file))
            print("已导出到 \(file)(\(data.count)字节)")
        }
    }
}

extension FileHandle: @retroactive TextOutputStream {
    public func write(_ string: String) { write(Data(string.utf8)) }
}
