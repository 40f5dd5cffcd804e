/// Cell formats of the written styles.xml, by index into `cellXfs`.
enum CellFormat {
    /// Text (`@`, built-in number format 49): what keeps typed ID and phone numbers as typed.
    static let text = 1
    /// Text, bold: the header row.
    static let header = 2
}

/// A worksheet part of a written workbook.
enum WorksheetXML {
    static func make(
        sheet: XLSXSheet, name: String, selected: Bool, strings: inout SharedStrings, lists: inout ListSheet
    ) throws -> [UInt8] {
        var validations: [(column: Int, formula: String)] = []
        for (index, column) in sheet.columns.enumerated() {
            guard let values = column.allowedValues?.map(XMLText.sanitized), !values.isEmpty else { continue }
            let joined = values.joined(separator: ",")
            // Excel splits an inline list on commas and has no escape for a quote inside it.
            let fitsInline = joined.utf16.count <= XLSXWriter.maximumInlineListLength
                && !values.contains { $0.contains(",") || $0.contains("\"") }
            validations.append((index, fitsInline ? "\"" + joined + "\"" : lists.reference(for: values)))
        }
        let widths = sheet.columns.enumerated().map { index, column in
            column.width ?? fittedWidth(title: column.title, rows: sheet.rows, column: index)
        }
        return try body(
            sheetName: name, rows: sheet.rows, firstRow: 2, header: sheet.columns.map(\.title), widths: widths,
            selected: selected, validations: validations, strings: &strings
        )
    }

