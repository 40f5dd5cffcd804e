import Foundation
import Testing
import WanggeSheets

@Suite("SheetReader")
struct SheetReaderTests {
    @Test func theBytesDecideTheFormat() throws {
        let csv = CSVWriter.data(rows: [["编号", "名称"], ["1", "城关镇"]])
        let xlsx = try XLSXWriter(sheets: [
            XLSXSheet(name: "S", columns: [XLSXColumn("编号"), XLSXColumn("名称")], rows: [["1", "城关镇"]]),
        ]).data()
        #expect(SheetReader.format(of: csv) == .csv)
        #expect(SheetReader.format(of: xlsx) == .xlsx)
        let expected = [SheetRow(number: 1, cells: ["编号", "名称"]), SheetRow(number: 2, cells: ["1", "城关镇"])]
        // Extensions lie: an .xlsx saved as "导出.csv" and a CSV named "导出.xls" both read.
        #expect(try SheetReader.read(data: xlsx, filename: "导出.csv") == expected)
        #expect(try SheetReader.read(data: csv, filename: "导出.xls") == expected)
        #expect(try SheetReader.read(data: csv) == expected)
    }

    @Test func legacyAndFakeWorkbooksAreRefusedClearly() {
        let ole = Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0])
        #expect(throws: SheetError.legacyExcel) { try SheetReader.read(data: ole, filename: "名单.xls") }
        #expect(throws: SheetError.notXLSX) { try SheetReader.read(data: Data("a,b\n".utf8), filename: "名单.XLSX") }
        #expect(SheetError.legacyExcel.description.contains("另存为"))
    }

    @Test func streamsRowsOfEitherFormat() throws {
        var numbers: [Int] = []
        try SheetReader.forEachRow(data: Data("a\n\nb\n".utf8)) { numbers.append($0.number) }
        #expect(numbers == [1, 3])
    }
}
