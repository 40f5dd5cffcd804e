import Foundation

/// Reads the cells of an .xlsx workbook as Excel, WPS and LibreOffice save it, as text.
///
/// Every cell comes back as the text a person saw: shared and inline strings as written,
/// booleans as TRUE/FALSE, numbers without exponent or a trailing ".0", and numbers in a date
/// or time format as "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "HH:MM". Formulas give their cached
/// result. Row numbers come from the sheet (`<row r>`), so they match what Excel shows even
/// when rows are missing; rows whose cells are all empty are skipped, and trailing empty cells
/// are dropped.
public struct XLSXReader {
    private let package: XLSXPackage
    private let workbook: XLSXWorkbook

    /// Opens the workbook and reads its sheet list, shared strings and styles.
    ///
    /// - Throws: ``SheetError/notXLSX`` when the bytes are no zip archive,
    ///   ``SheetError/missingPart(_:)`` when there is no workbook inside.
    public init(data: Data) throws {
        package = try XLSXPackage(data: data)
        workbook = try XLSXWorkbook(package: package)
    }

    /// The names of all sheets in tab order, hidden ones included.
    public var sheetNames: [String] { workbook.sheets.map(\.name) }

    /// Calls `body` with every non-blank row of a sheet in order.
    ///
    /// - Parameter sheetName: the sheet to read; when nil, the first visible worksheet, because
    ///   that is the one the user sees on opening the file (templates often keep their dropdown
    ///   lists on a hidden sheet).
    public func forEachRow(sheetName: String? = nil, _ body: (SheetRow) throws -> Void) throws {
        let sheet = try self.sheet(named: sheetName)
        guard let path = sheet.path else { throw SheetError.missingPart("worksheet \(sheet.name)") }
        guard let bytes = try package.read(path) else { throw SheetError.missingPart(path) }
        var parser = SheetParser(workbook: workbook, scanner: XMLScanner(bytes: bytes, part: path))
        try parser.parse(body)
    }

    /// Every non-blank row of a sheet.
    public func rows(sheetName: String? = nil) throws -> [SheetRow] {
        var rows: [SheetRow] = []
        try forEachRow(sheetName: sheetName) { rows.append($0) }
        return rows
    }

    private func sheet(named name: String?) throws -> XLSXWorkbook.Sheet {
        if let name {
            guard let sheet = workbook.sheets.first(where: { $0.name == name }) else {
                throw SheetError.sheetNotFound(name)
            }
            guard sheet.isWorksheet else { throw SheetError.sheetNotFound(name) }
            return sheet
        }
        let worksheets = workbook.sheets.filter(\.isWorksheet)
        guard let first = worksheets.first(where: \.isVisible) ?? worksheets.first else { throw SheetError.noWorksheet }
        return first
    }
}

/// Walks one worksheet part and turns its `<row>`/`<c>` elements into ``SheetRow``s.
private struct SheetParser {
    let workbook: XLSXWorkbook
    var scanner: XMLScanner

    /// Excel's own limits; a reference beyond them is a damaged or hostile file.
    static let maximumColumns = 16_384
    static let maximumRows = 1_048_576

    private var rowNumber = 0
    /// Set for a `<row>` without `r`: its first cell reference, if any, tells the number.
    private var rowNumberFromCells = false
    private var cells: [String] = []
    private var column = 0
    private var cellType = ""
    private var cellStyle = 0
    private var value = ""
    private var inlineText = ""
    private var inValue = false, inInline = false, inInlineText = false, hasInline = false
    private var phoneticDepth = 0

    init(workbook: XLSXWorkbook, scanner: XMLScanner) {
        self.workbook = workbook
        self.scanner = scanner
    }

