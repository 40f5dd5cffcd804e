/// What a workbook says about itself and what every sheet needs to be read: its sheets in tab
/// order, the date system, the shared strings and which cell styles show dates.
struct XLSXWorkbook {
    struct Sheet {
        var name: String
        /// The worksheet part, or nil when the workbook points nowhere for this sheet.
        var path: String?
        var isVisible: Bool
        /// False for chart sheets and the like, which hold no cells.
        var isWorksheet: Bool
    }

    var sheets: [Sheet] = []
    /// Workbooks made by old Excel for Mac count days from 1904-01-01.
    var date1904 = false
    var sharedStrings: [String] = []
    /// By cell style index (`s` of a cell): how a number in that style is shown, when as a date.
    var dateStyles: [DateStyle?] = []

    init(package: XLSXPackage) throws {
        let root = try package.relationships(of: "")
        let workbookPath = root.first { $0.isType("officeDocument") }?.target ?? "xl/workbook.xml"
        guard let workbookBytes = try package.read(workbookPath) else {
            throw SheetError.missingPart("xl/workbook.xml")
        }
        let relationships = try package.relationships(of: workbookPath)
        try readWorkbook(workbookBytes, part: workbookPath, relationships: relationships)

        let directory = XLSXPackage.directory(of: workbookPath)
        func part(_ kind: String, fallback: String) -> String {
            relationships.first { $0.isType(kind) }?.target
                ?? (directory.isEmpty ? fallback : directory + "/" + fallback)
        }
        let stringsPath = part("sharedStrings", fallback: "sharedStrings.xml")
        if let bytes = try package.read(stringsPath) {
            sharedStrings = try Self.readSharedStrings(bytes, part: stringsPath)
        }
        let stylesPath = part("styles", fallback: "styles.xml")
        if let bytes = try package.read(stylesPath) {
            dateStyles = try Self.readDateStyles(bytes, part: stylesPath)
        }
    }

    private mutating func readWorkbook(_ bytes: [UInt8], part: String, relationships: [XLSXPackage.Relationship]) throws {
        var scanner = XMLScanner(bytes: bytes, part: part)
        while let event = try scanner.next() {
            guard case .start(let name, let attributes) = event else { continue }
            switch name {
            case "workbookPr":
                let value = attributes.value("date1904")
                date1904 = value == "1" || value == "true"
            case "sheet":
                // `r:id` is the only attribute of <sheet> whose local name is "id".
                let relationship = attributes.value("id").flatMap { id in relationships.first { $0.id == id } }
                let state = attributes.value("state") ?? "visible"
                sheets.append(Sheet(
                    name: attributes.value("name") ?? "Sheet\(sheets.count + 1)",
                    path: relationship?.target,
                    isVisible: state == "visible",
                    isWorksheet: relationship.map { $0.isType("worksheet") } ?? true
                ))
            default:
                break
            }
        }
    }

    /// The shared string table: the text of each `<si>`, plain (`<t>`) or rich (runs of
    /// `<r><t>`), without phonetic guides (`<rPh>`), which are annotations, not text.
    static func readSharedStrings(_ bytes: [UInt8], part: String) throws -> [String] {
        var scanner = XMLScanner(bytes: bytes, part: part)
        var strings: [String] = []
        var current = ""
        var inItem = false, inText = false, phoneticDepth = 0
        while let event = try scanner.next() {
            switch event {
            case .start("sst", let attributes):
                if let count = attributes.value("uniqueCount").flatMap(Int.init), count > 0, count < 10_000_000 {
                    strings.reserveCapacity(count)
                }
            case .start("si", _):
                inItem = true
                current = ""
            case .start("rPh", _):
                phoneticDepth += 1
            case .end("rPh"):
                phoneticDepth -= 1
            case .start("t", _):
                inText = inItem && phoneticDepth == 0
            case .end("t"):
                inText = false
            case .text(let range) where inText:
                current += scanner.text(range)
            case .end("si"):
                strings.append(ExcelValues.unescapeOOXML(current))
                inItem = false
            default:
                break
            }
        }
        return strings
    }

    /// For each cell format (`cellXfs/xf`), the date style of its number format.
    static func readDateStyles(_ bytes: [UInt8], part: String) throws -> [DateStyle?] {
        var scanner = XMLScanner(bytes: bytes, part: part)
        var customCodes: [Int: String] = [:]
        var formatIDs: [Int] = []
        var inCellFormats = false
        while let event = try scanner.next() {
            switch event {
            case .start("numFmt", let attributes):
                if let id = attributes.value("numFmtId").flatMap(Int.init), let code = attributes.value("formatCode") {
                    customCodes[id] = code
                }
            case .start("cellXfs", _):
                inCellFormats = true
            case .end("cellXfs"):
                inCellFormats = false
            case .start("xf", let attributes) where inCellFormats:
                formatIDs.append(attributes.value("numFmtId").flatMap(Int.init) ?? 0)
            default:
                break
            }
        }
        return formatIDs.map { ExcelValues.dateStyle(numberFormatID: $0, code: customCodes[$0]) }
    }
}

extension [XMLScanner.Attribute] {
    func value(_ name: String) -> String? {
        first { $0.name == name }?.value
    }
}
