import Foundation

/// One row as a person sees it in Excel: the number printed at the left edge and the cell texts.
///
/// Both readers give every cell as text, because what an office hands us is what its staff typed
/// (ID numbers, phone numbers, codes with leading zeros); deciding what a cell means is the
/// importer's job, and it can only do that well when it sees the text and the row number to cite
/// in its messages ("第 12 行：身份证号格式不对").
public struct SheetRow: Sendable, Equatable, Hashable {
    /// The 1-based spreadsheet row number (the header is row 1), counting blank rows that were
    /// skipped, so that messages point at the row the user sees.
    public var number: Int
    /// The cells from column A on. Rows may differ in length; use ``cell(_:)`` to read a column
    /// that a short row does not have.
    public var cells: [String]

    public init(number: Int, cells: [String]) {
        self.number = number
        self.cells = cells
    }

    /// The cell at a 0-based column, or "" when the row is shorter: an empty trailing cell is
    /// not written by Excel, so a missing cell and an empty one must read the same.
    public func cell(_ column: Int) -> String {
        column >= 0 && column < cells.count ? cells[column] : ""
    }

    /// True when every cell is empty; both readers skip such rows.
    public var isBlank: Bool { cells.allSatisfy(\.isEmpty) }
}

/// What a file's bytes say it is.
public enum SheetFormat: String, Sendable, Equatable {
    case csv
    case xlsx
}

/// What went wrong reading or writing a spreadsheet. Every message is given in Chinese and in
/// English because it is shown to the county staff who uploaded the file, and logged for us.
public enum SheetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are neither UTF-8 (nor UTF-16 with a BOM) nor GB18030.
    case undecodableText
    /// A quoted CSV field opened on this row was never closed.
    case unterminatedQuote(row: Int)
    /// The file is not a zip archive, so it cannot be an .xlsx.
    case notXLSX
    /// An old binary .xls (or WPS .et) workbook, which we do not read. A password-protected
    /// .xlsx is stored in the same compound-file container, so it lands here too.
    case legacyExcel
    /// A part every workbook needs is missing from the archive.
    case missingPart(String)
    /// The workbook has no worksheet of that name.
    case sheetNotFound(String)
    /// The workbook has no worksheet at all.
    case noWorksheet
    /// A part of the archive is not well-formed XML, or says something impossible.
    case malformedXML(part: String, detail: String)
    /// A part would unpack to more bytes than we accept (a zip bomb, or far too big a sheet).
    case partTooLarge(part: String)
    /// A sheet being written exceeds what Excel can hold.
    case sheetTooLarge(sheet: String, detail: String)
    /// A cell being written is longer than Excel's 32,767 characters.
    case cellTooLong(sheet: String, row: Int, column: Int)

    public var description: String {
        switch self {
        case .undecodableText:
            return "文件既不是 UTF-8 也不是 GB18030 编码的文本，无法读取 / "
                + "The file is neither UTF-8 nor GB18030 text"
        case .unterminatedQuote(let row):
            return "第 \(row) 行的引号没有闭合（从这一行开始的带引号单元格直到文件结尾都没有结束） / "
                + "Row \(row): a quoted field is not closed before the end of the file"
        case .notXLSX:
            return "不是有效的 xlsx 文件（文件不是 zip 压缩包，可能已损坏或只是改了扩展名） / "
                + "Not a valid .xlsx file: it is not a zip archive"
        case .legacyExcel:
            return "这是旧版 Excel（.xls/.et）文件或设置了打开密码的工作簿，请在 Excel 或 WPS 中取消密码并另存为 .xlsx 或 CSV 后再上传 / "
                + "This is a legacy .xls workbook or a password-protected one; remove the password, "
                + "save it as .xlsx or CSV and upload again"
        case .missingPart(let part):
            return "xlsx 文件不完整：缺少 \(part) / The .xlsx file is incomplete: \(part) is missing"
        case .sheetNotFound(let name):
            return "工作簿中没有名为「\(name)」的工作表 / The workbook has no sheet named \"\(name)\""
        case .noWorksheet:
            return "工作簿中没有任何工作表 / The workbook has no worksheet"
        case .malformedXML(let part, let detail):
            return "xlsx 文件内容有误（\(part)：\(detail)） / The .xlsx file is malformed (\(part): \(detail))"
        case .partTooLarge(let part):
            return "xlsx 文件中的 \(part) 解压后过大，拒绝读取 / \(part) unpacks to more data than we accept"
        case .sheetTooLarge(let sheet, let detail):
            return "工作表「\(sheet)」超出 Excel 的容量（\(detail)） / Sheet \"\(sheet)\" exceeds Excel's limits (\(detail))"
        case .cellTooLong(let sheet, let row, let column):
            return "工作表「\(sheet)」第 \(row) 行第 \(column) 列超过 Excel 单元格上限 32767 个字符 / "
                + "Sheet \"\(sheet)\", row \(row), column \(column): longer than Excel's 32,767 characters"
        }
    }
}

/// Reads an uploaded spreadsheet whatever its extension claims.
///
/// Users rename files, and download tools append ".xls" to CSV exports, so the bytes decide:
/// a zip archive is read as .xlsx, an OLE compound file is refused as legacy .xls, and
/// anything else is read as CSV.
public enum SheetReader {
    /// The format the bytes announce.
    public static func format(of data: Data) -> SheetFormat {
        data.starts(with: zipMagic) ? .xlsx : .csv
    }

    /// Reads every non-blank row of a CSV file or of one sheet of an .xlsx file.
    ///
    /// - Parameters:
    ///   - filename: used only to refuse, with a clear message, a file named .xlsx/.xls whose
    ///     bytes are no workbook; parsing such bytes as CSV would only produce nonsense rows.
    ///   - sheetName: for .xlsx, the sheet to read; the first visible sheet when nil.
    public static func read(data: Data, filename: String? = nil, sheetName: String? = nil) throws -> [SheetRow] {
        var rows: [SheetRow] = []
        try forEachRow(data: data, filename: filename, sheetName: sheetName) { rows.append($0) }
        return rows
    }

    /// Like ``read(data:filename:sheetName:)`` without holding every row at once.
    public static func forEachRow(
        data: Data,
        filename: String? = nil,
        sheetName: String? = nil,
        _ body: (SheetRow) throws -> Void
    ) throws {
        if data.starts(with: oleMagic) { throw SheetError.legacyExcel }
        switch format(of: data) {
        case .xlsx:
            try XLSXReader(data: data).forEachRow(sheetName: sheetName, body)
        case .csv:
            let lower = filename?.lowercased() ?? ""
            if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { throw SheetError.notXLSX }
            try CSVReader(data: data).forEachRow(body)
        }
    }

    static let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    static let oleMagic: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
}
