/// The two families of population roles.
public enum PopulationGroup: String, Codable, Sendable, Hashable, CaseIterable {
    /// 特殊人群 (and 重点青少年): managed by risk.
    case special
    /// 关爱对象: visited for their welfare.
    case care

    public var label: String { self == .special ? "特殊人群" : "关爱对象" }
}

/// What a role field holds.
public enum RoleFieldType: Sendable, Hashable {
    /// One code of the named table.
    case code(table: String)
    /// Several codes of the named table, stored joined by `,`.
    case codes(table: String)
    /// `yyyy-MM-dd`
    case date
    case text
    /// A non-negative decimal, written canonically.
    case number
    /// `true` or `false`
    case bool

    /// How a template describes the column.
    public var label: String {
        switch self {
        case .code(let table): "代码(\(table))"
        case .codes(let table): "多个代码(\(table))，以顿号分隔"
        case .date: "日期"
        case .text: "文字"
        case .number: "数字"
        case .bool: "是/否"
        }
    }

    /// The code table the field draws from.
    public var table: String? {
        switch self {
        case .code(let table), .codes(let table): table
        default: nil
        }
    }
}

/// One field a kind of role records beyond the person, e.g. 矫正类别 for 社区矫正.
public struct RoleField: Sendable, Hashable {
    /// Stored key, e.g. `category`.
    public let key: String
    /// Chinese name, also the spreadsheet header, e.g. `矫正类别`.
    public let label: String
    public let type: RoleFieldType
    public let required: Bool

    public init(key: String, label: String, type: RoleFieldType, required: Bool) {
        self.key = key
        self.label = label
        self.type = type
        self.required = required
    }
}

/// A kind of population role (社区矫正, 留守人员 …) as `population-roles.txt` defines it.
public struct PopulationRoleKind: Sendable, Hashable {
    /// Stored key, e.g. `correction`.
    public let key: String
    public let label: String
    public let group: PopulationGroup
    /// 关注程度 code given to a new role of this kind unless one is chosen.
    public let defaultAttention: String
    public let defaultVisitEveryDays: Int
    public let fields: [RoleField]
    /// Other names people use for the kind (`社区矫正人员`, `独居老人`).
    public let aliases: [String]

    public init(key: String, label: String, group: PopulationGroup, defaultAttention: String, defaultVisitEveryDays: Int,
                fields: [RoleField], aliases: [String] = []) {
        self.key = key
        self.label = label
        self.group = group
        self.defaultAttention = defaultAttention
        self.defaultVisitEveryDays = defaultVisitEveryDays
        self.fields = fields
        self.aliases = aliases
    }

    /// The field with this key or label.
    public func field(_ keyOrLabel: String) -> RoleField? {
        let text = CodeTable.key(keyOrLabel)
        return fields.first { $0.key == text } ?? fields.first { CodeTable.key($0.label) == text }
    }

    /// The kind's fields as stored: keys (given as keys or labels) checked against the kind,
    /// codes resolved from whatever the cell holds, several codes split on `、,，;；` and joined
    /// by `,` in code order, dates as `yyyy-MM-dd`, yes/no as `true`/`false`. Empty values count as absent and
    /// are left out. Each error's field is the field's key (or the unknown name as given).
    public func normalise(fields input: [String: String], tables: CodeTables) -> Result<[String: String], ValidationErrors> {
        var problems = Problems()
        var output: [String: String] = [:]
        var seenFrom: [String: String] = [:]
        for (name, raw) in input.sorted(by: { $0.key < $1.key }) {
            guard let field = field(name) else {
                problems.add(name, "“\(label)”没有“\(name)”这一项")
                continue
            }
            if let other = seenFrom[field.key] {
                problems.add(field.key, "“\(field.label)”重复填写(“\(other)”与“\(name)”)")
                continue
            }
            seenFrom[field.key] = name
            guard let value = Lenient.present(raw) else { continue }
            if let stored = normalise(value, of: field, tables: tables, problems: &problems) { output[field.key] = stored }
        }
        for field in fields where field.required && seenFrom[field.key].flatMap({ Lenient.present(input[$0]) }) == nil {
            problems.add(field.key, "请填写“\(field.label)”")
        }
        return problems.result { output }
    }

    private func normalise(_ value: String, of field: RoleField, tables: CodeTables, problems: inout Problems) -> String? {
        func bad(_ message: String) -> String? {
            problems.add(field.key, message)
            return nil
        }
        switch field.type {
        case .code(let name):
            guard let table = tables[name] else { return bad("代码表“\(name)”不存在") }
            return table.resolve(value) ?? bad("“\(field.label)”的值“\(value)”不在代码表中，\(table.choices())")
        case .codes(let name):
            guard let table = tables[name] else { return bad("代码表“\(name)”不存在") }
            let parts = value.split(whereSeparator: { "、,，;；".contains($0) }).map(\.trimmed).filter { !$0.isEmpty }
            var codes: [String] = [], unknown: [String] = []
            for part in parts {
                if let code = table.resolve(String(part)) {
                    if !codes.contains(code) { codes.append(code) }
                } else {
                    unknown.append(String(part))
                }
            }
            guard unknown.isEmpty else {
                return bad("“\(field.label)”中的“\(unknown.joined(separator: "、"))”不在代码表中，\(table.choices())")
            }
            return codes.isEmpty ? nil : codes.sorted().joined(separator: ",")
        case .date:
            do throws(ValidationError) {
                return try Day(lenient: value).description
            } catch {
                return bad("“\(field.label)”：\(error.message)")
            }
        case .text:
            guard value.count <= 200 else { return bad("“\(field.label)”不能超过200字") }
            return value
        case .number:
            return Lenient.canonicalNumber(value) ?? bad("“\(field.label)”应为不小于0的数字，收到“\(value)”")
        case .bool:
            return Lenient.bool(value).map { $0 ? "true" : "false" } ?? bad("“\(field.label)”应填“是”或“否”，收到“\(value)”")
        }
    }
}
