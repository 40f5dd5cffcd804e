/// The level expected to handle an item (分级处置: "小事不出村组、大事不出乡镇").
public enum HandlingLevel: String, CaseIterable, Codable, Sendable {
    case grid
    case community
    case township
    case county

    public var label: String {
        switch self {
        case .grid: "网格"
        case .community: "村(社区)"
        case .township: "乡镇(街道)"
        case .county: "县级"
        }
    }

    /// The level of the tree whose center handles it.
    public var gridLevel: GridLevel {
        switch self {
        case .grid: .grid
        case .community: .community
        case .township: .township
        case .county: .county
        }
    }
}

/// How fast an item must be dispatched and handled.
public enum Priority: String, CaseIterable, Codable, Sendable {
    case normal
    case high
    case urgent

    public var label: String {
        switch self {
        case .normal: "一般"
        case .high: "较急"
        case .urgent: "紧急"
        }
    }
}

/// A category of the catalog (事件大类), e.g. `01 矛盾纠纷`.
public struct CatalogCategory: Hashable, Codable, Sendable {
    /// Two digits, `01`–`99`.
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }

    public func validate() throws(ValidationError) {
        try Self.validate(code: code)
        try validateCatalogName(name, field: "categoryName", what: "分类名称", max: 20)
    }

    static func validate(code: String) throws(ValidationError) {
        guard Catalog.isCode(code, count: 2), code != "00" else {
            throw ValidationError(field: "categoryCode", "分类编码须为两位数字(01–99)，收到“\(code)”")
        }
    }
}

/// One item of the event catalog and of the responsibility list (事件清单、责任清单): what the
/// problem is, who is responsible, at which level it is handled and how fast.
public struct CatalogItem: Hashable, Codable, Sendable {
    /// Four digits: the category's two, then the item's two (`0101`).
    public var code: String
    public var categoryCode: String
    public var name: String
    /// The responsible departments, the lead first ("谁主管谁负责").
    public var departments: [DepartmentKind]
    public var level: HandlingLevel
    public var deadline: DeadlineSpec
    public var priority: Priority
    /// Whether citizens may report it (随手拍); some items only grid workers report.
    public var citizenReportable: Bool
    public var description: String?

    public init(code: String, categoryCode: String, name: String, departments: [DepartmentKind], level: HandlingLevel,
                deadline: DeadlineSpec, priority: Priority, citizenReportable: Bool, description: String? = nil) {
        self.code = code
        self.categoryCode = categoryCode
        self.name = name
        self.departments = departments
        self.level = level
        self.deadline = deadline
        self.priority = priority
        self.citizenReportable = citizenReportable
        self.description = description
    }

    /// The lead department.
    public var leadDepartment: DepartmentKind? { departments.first }

    /// Checks the item's own fields. Error fields: `code`, `categoryCode`, `name`,
    /// `departments`, `level`, `deadline`, `priority`, `description`.
    public func validate() throws(ValidationError) {
        guard Catalog.isCode(code, count: 4), !code.hasSuffix("00") else {
            throw ValidationError(field: "code", "事项编码须为四位数字(分类编码两位+事项序号两位，序号不能为00)，收到“\(code)”")
        }
        try CatalogCategory.validate(code: categoryCode)
        guard code.hasPrefix(categoryCode) else {
            throw ValidationError(field: "code", "事项编码\(code)须以分类编码\(categoryCode)开头")
        }
        try validateCatalogName(name, field: "name", what: "事项名称", max: 50)
        guard !departments.isEmpty else { throw ValidationError(field: "departments", "至少需要一个责任部门") }
        guard Set(departments).count == departments.count else {
            throw ValidationError(field: "departments", "责任部门重复：\(departments.map(\.label).joined(separator: "、"))")
        }
        // Emergencies need a command center and departments at once, not a grid or a village.
        if priority == .urgent && !(level == .township || level == .county) {
            throw ValidationError(field: "level", "紧急事项须由乡镇(街道)或县级处置")
        }
        try deadline.validate()
        if priority == .urgent && !deadline.isInHours {
            throw ValidationError(field: "priority", "紧急事项的处置时限须以工作小时计，收到\(deadline.label)")
        }
        if let description {
            if description.count > 500 { throw ValidationError(field: "description", "说明不能超过500个字") }
            try rejectFormulaStart(description, field: "description", what: "说明")
        }
    }
}