    mutating func parse(_ body: (SheetRow) throws -> Void) throws {
        var inSheetData = false
        while let event = try scanner.next() {
            switch event {
            case .start("sheetData", _):
                inSheetData = true
            case .end("sheetData"):
                inSheetData = false
            case .start("row", let attributes) where inSheetData:
                if let text = attributes.value("r") {
                    guard let number = Int(text.trimmingSpaces), number > 0, number <= Self.maximumRows else {
                        throw malformed("row number \(text)")
                    }
                    rowNumber = number
                    rowNumberFromCells = false
                } else {
                    rowNumber += 1
                    rowNumberFromCells = true
                }
                cells.removeAll(keepingCapacity: true)
                column = 0
            case .end("row") where inSheetData:
                while cells.last?.isEmpty == true { cells.removeLast() }
                if !cells.isEmpty { try body(SheetRow(number: rowNumber, cells: cells)) }
            case .start("c", let attributes) where inSheetData:
                try startCell(attributes)
            case .end("c") where inSheetData:
                try endCell()
            case .start("v", _):
                inValue = true
            case .end("v"):
                inValue = false
            case .start("is", _):
                inInline = true
                hasInline = true
            case .end("is"):
                inInline = false
            case .start("rPh", _):
                phoneticDepth += 1
            case .end("rPh"):
                phoneticDepth -= 1
            case .start("t", _):
                inInlineText = inInline && phoneticDepth == 0
            case .end("t"):
                inInlineText = false
            case .text(let range) where inValue:
                value += scanner.text(range)
            case .text(let range) where inInlineText:
                inlineText += scanner.text(range)
            default:
                break
            }
        }
    }

    private mutating func startCell(_ attributes: [XMLScanner.Attribute]) throws {
        if let reference = attributes.value("r") {
            guard let index = Self.columnIndex(of: reference) else { throw malformed("cell reference \(reference)") }
            column = index
            if rowNumberFromCells {
                rowNumberFromCells = false
                let digits = reference.drop(while: { !$0.isNumber })
                if let number = Int(digits), number > 0, number <= Self.maximumRows { rowNumber = number }
            }
        } else {
            column += 1
            rowNumberFromCells = false
        }
        cellType = attributes.value("t") ?? "n"
        cellStyle = attributes.value("s").flatMap { Int($0) } ?? 0
        value = ""
        inlineText = ""
        hasInline = false
    }

    private mutating func endCell() throws {
        let text = try cellText()
        guard !text.isEmpty else { return }
        let index = column - 1
        if cells.count <= index {
            cells.append(contentsOf: repeatElement("", count: index + 1 - cells.count))
        }
        cells[index] = text
    }

    private func cellText() throws -> String {
        if hasInline { return ExcelValues.unescapeOOXML(inlineText) }
        switch cellType {
        case "s":
            let trimmed = value.trimmingSpaces
            guard !trimmed.isEmpty else { return "" }
            guard let index = Int(trimmed), workbook.sharedStrings.indices.contains(index) else {
                throw malformed("shared string \(trimmed) does not exist")
            }
            return workbook.sharedStrings[index]
        case "str", "inlineStr":
            return ExcelValues.unescapeOOXML(value)
        case "b":
            switch value.trimmingSpaces {
            case "1", "true": return "TRUE"
            case "0", "false": return "FALSE"
            default: return value
            }
        case "e":
            return value.trimmingSpaces
        case "d":
            return Self.isoDateText(value.trimmingSpaces)
        default:
            let stored = value.trimmingSpaces
            guard !stored.isEmpty else { return "" }
            if workbook.dateStyles.indices.contains(cellStyle), let style = workbook.dateStyles[cellStyle],
               let serial = Double(stored),
               let date = ExcelValues.dateText(serial: serial, style: style, date1904: workbook.date1904) {
                return date
            }
            return ExcelValues.numberText(stored)
        }
    }

    /// A `t="d"` cell holds ISO 8601 text; shown the way date-styled serials are.
    private static func isoDateText(_ text: String) -> String {
        let parts = text.split(separator: "T", maxSplits: 1)
        guard parts.count == 2 else { return text }
        let time = parts[1].prefix(8)
        if time == "00:00:00" || time == "00:00" { return String(parts[0]) }
        let clock = time.count == 8 && time.hasSuffix(":00") ? time.prefix(5) : time
        return String(parts[0]) + " " + String(clock)
    }

    /// "AB12" → 28. Only the letters matter; "$" (never written by Excel in `r`) is tolerated.
    static func columnIndex(of reference: String) -> Int? {
        var index = 0
        for byte in reference.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): index = index * 26 + Int(byte - UInt8(ascii: "A")) + 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): index = index * 26 + Int(byte - UInt8(ascii: "a")) + 1
            case UInt8(ascii: "$"): continue
            default:
                return index > 0 && index <= maximumColumns ? index : nil
            }
            if index > maximumColumns { return nil }
        }
        return index > 0 ? index : nil
    }

    private func malformed(_ detail: String) -> SheetError {
        SheetError.malformedXML(part: scanner.part, detail: detail)
    }
}
