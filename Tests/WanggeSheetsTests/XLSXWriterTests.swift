import Foundation
import Testing
import WanggeSheets

@Suite("XLSXWriter")
struct XLSXWriterTests {
    static let levels = ["01=高", "02=中", "03=低"]

    static func roster(rows: [[String]]) -> XLSXSheet {
        XLSXSheet(
            name: "人员名单",
            columns: [
                XLSXColumn("身份证号", width: 22),
                XLSXColumn("姓名"),
                XLSXColumn("联系电话"),
                XLSXColumn("风险等级", allowedValues: levels),
            ],
            rows: rows
        )
    }

    @Test func roundTripKeepsTextExactly() throws {
        let rows: [[String]] = [
            ["110101199003077777", "张三", "013800000000", "01=高"],
            ["", "李四 ", "", ""],
            ["44030519851231002X", "", "0755-12345678", "03=低", "多出来的一列"],
            ["", "", "", ""],
            ["  前后空格  ", "A & B <c>", "行一\r\n行二", "_x0041_"],
        ]
        let data = try XLSXWriter(sheets: [Self.roster(rows: rows)]).data()
        let read = try XLSXReader(data: data).rows()
        #expect(read.map(\.number) == [1, 2, 3, 4, 6])
        #expect(read[0].cells == ["身份证号", "姓名", "联系电话", "风险等级"])
        #expect(read[1].cells == rows[0])
        #expect(read[2].cells == ["", "李四 "])
        #expect(read[3].cells == rows[2])
        #expect(read[4].cells == ["  前后空格  ", "A & B <c>", "行一\n行二", "_x0041_"])
    }

    @Test func manyRowsAndSheets() throws {
        let rows = (1...5000).map { ["\(110_101_199_000_000_000 + $0)", "网格员\($0)", "\($0 % 7)", ""] }
        let second = XLSXSheet(name: "第二页", columns: [XLSXColumn("编号")], rows: [["0001"]])
        let data = try XLSXWriter(sheets: [Self.roster(rows: rows), second]).data()
        let reader = try XLSXReader(data: data)
        #expect(reader.sheetNames == ["人员名单", "第二页"])
        var count = 0
        try reader.forEachRow { row in
            if row.number > 1 {
                #expect(row.cells == Array(rows[row.number - 2].prefix(3)))
            }
            count += 1
        }
        #expect(count == 5001)
        #expect(try reader.rows(sheetName: "第二页").map(\.cells) == [["编号"], ["0001"]])
    }

    @Test func partsDeclareTextColumnsBoldFrozenHeaderAndDropdowns() throws {
        let data = try XLSXWriter(sheets: [Self.roster(rows: [["1", "张三", "", ""]])]).data()
        let paths = try ZipFixture.paths(in: data)
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/styles.xml", "xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"] {
            #expect(paths.contains(part), "missing \(part)")
        }
        let sheet = try #require(try ZipFixture.text(of: "xl/worksheets/sheet1.xml", in: data))
        #expect(sheet.contains(#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#))
        #expect(sheet.contains(#"<col min="1" max="1" width="22" style="1" customWidth="1"/>"#))
        #expect(sheet.contains(#"<c r="A1" s="2" t="s">"#))
        #expect(sheet.contains(#"<c r="A2" s="1" t="s">"#))
        #expect(sheet.contains(#"<dataValidation type="list""#))
        #expect(sheet.contains(#"sqref="D2:D1048576"><formula1>"01=高,02=中,03=低"</formula1>"#))
        let styles = try #require(try ZipFixture.text(of: "xl/styles.xml", in: data))
        #expect(styles.contains(#"<xf numFmtId="49" fontId="0""#))
        #expect(styles.contains(#"<xf numFmtId="49" fontId="1""#))
        #expect(styles.contains("<b/>"))
        let types = try #require(try ZipFixture.text(of: "[Content_Types].xml", in: data))
        #expect(types.contains(#"PartName="/xl/worksheets/sheet1.xml""#))
    }

    @Test func longOrCommaListsLiveOnAHiddenSheet() throws {
        let villages = (1...60).map { String(format: "%03d=第%d村民委员会", $0, $0) }
        let sheet = XLSXSheet(
            name: "事件",
            columns: [XLSXColumn("村（社区）", allowedValues: villages), XLSXColumn("地址", allowedValues: ["a,b", "c"])]
        )
        let data = try XLSXWriter(sheets: [sheet]).data()
        let xml = try #require(try ZipFixture.text(of: "xl/worksheets/sheet1.xml", in: data))
        #expect(xml.contains("<formula1>'选项列表'!$A$1:$A$60</formula1>"))
        #expect(xml.contains("<formula1>'选项列表'!$B$1:$B$2</formula1>"))
        let workbook = try #require(try ZipFixture.text(of: "xl/workbook.xml", in: data))
        #expect(workbook.contains(#"<sheet name="选项列表" sheetId="2" state="hidden" r:id="rId2"/>"#))
        let reader = try XLSXReader(data: data)
        #expect(reader.sheetNames == ["事件", "选项列表"])
        let lists = try reader.rows(sheetName: "选项列表")
        #expect(lists.count == 60)
        #expect(lists[0].cells == [villages[0], "a,b"])
        #expect(lists[1].cells == [villages[1], "c"])
        #expect(lists[59].cells == [villages[59]])
        // The visible sheet is still what a plain read returns.
        #expect(try reader.rows().map(\.cells) == [["村（社区）", "地址"]])
    }

    @Test func illegalCharactersAreStrippedAndNamesRepaired() throws {
        let sheets = [
            XLSXSheet(name: "2024/03 事件[汇总]", columns: [XLSXColumn("a\u{1}b")], rows: [["x\u{0}y\u{FFFF}z"]]),
            XLSXSheet(name: "2024_03 事件_汇总_", columns: [XLSXColumn("b")]),
            XLSXSheet(name: "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", columns: []),
        ]
        let reader = try XLSXReader(data: XLSXWriter(sheets: sheets).data())
        #expect(reader.sheetNames == ["2024_03 事件_汇总_", "2024_03 事件_汇总_ (2)", "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"])
        #expect(try reader.rows().map(\.cells) == [["ab"], ["xyz"]])
        #expect(try reader.rows(sheetName: reader.sheetNames[2]).isEmpty)
    }

    @Test func excelLimitsAreEnforced() throws {
        let long = String(repeating: "长", count: 32_768)
        let sheet = XLSXSheet(name: "S", columns: [XLSXColumn("a")], rows: [["ok"], ["", long]])
        #expect(throws: SheetError.cellTooLong(sheet: "S", row: 3, column: 2)) { try XLSXWriter(sheets: [sheet]).data() }
        #expect(throws: SheetError.noWorksheet) { try XLSXWriter().data() }
    }
}
