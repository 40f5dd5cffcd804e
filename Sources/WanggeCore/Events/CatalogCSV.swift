/// One rejected row of an imported table: its row number as a spreadsheet shows it (the header
/// is row 1), the column (by its header text) when one is to blame, and why.
public struct RowError: Hashable, Codable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: String?
    public var message: String

    public init(row: Int, column: String? = nil, _ message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    /// `第3行 处置层级：…`
    public var description: String {
        "第\(row)行" + (column.map { " \($0)" } ?? "") + "：" + message
    }
}

/// Every rejected row of an import, so that the user fixes the whole file in one go.
public struct RowErrors: Error, Hashable, Codable, Sendable, CustomStringConvertible {
    public var items: [RowError]

    public init(_ items: [RowError]) { self.items = items }

    public var description: String { items.map(\.description).joined(separator: "\n") }
}

/// The catalog as a spreadsheet (CSV), the form administrators edit it in: one row per item,
/// with its category repeated; a category without items is a row with only the two category
/// columns filled.
public enum CatalogCSV {
    /// The columns, by their header text. `说明` may be left out of an imported file; the others
    /// are required, in any order.
    enum Column: String, CaseIterable {
        case categoryCode = "分类编码"
        case categoryName = "分类名称"
        case code = "事项编码"
        case name = "事项名称"
        case departments = "责任部门"
        case level = "处置层级"
        case deadline = "处置时限"
        case priority = "优先级"
        case citizenReportable = "群众可报"
        case description = "说明"

        /// The column of a `ValidationError.field` raised by the catalog types.
        init?(field: String?) {
            switch field {
            case "categoryCode": self = .categoryCode
            case "categoryName": self = .categoryName
            case "code": self = .code
            case "name": self = .name
            case "departments": self = .departments
            case "level": self = .level
            case "deadline": self = .deadline
            case "priority": self = .priority
            case "description": self = .description
            default: return nil
            }
        }
    }

    /// 分类编码,分类名称,事项编码,事项名称,责任部门,处置层级,处置时限,优先级,群众可报,说明
    public static let header = Column.allCases.map(\.rawValue)

