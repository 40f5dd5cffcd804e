/// Which register a spreadsheet fills.
public enum RegisterSheetKind: Hashable, Sendable {
    case buildings
    case houses
    case people
    case residences
    case organisations
    case components
    /// One sheet per kind of population role, by the kind's key.
    case roles(String)

    /// Stable id for URLs and file names: `people`, `roles:correction`.
    public var id: String {
        switch self {
        case .buildings: "buildings"
        case .houses: "houses"
        case .people: "people"
        case .residences: "residences"
        case .organisations: "organisations"
        case .components: "components"
        case .roles(let key): "roles:\(key)"
        }
    }

    /// The kind of an id; a role kind's key is not checked here (`RegisterSheet.of` does).
    public init?(id: String) {
        switch id {
        case "buildings": self = .buildings
        case "houses": self = .houses
        case "people": self = .people
        case "residences": self = .residences
        case "organisations": self = .organisations
        case "components": self = .components
        default:
            guard id.hasPrefix("roles:"), id.count > 6 else { return nil }
            self = .roles(String(id.dropFirst(6)))
        }
    }
}

/// One column of a register spreadsheet.
public struct SheetColumn: Sendable, Hashable {
    /// Chinese header, e.g. `证件号码`.
    public let header: String
    /// The input field it fills (`certificateNumber`; `fields.category` for a role's own field),
    /// also the `ValidationError.field` its problems carry.
    public let field: String
    public let required: Bool
    /// Code table of the column's values, for dropdowns in templates.
    public let table: String?
    /// A value that passes, for the template's example row; the examples of a sheet together
    /// make a valid row.
    public let example: String
    /// What to write, for the template's note row.
    public let note: String
    /// Other headers people use for the column (`身份证号` for `证件号码`).
    public let aliases: [String]

    public init(header: String, field: String, required: Bool = false, table: String? = nil, example: String = "", note: String = "",
                aliases: [String] = []) {
        self.header = header
        self.field = field
        self.required = required
        self.table = table
        self.example = example
        self.note = note
        self.aliases = aliases
    }

    /// The header as a template writes it: required columns marked `*`.
    public var templateHeader: String { required ? header + "*" : header }

    /// True when a header cell (already normalised) names this column.
    func matches(_ normalised: String) -> Bool {
        SheetColumn.normalise(header) == normalised || aliases.contains { SheetColumn.normalise($0) == normalised }
    }

    /// A header cell without spaces, full-width forms or the `*` marking required columns.
    static func normalise(_ cell: String) -> String {
        let text = Lenient.fold(cell).filter { !$0.isWhitespace }
        return String(text.drop { $0 == "*" }.reversed().drop { $0 == "*" }.reversed())
    }
}

/// Where each column of a sheet is in an uploaded file.
public struct ColumnMap: Sendable, Hashable {
    /// Position in the row, by field.
    public let positions: [String: Int]
    /// Header cells naming no column of the sheet, as written; their cells are not read.
    public let ignored: [String]

    public init(positions: [String: Int], ignored: [String] = []) {
        self.positions = positions
        self.ignored = ignored
    }

    /// The cell of `field` in a row, nil when the column is absent or the cell empty.
    public func cell(_ field: String, in cells: [String]) -> String? {
        guard let index = positions[field], index < cells.count else { return nil }
        return Lenient.present(cells[index])
    }
}
