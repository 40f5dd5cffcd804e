import Foundation

/// Every code table the registers use, by name: GB/T 31000's, GB/T 3304's 民族 and our own.
///
/// The tables are data files (`Registers/Tables/*.txt`), one table a line:
/// `NAME: CODE=LABEL; CODE=LABEL …`, `#` starting a comment line.
public struct CodeTables: Sendable {
    private var tables: [String: CodeTable] = [:]
    /// Table names in file and line order.
    public private(set) var names: [String] = []

    /// The tables shipped with the program. A missing or garbled resource is a packaging bug,
    /// not a user error, so it stops the program with the file and line at fault.
    public static let standard: CodeTables = {
        do throws(ValidationError) {
            return try CodeTables(namedFiles: TablesResource.files(excluding: [TablesResource.populationRoles]))
        } catch {
            fatalError("代码表资源有误(打包错误)：\(error)")
        }
    }()

    /// Tables from the texts of data files, named `文件1`, `文件2` … in errors (for tests).
    public init(files: [String]) throws(ValidationError) {
        try self.init(namedFiles: files.enumerated().map { (name: "文件\($0.offset + 1)", text: $0.element) })
    }

    /// Tables from data files; an error names the file (as `field`) and the line.
    public init(namedFiles files: [(name: String, text: String)]) throws(ValidationError) {
        for file in files {
            for (index, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let text = line.trimmed
                if text.isEmpty || text.hasPrefix("#") { continue }
                let table = try CodeTables.parse(text, file: file.name, line: index + 1)
                guard tables[table.name] == nil else {
                    throw ValidationError(field: file.name, "第\(index + 1)行：代码表“\(table.name)”重复定义")
                }
                tables[table.name] = table
                names.append(table.name)
            }
        }
    }

    public subscript(name: String) -> CodeTable? { tables[name] }

    /// The table, or an error naming it (field `table`).
    public func table(_ name: String) throws(ValidationError) -> CodeTable {
        guard let table = tables[name] else { throw ValidationError(field: "table", "没有名为“\(name)”的代码表") }
        return table
    }

    private static func parse(_ line: Substring, file: String, line number: Int) throws(ValidationError) -> CodeTable {
        func fail(_ message: String) -> ValidationError { ValidationError(field: file, "第\(number)行：\(message)") }
        guard let colon = line.firstIndex(of: ":") else { throw fail("应写作“表名: 代码=名称; 代码=名称”") }
        let name = String(line[..<colon].trimmed)
        guard !name.isEmpty else { throw fail("缺少表名") }
        var entries: [CodeEntry] = []
        var codes: Set<String> = [], labels: Set<String> = []
        for item in line[line.index(after: colon)...].split(separator: ";") {
            let pair = item.trimmed
            if pair.isEmpty { continue }
            guard let eq = pair.firstIndex(of: "=") else { throw fail("“\(pair)”应写作“代码=名称”") }
            let code = String(pair[..<eq].trimmed), label = String(pair[pair.index(after: eq)...].trimmed)
            guard !code.isEmpty, code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw fail("表“\(name)”的代码“\(code)”只能由字母和数字组成")
            }
            guard !label.isEmpty else { throw fail("表“\(name)”的代码\(code)缺少名称") }
            guard codes.insert(code).inserted else { throw fail("表“\(name)”的代码\(code)重复") }
            guard labels.insert(CodeTable.key(label)).inserted else { throw fail("表“\(name)”的名称“\(label)”重复") }
            entries.append(CodeEntry(code: code, label: label))
        }
        guard !entries.isEmpty else { throw fail("表“\(name)”没有代码") }
        return CodeTable(name: name, entries: entries)
    }
}

/// The `Tables` folder copied into the module's resource bundle.
enum TablesResource {
    static let populationRoles = "population-roles.txt"

    /// Every `*.txt` of the folder but `excluding`, sorted by name so that the load order, and
    /// with it `CodeTables.names`, is the same on every machine.
    static func files(excluding: Set<String> = []) -> [(name: String, text: String)] {
        guard let folder = Bundle.module.url(forResource: "Tables", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        else { fatalError("找不到代码表资源目录 Tables(打包错误)") }
        return names.filter { $0.hasSuffix(".txt") && !excluding.contains($0) }.sorted().map { name in
            (name, text(of: folder.appendingPathComponent(name), name: name))
        }
    }

    static func file(_ name: String) -> String {
        guard let folder = Bundle.module.url(forResource: "Tables", withExtension: nil) else {
            fatalError("找不到代码表资源目录 Tables(打包错误)")
        }
        return text(of: folder.appendingPathComponent(name), name: name)
    }

    private static func text(of url: URL, name: String) -> String {
        guard let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) else {
            fatalError("无法以UTF-8读取资源文件 \(name)(打包错误)")
        }
        return text
    }
}