    /// - Parameters:
    ///   - header: written bold in row 1 and frozen there; `rows` then start at `firstRow` = 2.
    static func body(
        sheetName: String, rows: [[String]], firstRow: Int, header: [String]?, widths: [Double], selected: Bool,
        validations: [(column: Int, formula: String)], strings: inout SharedStrings
    ) throws -> [UInt8] {
        let lastRow = firstRow + rows.count - 1
        let columnCount = max(header?.count ?? 0, rows.map(\.count).max() ?? 0, widths.count)
        guard lastRow <= XLSXWriter.maximumRows else {
            throw SheetError.sheetTooLarge(sheet: sheetName, detail: "\(lastRow) 行 / rows")
        }
        guard columnCount <= XLSXWriter.maximumColumns else {
            throw SheetError.sheetTooLarge(sheet: sheetName, detail: "\(columnCount) 列 / columns")
        }
        var xml = XMLBuffer()
        xml.raw(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#)
        xml.raw(#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        let bottom = max(lastRow, 1)
        let right = CellReference.column(max(columnCount, 1))
        xml.raw(#"<dimension ref="A1:\#(right)\#(bottom)"/>"#)
        xml.raw(#"<sheetViews><sheetView workbookViewId="0"\#(selected ? #" tabSelected="1""# : "")>"#)
        if header != nil {
            xml.raw(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#)
            xml.raw(#"<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>"#)
        }
        xml.raw(#"</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>"#)
        for (index, width) in widths.enumerated() {
            let number = index + 1
            xml.raw(#"<col min="\#(number)" max="\#(number)" width="\#(format(width))" "#)
            xml.raw(#"style="\#(CellFormat.text)" customWidth="1"/>"#)
        }
        // Columns past the header are Text too, for whatever a user adds to the right.
        if widths.count < XLSXWriter.maximumColumns {
            xml.raw(#"<col min="\#(widths.count + 1)" max="\#(XLSXWriter.maximumColumns)" width="9" style="\#(CellFormat.text)"/>"#)
        }
        xml.raw("</cols><sheetData>")
        if let header {
            try writeRow(header, number: 1, format: CellFormat.header, sheetName: sheetName, into: &xml, strings: &strings)
        }
        for (offset, row) in rows.enumerated() {
            try writeRow(row, number: firstRow + offset, format: CellFormat.text, sheetName: sheetName, into: &xml, strings: &strings)
        }
        xml.raw("</sheetData>")
        if !validations.isEmpty {
            xml.raw(#"<dataValidations count="\#(validations.count)">"#)
            for validation in validations {
                let letters = CellReference.column(validation.column + 1)
                xml.raw(#"<dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" "#)
                xml.raw(#"errorTitle="输入有误" error="请从下拉列表中选择 / Choose a value from the list" "#)
                xml.raw(#"sqref="\#(letters)2:\#(letters)\#(XLSXWriter.maximumRows)">"#)
                xml.element("formula1", text: validation.formula)
                xml.raw("</dataValidation>")
            }
            xml.raw("</dataValidations>")
        }
        xml.raw(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>"#)
        return xml.bytes
    }

    private static func writeRow(
        _ cells: [String], number: Int, format: Int, sheetName: String, into xml: inout XMLBuffer, strings: inout SharedStrings
    ) throws {
        guard cells.contains(where: { !$0.isEmpty }) else { return }
        xml.raw("<row r=\"")
        xml.decimal(number)
        xml.raw("\">")
        let style = "\" s=\"\(format)\" t=\"s\"><v>"
        for (index, cell) in cells.enumerated() where !cell.isEmpty {
            if cell.utf8.count > XLSXWriter.maximumCellLength,
               XMLText.sanitized(cell).utf16.count > XLSXWriter.maximumCellLength {
                throw SheetError.cellTooLong(sheet: sheetName, row: number, column: index + 1)
            }
            xml.raw("<c r=\"")
            xml.cellReference(column: index + 1, row: number)
            xml.raw(style)
            xml.decimal(strings.index(of: cell))
            xml.raw("</v></c>")
        }
        xml.raw("</row>")
    }

    /// A width that shows the header and the first rows, a CJK character counting as two.
    static func fittedWidth(title: String, rows: [[String]], column: Int) -> Double {
        var widest = displayWidth(title) + 2
        for row in rows.prefix(500) where column < row.count {
            widest = max(widest, displayWidth(row[column]) + 1)
        }
        return Double(min(max(widest, 8), 60))
    }

    static func displayWidth(_ text: String) -> Int {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x2E80 ? 2 : 1) }
        }.max() ?? 0
    }

    private static func format(_ width: Double) -> String {
        let hundredths = Int((width * 100).rounded())
        return hundredths % 100 == 0 ? "\(hundredths / 100)" : "\(Double(hundredths) / 100)"
    }
}

/// The fixed parts of a written package.
enum PackageXML {
    private static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipTypes = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    private static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
    private static let officeTypes = "application/vnd.openxmlformats-officedocument.spreadsheetml"

    static func contentTypes(sheetCount: Int) -> [UInt8] {
        var xml = XMLBuffer()
        xml.raw(#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#)
        xml.raw(#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#)
        xml.raw(#"<Default Extension="xml" ContentType="application/xml"/>"#)
        xml.raw(#"<Override PartName="/xl/workbook.xml" ContentType="\#(officeTypes).sheet.main+xml"/>"#)
        for number in 1...max(sheetCount, 1) {
            xml.raw(#"<Override PartName="/xl/worksheets/sheet\#(number).xml" ContentType="\#(officeTypes).worksheet+xml"/>"#)
        }
        xml.raw(#"<Override PartName="/xl/styles.xml" ContentType="\#(officeTypes).styles+xml"/>"#)
        xml.raw(#"<Override PartName="/xl/sharedStrings.xml" ContentType="\#(officeTypes).sharedStrings+xml"/>"#)
        xml.raw("</Types>")
        return xml.bytes
    }

    static func rootRelationships() -> [UInt8] {
        var xml = XMLBuffer()
        xml.raw(#"<Relationships xmlns="\#(packageRelationships)">"#)
        xml.raw(#"<Relationship Id="rId1" Type="\#(relationshipTypes)/officeDocument" Target="xl/workbook.xml"/>"#)
        xml.raw("</Relationships>")
        return xml.bytes
    }

    static func workbook(sheetNames: [String], hiddenIndex: Int?) -> [UInt8] {
        var xml = XMLBuffer()
        xml.raw(#"<workbook xmlns="\#(main)" xmlns:r="\#(relationshipTypes)">"#)
        xml.raw(#"<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>"#)
        for (index, name) in sheetNames.enumerated() {
            xml.raw("<sheet name=\"")
            xml.attribute(name)
            xml.raw(#"" sheetId="\#(index + 1)""#)
            if index == hiddenIndex { xml.raw(#" state="hidden""#) }
            xml.raw(#" r:id="rId\#(index + 1)"/>"#)
        }
        xml.raw("</sheets></workbook>")
        return xml.bytes
    }

    static func workbookRelationships(sheetCount: Int) -> [UInt8] {
        var xml = XMLBuffer()
        xml.raw(#"<Relationships xmlns="\#(packageRelationships)">"#)
        for number in 1...max(sheetCount, 1) {
            xml.raw(#"<Relationship Id="rId\#(number)" Type="\#(relationshipTypes)/worksheet" "#)
            xml.raw(#"Target="worksheets/sheet\#(number).xml"/>"#)
        }
        xml.raw(#"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(relationshipTypes)/styles" Target="styles.xml"/>"#)
        xml.raw(#"<Relationship Id="rId\#(sheetCount + 2)" Type="\#(relationshipTypes)/sharedStrings" "#)
        xml.raw(#"Target="sharedStrings.xml"/>"#)
        xml.raw("</Relationships>")
        return xml.bytes
    }

    /// 宋体 with the GB2312 charset is the font every Chinese Windows, Excel and WPS has.
    static func styles() -> [UInt8] {
        var xml = XMLBuffer()
        let font = #"<sz val="11"/><name val="宋体"/><charset val="134"/><family val="3"/>"#
        xml.raw(#"<styleSheet xmlns="\#(main)">"#)
        xml.raw(#"<fonts count="2"><font>\#(font)</font><font><b/>\#(font)</font></fonts>"#)
        xml.raw(#"<fills count="2"><fill><patternFill patternType="none"/></fill>"#)
        xml.raw(#"<fill><patternFill patternType="gray125"/></fill></fills>"#)
        xml.raw(#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#)
        xml.raw(#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#)
        xml.raw(#"<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#)
        xml.raw(#"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#)
        xml.raw(#"<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>"#)
        xml.raw(#"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#)
        xml.raw("</styleSheet>")
        return xml.bytes
    }
}
