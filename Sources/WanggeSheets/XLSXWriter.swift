import Foundation
import ZIPFoundation

/// One column of a written sheet: its header, its width and, optionally, a dropdown.
public struct XLSXColumn: Sendable, Equatable {
    /// The header text in row 1.
    public var title: String
    /// Width in Excel's units (about one Latin character); nil fits it to the header and the
    /// first rows, counting a Chinese character as two.
    public var width: Double?
    /// When set, every cell below the header offers these values in a dropdown and rejects
    /// anything else, e.g. `["01=高", "02=中", "03=低"]`.
    public var allowedValues: [String]?

    public init(_ title: String, width: Double? = nil, allowedValues: [String]? = nil) {
        self.title = title
        self.width = width
        self.allowedValues = allowedValues
    }
}

/// One sheet to write: a header row of column titles, then the rows.
public struct XLSXSheet: Sendable, Equatable {
    /// The tab name. Characters Excel forbids (`[ ] : * ? / \`) become "_", it is cut to 31
    /// characters, and a name already used gets " (2)", " (3)"…: refusing an export because
    /// a report's title holds a slash would help nobody.
    public var name: String
    public var columns: [XLSXColumn]
    /// Data rows from row 2 on; a row may be shorter or longer than ``columns``.
    public var rows: [[String]]

    public init(name: String, columns: [XLSXColumn], rows: [[String]] = []) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}

/// Writes .xlsx workbooks for county offices to fill in or read.
///
/// Every cell is a string and every column is formatted as Text (`@`), so that an ID number,
/// a phone number or a code with leading zeros typed into an exported template stays exactly as
/// typed instead of becoming `1.10101E+17` or losing its zeros. The header row is bold and
/// frozen. A column's dropdown becomes a list data validation; a list too long for Excel's
/// 255-character inline limit, or holding commas or quotes, is kept on a hidden sheet and
/// referenced from there.
public struct XLSXWriter: Sendable {
    public var sheets: [XLSXSheet]

    /// Excel refuses an inline list validation whose text (items joined by commas) is longer.
    public static let maximumInlineListLength = 255
    static let maximumRows = 1_048_576
    static let maximumColumns = 16_384
    static let maximumCellLength = 32_767

    public init(sheets: [XLSXSheet] = []) {
        self.sheets = sheets
    }

    public mutating func append(_ sheet: XLSXSheet) {
        sheets.append(sheet)
    }

    /// The workbook as the bytes of an .xlsx file.
    ///
    /// - Throws: ``SheetError/noWorksheet`` without sheets, ``SheetError/sheetTooLarge(sheet:detail:)``
    ///   or ``SheetError/cellTooLong(sheet:row:column:)`` beyond Excel's limits.
    public func data() throws -> Data {
        guard !sheets.isEmpty else { throw SheetError.noWorksheet }
        let names = Self.uniqueNames(sheets.map(\.name) + ["选项列表"])
        var strings = SharedStrings()
        var lists = ListSheet(name: names[sheets.count])
        var parts: [(path: String, bytes: [UInt8])] = []
        for (index, sheet) in sheets.enumerated() {
            let xml = try WorksheetXML.make(
                sheet: sheet, name: names[index], selected: index == 0, strings: &strings, lists: &lists
            )
            parts.append(("xl/worksheets/sheet\(index + 1).xml", xml))
        }
        var sheetNames = Array(names.prefix(sheets.count))
        if !lists.columns.isEmpty {
            parts.append(("xl/worksheets/sheet\(sheets.count + 1).xml", try lists.xml(strings: &strings)))
            sheetNames.append(lists.name)
        }
        let hidden = lists.columns.isEmpty ? nil : sheetNames.count - 1
        parts.insert(("[Content_Types].xml", PackageXML.contentTypes(sheetCount: sheetNames.count)), at: 0)
        parts.insert(("_rels/.rels", PackageXML.rootRelationships()), at: 1)
        parts += [
            ("xl/workbook.xml", PackageXML.workbook(sheetNames: sheetNames, hiddenIndex: hidden)),
            ("xl/_rels/workbook.xml.rels", PackageXML.workbookRelationships(sheetCount: sheetNames.count)),
            ("xl/styles.xml", PackageXML.styles()),
            ("xl/sharedStrings.xml", strings.xml()),
        ]
        return try Self.zip(parts)
    }

