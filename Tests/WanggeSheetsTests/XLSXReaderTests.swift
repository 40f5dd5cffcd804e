import Foundation
import Testing
import WanggeSheets

@Suite("XLSXReader")
struct XLSXReaderTests {
    typealias F = XLSXFixture

    /// A workbook written the way other programs write them: a hidden first sheet, the data
    /// sheet in a part not named sheet1.xml behind an absolute target, prefixed element names,
    /// rich text with phonetic runs, entities, CDATA, sparse rows and cells without `r`.
    static func foreignWorkbook() throws -> Data {
        try ZipFixture.make([
            ("[Content_Types].xml", #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
            ("_rels/.rels", F.rootRels()),
            ("xl/workbook.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <workbook xmlns="\(F.main)" xmlns:r="\(F.rel)"><workbookPr/>
                  <sheets>
                    <sheet name="填表说明" sheetId="3" state="hidden" r:id="rId7"/>
                    <sheet name="人员名单" sheetId="1" r:id="rId3"/>
                    <sheet name="Sheet2" sheetId="2" r:id="rId1"/>
                  </sheets>
                </workbook>
                """),
            ("xl/_rels/workbook.xml.rels", """
                <?xml version="1.0" encoding="UTF-8"?>
                <Relationships xmlns="\(F.packageRel)">
                  <Relationship Id="rId1" Type="\(F.rel)/worksheet" Target="worksheets/sheet1.xml"/>
                  <Relationship Id="rId3" Type="\(F.rel)/worksheet" Target="/xl/worksheets/roster.xml"/>
                  <Relationship Id="rId7" Type="\(F.rel)/worksheet" Target="worksheets/sheet3.xml"/>
                  <Relationship Id="rId4" Type="\(F.rel)/sharedStrings" Target="sharedStrings.xml"/>
                  <Relationship Id="rId5" Type="\(F.rel)/styles" Target="styles.xml"/>
                </Relationships>
                """),
            ("xl/sharedStrings.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <sst xmlns="\(F.main)" count="7" uniqueCount="7">
                  <si><t>姓名</t></si>
                  <si><t>身份证号</t></si>
                  <si><r><rPr><b/><sz val="11"/></rPr><t>张</t></r><r><t xml:space="preserve">三 </t></r>\
                <rPh sb="0" eb="1"><t>ZHANG</t></rPh></si>
                  <si><t>A &amp; B &lt;c&gt; &#x4E2D;&#25991; &quot;q&quot;</t></si>
                  <si><t>第一行_x000D_
                第二行</t></si>
                  <si><t/></si>
                  <si><t>出生日期</t></si>
                </sst>
                """),
            ("xl/styles.xml", """
                <styleSheet xmlns="\(F.main)"><numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy/m/d;@"/></numFmts>
                <cellXfs count="4"><xf numFmtId="0" xfId="0"/><xf numFmtId="14" xfId="0" applyNumberFormat="1"/>
                <xf numFmtId="176" xfId="0"/><xf numFmtId="49" xfId="0"/></cellXfs></styleSheet>
                """),
            ("xl/worksheets/roster.xml", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <!-- written by a .NET library that prefixes every element -->
                <x:worksheet xmlns:x="\(F.main)"><x:dimension ref="A1:F6"/><x:sheetData>
                <x:row r="1" spans="1:4"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c>\
                <x:c r="C1" t="s"><x:v>6</x:v></x:c><x:c r="D1" t="inlineStr"><x:is><x:t>备注</x:t></x:is></x:c></x:row>
                <x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c><x:c r="B2"><x:v>1.1010119900307778E+17</x:v></x:c>\
                <x:c r="C2" s="1"><x:v>45292</x:v></x:c><x:c r="D2" t="s"><x:v>3</x:v></x:c></x:row>
                <x:row r="4"><x:c r="A4" s="3"/><x:c r="B4" s="3" t="s"><x:v>5</x:v></x:c></x:row>
                <x:row r="5"><x:c t="s"><x:v>4</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c r="C5" s="2"><x:v>36526.5</x:v></x:c>\
                <x:c r="E5" t="e"><x:f>1/0</x:f><x:v>#DIV/0!</x:v></x:c><x:c r="F5" t="str"><x:f>A1&amp;""</x:f><x:v>公式</x:v></x:c>\
                <x:c r="G5" s="3"/></x:row>
                <x:row><x:c r="A6" t="inlineStr"><x:is><x:r><x:t>富</x:t></x:r><x:r><x:t>文本</x:t></x:r></x:is></x:c>\
                <x:c r="C6"><x:v>42</x:v></x:c><x:c r="D6" t="inlineStr"><x:is><x:t><![CDATA[<a&b>]]></x:t></x:is></x:c></x:row>
                </x:sheetData></x:worksheet>
                """),
            ("xl/worksheets/sheet1.xml", """
                <worksheet xmlns="\(F.main)"><sheetData><row r="3"><c r="B3" t="inlineStr"><is><t>other</t></is></c></row>\
                </sheetData></worksheet>
                """),
            ("xl/worksheets/sheet3.xml", """
                <worksheet xmlns="\(F.main)"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row>\
                </sheetData></worksheet>
                """),
        ])
    }

    @Test func readsTheFirstVisibleSheetOfAForeignWorkbook() throws {
        let reader = try XLSXReader(data: Self.foreignWorkbook())
        #expect(reader.sheetNames == ["填表说明", "人员名单", "Sheet2"])
        let rows = try reader.rows()
        #expect(rows.map(\.number) == [1, 2, 5, 6])
        #expect(rows[0].cells == ["姓名", "身份证号", "出生日期", "备注"])
        #expect(rows[1].cells == ["张三 ", "110101199003077780", "2024-01-01", "A & B <c> 中文 \"q\""])
        #expect(rows[2].cells == ["第一行\r\n第二行", "TRUE", "2000-01-01", "", "#DIV/0!", "公式"])
        #expect(rows[3].cells == ["富文本", "", "42", "<a&b>"])
    }

    @Test func readsOtherSheetsByName() throws {
        let reader = try XLSXReader(data: Self.foreignWorkbook())
        #expect(try reader.rows(sheetName: "Sheet2") == [SheetRow(number: 3, cells: ["", "other"])])
        #expect(try reader.rows(sheetName: "填表说明") == [SheetRow(number: 1, cells: ["说明"])])
        #expect(throws: SheetError.sheetNotFound("Sheet9")) { try reader.rows(sheetName: "Sheet9") }
    }

    @Test func dateAndTimeFormats() throws {
        let cells = [(1, "45292"), (2, "45292"), (3, "45292.75"), (4, "3.5"), (5, "0.5"), (6, "1.5"),
                     (1, "60"), (1, "61"), (1, "59"), (1, "1"), (3, "45292.000011574")]
        let xml = "<row r=\"1\">" + cells.map { "<c s=\"\($0.0)\"><v>\($0.1)</v></c>" }.joined() + "</row>"
        let rows = try XLSXReader(data: F.singleSheet(xml)).rows()
        #expect(rows.first?.cells == [
            "2024-01-01", "2024-01-01", "2024-01-01 18:00", "3.5", "12:00", "36:00",
            "1900-02-29", "1900-03-01", "1900-02-28", "1900-01-01", "2024-01-01 00:00:01",
        ])
    }

    @Test func the1904DateSystem() throws {
        let xml = #"<row r="1"><c s="1"><v>43830</v></c><c s="3"><v>0.25</v></c></row>"#
        let rows = try XLSXReader(data: F.singleSheet(xml, date1904: true)).rows()
        #expect(rows.first?.cells == ["2024-01-01", "1904-01-01 06:00"])
    }

    @Test func numbersPrintWithoutExponentOrTrailingZero() throws {
        let values = ["42", "42.0", "0.30000000000000004", "-1.5E-3", "1E+21", "123456789012345678",
                      "3.14159", "-0", "2.9999999999999996", "1.1010119900307778E+17", "4.5E+3"]
        let xml = "<row>" + values.map { "<c><v>\($0)</v></c>" }.joined() + "</row>"
        let rows = try XLSXReader(data: F.singleSheet(xml)).rows()
        #expect(rows.first?.cells == [
            "42", "42", "0.3", "-0.0015", "1000000000000000000000", "123456789012345678",
            "3.14159", "0", "3", "110101199003077780", "4500",
        ])
        #expect(rows.first?.number == 1)
    }

    @Test func escapedUnderscoreSequencesAndXMLLineEnds() throws {
        let xml = "<row r=\"2\"><c t=\"inlineStr\"><is><t>_x005F_x0041_ and _x0041_</t></is></c>"
            + "<c t=\"str\"><v>a\r\nb</v></c></row>"
        let rows = try XLSXReader(data: F.singleSheet(xml)).rows()
        #expect(rows == [SheetRow(number: 2, cells: ["_x0041_ and A", "a\nb"])])
    }

    @Test func refusesWhatIsNoWorkbook() throws {
        #expect(throws: SheetError.notXLSX) { try XLSXReader(data: Data("姓名,电话\n".utf8)) }
        #expect(throws: SheetError.notXLSX) { try XLSXReader(data: Data([0x50, 0x4B, 0x03, 0x04, 1, 2, 3])) }
        let noWorkbook = try ZipFixture.make([("hello.txt", "hi")])
        #expect(throws: SheetError.missingPart("xl/workbook.xml")) { try XLSXReader(data: noWorkbook) }
        #expect(SheetError.notXLSX.description.contains("xlsx"))
    }

    @Test func brokenPartsAreReportedNotGuessed() throws {
        let missingString = try F.singleSheet(#"<row r="1"><c t="s"><v>7</v></c></row>"#)
        #expect(throws: SheetError.self) { try XLSXReader(data: missingString).rows() }
        let cutOff = try F.singleSheet(#"<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row><row r="2"><c "#)
        do {
            _ = try XLSXReader(data: cutOff).rows()
            Issue.record("a cut-off sheet was accepted")
        } catch let SheetError.malformedXML(part, _) {
            #expect(part == "xl/worksheets/sheet1.xml")
        }
        let badReference = try F.singleSheet(#"<row r="1"><c r="ZZZZ1"><v>1</v></c></row>"#)
        #expect(throws: SheetError.self) { try XLSXReader(data: badReference).rows() }
    }
}
