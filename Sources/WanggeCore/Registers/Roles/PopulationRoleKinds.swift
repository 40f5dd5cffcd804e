/// Every kind of population role, read from `population-roles.txt`:
///
///     [correction] 社区矫正 | group=special | attention=01 | visit=7 | aliases=社区矫正人员
///     category 矫正类别 code:矫正类别 required
///     term_start 矫正开始日期 date required
///
/// Field types: `code:TABLE`, `codes:TABLE`, `date`, `text`, `number`, `bool`.
public struct PopulationRoleKinds: Sendable {
    /// In file order, which is the order of menus.
    public let all: [PopulationRoleKind]
    private let byKey: [String: PopulationRoleKind]

    /// The kinds shipped with the program, checked against `CodeTables.standard`. A garbled
    /// resource is a packaging bug and stops the program with the line at fault.
    public static let standard: PopulationRoleKinds = {
        do throws(ValidationError) {
            return try PopulationRoleKinds(text: TablesResource.file(TablesResource.populationRoles), tables: .standard)
        } catch {
            fatalError("人口角色类别资源有误(打包错误)：\(error)")
        }
    }()

    /// Column names of the role spreadsheets that a field's label must not take.
    static let reservedLabels: Set<String> = ["证件号码", "身份证号", "公民身份号码", "姓名", "关注程度", "走访周期(天)", "开始日期", "结束日期"]

    /// Parses the data file; every referenced code table must exist in `tables`. Errors name the
    /// line (field `population-roles.txt`).
    public init(text: String, tables: CodeTables) throws(ValidationError) {
        var kinds: [PopulationRoleKind] = []
        var header: LineParser.Header?
        var fields: [RoleField] = []
        func close() {
            if let h = header {
                kinds.append(PopulationRoleKind(key: h.key, label: h.label, group: h.group, defaultAttention: h.attention,
                                                defaultVisitEveryDays: h.visit, fields: fields, aliases: h.aliases))
            }
            fields = []
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmed
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parser = LineParser(line: index + 1, tables: tables)
            if line.hasPrefix("[") {
                close()
                header = try parser.header(line)
                if kinds.contains(where: { $0.key == header?.key }) { throw parser.fail("类别“\(header?.key ?? "")”重复定义") }
            } else {
                guard header != nil else { throw parser.fail("字段行之前缺少“[key] 名称 | …”类别行") }
                let field = try parser.field(line)
                if fields.contains(where: { $0.key == field.key || $0.label == field.label }) {
                    throw parser.fail("字段“\(field.key) \(field.label)”重复")
                }
                fields.append(field)
            }
        }
        close()
        var names: Set<String> = []
        for kind in kinds {
            for name in [kind.label] + kind.aliases where !names.insert(CodeTable.key(name)).inserted {
                throw ValidationError(field: TablesResource.populationRoles, "名称或别名“\(name)”被多个类别使用")
            }
        }
        all = kinds
        byKey = Dictionary(kinds.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(key: String) -> PopulationRoleKind? { byKey[key] }

    /// The kind named by its key, its label or an alias, as a form or a spreadsheet gives it.
    public func resolve(_ keyOrLabel: String) -> PopulationRoleKind? {
        let text = CodeTable.key(keyOrLabel)
        if let kind = byKey[text] { return kind }
        return all.first { kind in ([kind.label] + kind.aliases).contains { CodeTable.key($0) == text } }
    }
}

/// Reads one line of `population-roles.txt`.
private struct LineParser {
    let line: Int
    let tables: CodeTables

    func fail(_ message: String) -> ValidationError {
        ValidationError(field: TablesResource.populationRoles, "第\(line)行：\(message)")
    }

    static func isKey(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    /// A kind's header line, before its fields.
    typealias Header = (key: String, label: String, group: PopulationGroup, attention: String, visit: Int, aliases: [String])

    func header(_ text: Substring) throws(ValidationError) -> Header {
        let parts = text.split(separator: "|").map { String($0.trimmed) }
        guard let close = parts[0].firstIndex(of: "]") else { throw fail("类别行应写作“[key] 名称 | group=… | attention=… | visit=…”") }
        let key = String(parts[0][parts[0].index(after: parts[0].startIndex)..<close])
        let label = String(parts[0][parts[0].index(after: close)...].trimmed)
        guard LineParser.isKey(key) else { throw fail("类别键“\(key)”只能由小写字母、数字和下划线组成") }
        guard !label.isEmpty else { throw fail("类别“\(key)”缺少名称") }
        var attributes: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { throw fail("“\(part)”应写作“属性=值”") }
            let name = String(part[..<eq].trimmed)
            guard ["group", "attention", "visit", "aliases"].contains(name) else { throw fail("未知的属性“\(name)”") }
            attributes[name] = String(part[part.index(after: eq)...].trimmed)
        }
        guard let group = attributes["group"].flatMap(PopulationGroup.init(rawValue:)) else {
            throw fail("类别“\(key)”的 group 应为 special 或 care")
        }
        guard let attention = attributes["attention"], tables["关注程度"]?.contains(attention) ?? false else {
            throw fail("类别“\(key)”的 attention 应为代码表“关注程度”中的代码")
        }
        guard let visit = attributes["visit"].flatMap({ Int($0) }), (1...366).contains(visit) else {
            throw fail("类别“\(key)”的 visit 应为1至366之间的天数")
        }
        let aliases = (attributes["aliases"] ?? "").split(separator: ",").map { String($0.trimmed) }.filter { !$0.isEmpty }
        return (key, label, group, attention, visit, aliases)
    }

    func field(_ text: Substring) throws(ValidationError) -> RoleField {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard (3...4).contains(words.count), words.count == 3 || words[3] == "required" else {
            throw fail("字段行应写作“key 名称 类型 [required]”")
        }
        let (key, label) = (words[0], words[1])
        guard LineParser.isKey(key) else { throw fail("字段键“\(key)”只能由小写字母、数字和下划线组成") }
        guard !PopulationRoleKinds.reservedLabels.contains(label) else { throw fail("字段名称“\(label)”与表格固定列重名") }
        let type: RoleFieldType
        let spec = words[2]
        if let colon = spec.firstIndex(of: ":") {
            let table = String(spec[spec.index(after: colon)...])
            guard tables[table] != nil else { throw fail("字段“\(label)”引用的代码表“\(table)”不存在") }
            switch spec[..<colon] {
            case "code": type = .code(table: table)
            case "codes": type = .codes(table: table)
            default: throw fail("未知的字段类型“\(spec)”")
            }
        } else {
            switch spec {
            case "date": type = .date
            case "text": type = .text
            case "number": type = .number
            case "bool": type = .bool
            default: throw fail("未知的字段类型“\(spec)”，应为 code:表名、codes:表名、date、text、number 或 bool")
            }
        }
        return RoleField(key: key, label: label, type: type, required: words.count == 4)
    }
}