    /// The catalog as CSV text: a UTF-8 byte-order mark first (without it Excel reads the file
    /// as the local ANSI code page and garbles the Chinese), CRLF line ends and quoting as in
    /// RFC 4180. Rows follow code order. Departments are joined by `、`, levels, deadlines and
    /// priorities written as their Chinese labels.
    public static func encode(_ catalog: Catalog) -> String {
        var lines = [header.map(quoted).joined(separator: ",")]
        var written = Set<String>()
        func line(_ category: CatalogCategory?, _ item: CatalogItem?) {
            var fields = [category?.code ?? item?.categoryCode ?? "", category?.name ?? ""]
            if let item {
                written.insert(item.code)
                fields += [item.code, item.name, item.departments.map(\.label).joined(separator: "、"), item.level.label,
                           item.deadline.label, item.priority.label, item.citizenReportable ? "是" : "否", item.description ?? ""]
            } else {
                fields += Array(repeating: "", count: header.count - 2)
            }
            lines.append(fields.map(quoted).joined(separator: ","))
        }
        for category in catalog.categories {
            let items = catalog.items(inCategory: category.code)
            if items.isEmpty { line(category, nil) }
            for item in items { line(category, item) }
        }
        // Items of a missing category (an invalid catalog) are still written, so nothing is lost.
        for item in catalog.items where !written.contains(item.code) { line(nil, item) }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Reads a catalog from CSV text, reporting every bad row at once.
    ///
    /// Tolerates a byte-order mark, CRLF, LF or CR line ends, quoted fields holding commas,
    /// line breaks and doubled quotes, blank rows, spaces around values and empty header cells
    /// (their columns are ignored). Accepts levels by label or code (`乡镇(街道)`, `township`,
    /// full-width brackets too), deadlines as `3个工作日`/`4个工作小时` or `3d`/`4h`, priorities
    /// by label or code, 是/否 for 群众可报, and departments separated by `、` `,` `，` `;` `；` `/`
    /// or spaces. A file with no data row is an error, so that an empty export cannot wipe a catalog.
    public static func decode(_ text: String) -> Result<Catalog, RowErrors> {
        let records = CSVReader.records(text)
        guard let head = records.first, head.fields.contains(where: { !trim($0).isEmpty }) else {
            return .failure(RowErrors([RowError(row: 1, "缺少表头，应为：" + header.joined(separator: ","))]))
        }
        var errors: [RowError] = []
        var position: [Column: Int] = [:]
        for (i, cell) in head.fields.enumerated() {
            let name = trim(cell)
            if name.isEmpty { continue }
            guard let column = Column(rawValue: name) else {
                errors.append(RowError(row: 1, column: name, "未知的列，表头应为：" + header.joined(separator: ",")))
                continue
            }
            if position[column] != nil { errors.append(RowError(row: 1, column: name, "列重复")) } else { position[column] = i }
        }
        for column in Column.allCases where column != .description && position[column] == nil {
            errors.append(RowError(row: 1, column: column.rawValue, "缺少此列"))
        }
        if let problem = head.problem { errors.append(RowError(row: 1, problem)) }
        guard errors.isEmpty else { return .failure(RowErrors(errors)) }

        var reader = RowReader(position: position, width: head.fields.count)
        for (index, record) in records.enumerated().dropFirst() {
            reader.read(record, row: index + 1)
        }
        errors = reader.errors
        if errors.isEmpty && reader.categories.isEmpty {
            errors.append(RowError(row: 2, "文件中没有任何分类或事项"))
        }
        guard errors.isEmpty else { return .failure(RowErrors(errors)) }
        let catalog = Catalog(categories: reader.categories, items: reader.items)
        // The row checks cover the catalog's rules; this is a safety net should the two drift apart.
        do throws(ValidationError) {
            try catalog.validate()
        } catch {
            return .failure(RowErrors([RowError(row: 1, column: Column(field: error.field)?.rawValue, error.message)]))
        }
        return .success(catalog)
    }

    /// Quotes a field when it holds a separator, a quote, a line break or edge spaces.
    static func quoted(_ field: String) -> String {
        let special = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
        let edgeSpace = field.first?.isWhitespace == true || field.last?.isWhitespace == true
        guard special || edgeSpace else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    static func trim(_ s: String) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

/// Turns data rows into categories and items, collecting every error.
private struct RowReader {
    typealias Column = CatalogCSV.Column
    let position: [Column: Int]
    let width: Int
    var errors: [RowError] = []
    var categories: [CatalogCategory] = []
    var items: [CatalogItem] = []
    private var categoryRows: [String: (name: String, row: Int)] = [:]
    private var categoryByName: [String: String] = [:]
    private var itemRows: [String: Int] = [:]

    init(position: [Column: Int], width: Int) {
        self.position = position
        self.width = width
    }

    mutating func read(_ record: CSVReader.Record, row: Int) {
        if record.problem == nil && record.fields.allSatisfy({ CatalogCSV.trim($0).isEmpty }) { return }
        if let problem = record.problem { return fail(row, nil, problem) }
        guard record.fields.count == width else {
            return fail(row, nil, "应有\(width)列，实有\(record.fields.count)列(含逗号的内容须加英文双引号)")
        }
        func value(_ c: Column) -> String { position[c].map { CatalogCSV.trim(record.fields[$0]) } ?? "" }
        let errorCount = errors.count

        let category = CatalogCategory(code: value(.categoryCode), name: value(.categoryName))
        do throws(ValidationError) { try category.validate() } catch { fail(row, error) }
        if errors.count == errorCount { addCategory(category, row: row) }

        let itemColumns: [Column] = [.code, .name, .departments, .level, .deadline, .priority, .citizenReportable, .description]
        if itemColumns.allSatisfy({ value($0).isEmpty }) { return }  // a category-only row

        var departments: [DepartmentKind] = []
        let names = value(.departments).split { "、,，;；/ ".contains($0) }.map(String.init)
        for name in names {
            if let kind = DepartmentKind.allCases.first(where: { $0.label == name || $0.rawValue == name }) {
                departments.append(kind)
            } else {
                fail(row, .departments, "未知的部门“\(name)”，可选：" + DepartmentKind.allCases.map(\.label).joined(separator: "、"))
            }
        }
        if names.isEmpty { fail(row, .departments, "至少需要一个责任部门") }
        let levelText = value(.level).replacing("（", with: "(").replacing("）", with: ")")
        let level = HandlingLevel.allCases.first { [$0.label, $0.rawValue, $0.gridLevel.label].contains(levelText) }
        if level == nil {
            fail(row, .level, "处置层级应为" + HandlingLevel.allCases.map(\.label).joined(separator: "、") + "之一，收到“\(levelText)”")
        }
        var deadline: DeadlineSpec?
        do throws(ValidationError) { deadline = try DeadlineSpec(parsing: value(.deadline)) } catch { fail(row, error) }
        let priority = Priority.allCases.first { $0.label == value(.priority) || $0.rawValue == value(.priority) }
        if priority == nil {
            fail(row, .priority, "优先级应为" + Priority.allCases.map(\.label).joined(separator: "、") + "之一，收到“\(value(.priority))”")
        }
        let citizen: Bool? = switch value(.citizenReportable).lowercased() {
        case "是", "y", "yes", "true", "1": true
        case "否", "n", "no", "false", "0": false
        default: nil
        }
        if citizen == nil { fail(row, .citizenReportable, "群众可报应填“是”或“否”，收到“\(value(.citizenReportable))”") }

        guard errors.count == errorCount, let level, let deadline, let priority, let citizen else { return }
        let description = value(.description)
        let item = CatalogItem(code: value(.code), categoryCode: category.code, name: value(.name), departments: departments,
                               level: level, deadline: deadline, priority: priority, citizenReportable: citizen,
                               description: description.isEmpty ? nil : description)
        do throws(ValidationError) { try item.validate() } catch { return fail(row, error) }
        if let earlier = itemRows[item.code] { return fail(row, .code, "事项编码\(item.code)与第\(earlier)行重复") }
        itemRows[item.code] = row
        items.append(item)
    }

    private mutating func addCategory(_ category: CatalogCategory, row: Int) {
        if let earlier = categoryRows[category.code] {
            if earlier.name != category.name {
                fail(row, .categoryName, "分类\(category.code)在第\(earlier.row)行名为“\(earlier.name)”，此处为“\(category.name)”")
            }
            return
        }
        if let other = categoryByName[category.name] {
            return fail(row, .categoryName, "分类名称“\(category.name)”已用于分类\(other)")
        }
        categoryRows[category.code] = (category.name, row)
        categoryByName[category.name] = category.code
        categories.append(category)
    }

    private mutating func fail(_ row: Int, _ column: Column?, _ message: String) {
        errors.append(RowError(row: row, column: column?.rawValue, message))
    }

    private mutating func fail(_ row: Int, _ error: ValidationError) {
        fail(row, Column(field: error.field), error.message)
    }
}

/// A CSV reader after RFC 4180, lenient where spreadsheets are: any line end, a stray quote
/// inside an unquoted field kept as text.
enum CSVReader {
    struct Record {
        var fields: [String]
        /// Why the record could not be read reliably (unbalanced quotes).
        var problem: String?
    }

    static func records(_ text: String) -> [Record] {
        // Unicode scalars, not Characters: Swift joins "\r\n" into one Character, and a quote
        // followed by a combining mark would hide inside a grapheme cluster.
        var scalars = Array(text.unicodeScalars)[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false, closedQuote = false, atStart = true
        var problem: String?

        func endField() {
            fields.append(String(field))
            field = String.UnicodeScalarView()
            closedQuote = false
            atStart = true
        }
        func endRecord() {
            endField()
            records.append(Record(fields: fields, problem: problem))
            fields = []
            problem = nil
        }

        var i = scalars.startIndex
        while i < scalars.endIndex {
            let c = scalars[i]
            i += 1
            if inQuotes {
                if c != "\"" {
                    field.append(c)
                } else if i < scalars.endIndex && scalars[i] == "\"" {
                    field.append(c)
                    i += 1
                } else {
                    inQuotes = false
                    closedQuote = true
                }
                continue
            }
            switch c {
            case ",": endField()
            case "\r", "\n":
                if c == "\r", i < scalars.endIndex, scalars[i] == "\n" { i += 1 }
                endRecord()
            case "\"" where atStart:
                inQuotes = true
                atStart = false
            case " " where closedQuote, "\t" where closedQuote:
                break  // spaces between a closing quote and the separator
            default:
                if closedQuote && problem == nil { problem = "引号之后还有其他字符(字段内的英文双引号须写成两个)" }
                field.append(c)
                atStart = false
            }
        }
        if inQuotes { problem = "引号未闭合" }
        if !fields.isEmpty || !field.isEmpty || closedQuote || inQuotes { endRecord() }
        return records
    }
}