    private static func zip(_ parts: [(path: String, bytes: [UInt8])]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for part in parts {
            let bytes = part.bytes
            try archive.addEntry(
                with: part.path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
            ) { position, size in
                let start = Int(position)
                return Data(bytes[start..<min(start + size, bytes.count)])
            }
        }
        guard let data = archive.data else { throw SheetError.missingPart("zip archive") }
        return data
    }

    /// Excel's rules for sheet names, applied by repair rather than refusal.
    static func uniqueNames(_ requested: [String]) -> [String] {
        var used = Set<String>()
        return requested.map { raw in
            var name = String(raw.map { "[]:*?/\\".contains($0) ? "_" : $0 })
            name = XMLText.sanitized(name).replacingOccurrences(of: "\n", with: " ").trimmingSpaces
            while name.hasPrefix("'") { name.removeFirst() }
            while name.hasSuffix("'") { name.removeLast() }
            if name.isEmpty { name = "Sheet" }
            // Excel reserves "History" for its change tracking.
            if name.lowercased() == "history" { name += "_" }
            name = String(name.prefix(31))
            var candidate = name
            var counter = 2
            while used.contains(candidate.lowercased()) {
                let suffix = " (\(counter))"
                candidate = String(name.prefix(31 - suffix.count)) + suffix
                counter += 1
            }
            used.insert(candidate.lowercased())
            return candidate
        }
    }
}

/// The workbook's shared string table: each distinct text once, cells refer to it by index.
struct SharedStrings {
    private var indices: [String: Int] = [:]
    private(set) var texts: [String] = []
    private(set) var references = 0

    mutating func index(of text: String) -> Int {
        references += 1
        if let index = indices[text] { return index }
        let index = texts.count
        indices[text] = index
        texts.append(text)
        return index
    }

    func xml() -> [UInt8] {
        var xml = XMLBuffer()
        xml.raw(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#)
        xml.raw(#"count="\#(references)" uniqueCount="\#(texts.count)">"#)
        for text in texts {
            // Without xml:space="preserve" readers may drop leading and trailing spaces.
            let preserve = text.utf8.first?.isXMLSpace == true || text.utf8.last?.isXMLSpace == true
            xml.raw(preserve ? #"<si><t xml:space="preserve">"# : "<si><t>")
            xml.text(text)
            xml.raw("</t></si>")
        }
        xml.raw("</sst>")
        return xml.bytes
    }
}

/// The hidden sheet holding dropdown lists too long to write inline, one list per column.
struct ListSheet {
    let name: String
    private(set) var columns: [[String]] = []

    init(name: String) {
        self.name = name
    }

    /// Stores a list and returns the absolute range a validation refers to.
    mutating func reference(for values: [String]) -> String {
        if let existing = columns.firstIndex(of: values) { return range(column: existing, count: values.count) }
        columns.append(values)
        return range(column: columns.count - 1, count: values.count)
    }

    private func range(column: Int, count: Int) -> String {
        let letters = CellReference.column(column + 1)
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        return "\(quoted)!$\(letters)$1:$\(letters)$\(count)"
    }

    func xml(strings: inout SharedStrings) throws -> [UInt8] {
        let height = columns.map(\.count).max() ?? 0
        var rows: [[String]] = Array(repeating: [], count: height)
        for (column, values) in columns.enumerated() {
            for (row, value) in values.enumerated() {
                rows[row] += Array(repeating: "", count: column - rows[row].count) + [value]
            }
        }
        return try WorksheetXML.body(
            sheetName: name, rows: rows, firstRow: 1, header: nil, widths: [], selected: false,
            validations: [], strings: &strings
        )
    }
}

enum CellReference {
    /// 1 → "A", 27 → "AA".
    static func column(_ number: Int) -> String {
        var number = number
        var letters: [UInt8] = []
        while number > 0 {
            let remainder = (number - 1) % 26
            letters.insert(UInt8(ascii: "A") + UInt8(remainder), at: 0)
            number = (number - 1) / 26
        }
        return String(decoding: letters, as: UTF8.self)
    }
}
