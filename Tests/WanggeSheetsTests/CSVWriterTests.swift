import Foundation
import Testing
import WanggeSheets

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test func startsWithBOMAndEndsRecordsWithCRLF() {
        let data = CSVWriter.data(rows: [["编号", "名称"], ["1", "城关镇"]])
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: data.dropFirst(3), as: UTF8.self) == "编号,名称\r\n1,城关镇\r\n")
    }

    @Test func quotesOnlyWhereNeeded() {
        var writer = CSVWriter(includesBOM: false)
        writer.append(["plain", "a,b", "say \"hi\"", "two\nlines", " spaced ", ""])
        #expect(writer.string == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\", spaced ,\r\n")
    }

    @Test func formulaLikeCellsAreDefused() {
        var writer = CSVWriter(includesBOM: false)
        writer.append(["=SUM(A1:A9)", "+86 13800000000", "-1+1", "@cmd", "\tx", "-12.5", "+3", "-", "a=b", "=", ".5"])
        #expect(writer.string == "'=SUM(A1:A9),'+86 13800000000,'-1+1,'@cmd,'\tx,-12.5,+3,-,a=b,'=,.5\r\n")
    }

    @Test func guardCanBeTurnedOff() {
        var writer = CSVWriter(includesBOM: false, guardsFormulas: false)
        writer.append(["=1+1"])
        #expect(writer.string == "=1+1\r\n")
    }

    @Test func stringCarriesTheBOM() {
        var writer = CSVWriter()
        writer.append(["a"])
        #expect(writer.string == "\u{FEFF}a\r\n")
    }

    @Test func roundTripThroughTheReader() throws {
        let rows: [[String]] = [
            ["身份证号", "姓名", "备注", "金额"],
            ["110101199003077777", "张三", "住址：城关镇\"幸福\"小区,3号楼\n二单元", "-12.5"],
            ["", "李四", "=HYPERLINK(\"http://x\")", ""],
            ["012345", "王五", "@SUM(1)", "+1"],
        ]
        let read = try CSVReader(data: CSVWriter.data(rows: rows)).readAll()
        #expect(read.map(\.number) == [1, 2, 3, 4])
        #expect(read[0].cells == rows[0])
        #expect(read[1].cells == rows[1])
        #expect(read[2].cells == ["", "李四", "'=HYPERLINK(\"http://x\")", ""])
        #expect(read[3].cells == ["012345", "王五", "'@SUM(1)", "+1"])
    }
}