/// The catalog: its categories and items, each kept in code order so that two catalogs with the
/// same content are equal and the exported file is stable.
public struct Catalog: Hashable, Codable, Sendable {
    public let categories: [CatalogCategory]
    public let items: [CatalogItem]

    public init(categories: [CatalogCategory], items: [CatalogItem]) {
        self.categories = categories.sorted { $0.code < $1.code }
        self.items = items.sorted { $0.code < $1.code }
    }

    public static let empty = Catalog(categories: [], items: [])

    private enum CodingKeys: String, CodingKey { case categories, items }

    /// Decoding goes through `init(categories:items:)` so the order rule holds for stored catalogs too.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(categories: try c.decode([CatalogCategory].self, forKey: .categories),
                  items: try c.decode([CatalogItem].self, forKey: .items))
    }

    public func item(_ code: String) -> CatalogItem? { items.first { $0.code == code } }

    public func category(_ code: String) -> CatalogCategory? { categories.first { $0.code == code } }

    public func items(inCategory code: String) -> [CatalogItem] { items.filter { $0.categoryCode == code } }

    /// Every category and item valid; codes and category names unique; each item's category
    /// exists. The error names the offending code.
    public func validate() throws(ValidationError) {
        var codes = Set<String>(), names = Set<String>()
        for c in categories {
            try c.validate()
            guard codes.insert(c.code).inserted else { throw ValidationError(field: "categoryCode", "分类编码重复：\(c.code)") }
            guard names.insert(c.name).inserted else { throw ValidationError(field: "categoryName", "分类名称重复：\(c.name)") }
        }
        var itemCodes = Set<String>()
        for item in items {
            do throws(ValidationError) {
                try item.validate()
            } catch {
                throw ValidationError(field: error.field, "事项\(item.code)：\(error.message)")
            }
            guard itemCodes.insert(item.code).inserted else { throw ValidationError(field: "code", "事项编码重复：\(item.code)") }
            guard codes.contains(item.categoryCode) else {
                throw ValidationError(field: "categoryCode", "事项\(item.code)的分类\(item.categoryCode)不存在")
            }
        }
    }
}

extension Catalog {
    /// `count` ASCII digits.
    static func isCode(_ s: String, count: Int) -> Bool {
        s.utf8.count == count && s.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }
}

private func validateCatalogName(_ name: String, field: String, what: String, max: Int) throws(ValidationError) {
    if name.allSatisfy(\.isWhitespace) { throw ValidationError(field: field, "\(what)不能为空") }
    if name.count > max { throw ValidationError(field: field, "\(what)不能超过\(max)个字") }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        throw ValidationError(field: field, "\(what)含有控制字符")
    }
    try rejectFormulaStart(name, field: field, what: what)
}

/// The catalog travels as CSV opened in spreadsheet software, which runs a cell starting with
/// one of these as a formula (CSV injection); no real name or note needs to start so.
private func rejectFormulaStart(_ text: String, field: String, what: String) throws(ValidationError) {
    if let first = text.first, "=+-@".contains(first) {
        throw ValidationError(field: field, "\(what)不能以=、+、-、@开头(表格软件会当作公式执行)")
    }
}

extension Catalog {
    /// Categories whose events can be followed by their own reporter but are never listed to the
    /// public, nor shown with their place, text or photo: a tip about drugs or a quarrel between
    /// neighbours must not point anyone at a door.
    public static let confidentialCategoryNames: Set<String> = ["矛盾纠纷", "治安隐患", "特殊人群", "信访维稳"]

    public func isConfidential(_ item: CatalogItem) -> Bool {
        Self.confidentialCategoryNames.contains(category(item.categoryCode)?.name ?? "")
    }
}
