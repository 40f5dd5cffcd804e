import Foundation
import Testing
import WanggeSheets

@Suite("CSVReader")
struct CSVReaderTests {
    private func rows(_ text: String, separator: Unicode.Scalar = ",") throws -> [SheetRow] {
        try CSVReader(data: Data(text.utf8), separator: separator).readAll()
    }

    @Test func quotedFieldsWithSeparatorsQuotesAndLineBreaks() throws {
        let text = "名称,说明\r\n\"a,b\",\"他说\"\"好\"\"\"\r\n\"第一行\r\n第二行\",\"\"\r\n"
        let result = try rows(text)
        #expect(result == [
            SheetRow(number: 1, cells: ["名称", "说明"]),
            SheetRow(number: 2, cells: ["a,b", "他说\"好\""]),
            SheetRow(number: 3, cells: ["第一行\r\n第二行", ""]),
        ])
    }

    @Test func lineEndsMayBeCRLFOrLFOrCR() throws {
        let result = try rows("a,b\r\nc,d\ne,f\rg,h")
        #expect(result.map(\.cells) == [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]])
        #expect(result.map(\.number) == [1, 2, 3, 4])
    }

    @Test func utf8ByteOrderMarkIsDropped() throws {
        let reader = try CSVReader(data: Data([0xEF, 0xBB, 0xBF]) + Data("编号,姓名\n1,张三\n".utf8))
        #expect(reader.encoding == .utf8)
        let result = try reader.readAll()
        #expect(result.first?.cells == ["编号", "姓名"])
        #expect(result.last?.cells == ["1", "张三"])
    }

    @Test func gb18030BytesAreDecodedWhenNotUTF8() throws {
        // "姓名,电话\n张三,13800000000" as Chinese Windows Excel saves "CSV": GBK.
        var bytes: [UInt8] = [0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0xB5, 0xE7, 0xBB, 0xB0, 0x0A]
        bytes += [0xD5, 0xC5, 0xC8, 0xFD, 0x2C] + Array("13800000000".utf8)
        let reader = try CSVReader(data: Data(bytes))
        #expect(reader.encoding == .gb18030)
        let result = try reader.readAll()
        #expect(result == [
            SheetRow(number: 1, cells: ["姓名", "电话"]),
            SheetRow(number: 2, cells: ["张三", "13800000000"]),
        ])
    }

    @Test func damagedUTF8WithBOMStaysUTF8() throws {
        let reader = try CSVReader(data: Data([0xEF, 0xBB, 0xBF, 0x61, 0xFF, 0x2C, 0xE5, 0xBC, 0xA0]))
        #expect(reader.encoding == .utf8)
        #expect(try reader.readAll().first?.cells == ["a\u{FFFD}", "张"])
    }

    @Test func utf16WithByteOrderMarkIsDecoded() throws {
        var data = Data([0xFF, 0xFE])
        data += "编号\t名称\r\n1\t网格\r\n".data(using: .utf16LittleEndian)!
        let reader = try CSVReader(data: data, separator: "\t")
        #expect(reader.encoding == .utf16)
        #expect(try reader.readAll().map(\.cells) == [["编号", "名称"], ["1", "网格"]])
    }

    @Test func bytesThatAreNoTextAreRefused() {
        #expect(throws: SheetError.undecodableText) {
            try CSVReader(data: Data([0xFF, 0xFF, 0x80]))
        }
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        let text = "h1,h2\n\na,b\n,\n\"x\ny\",z\n\r\nlast,\n"
        let result = try rows(text)
        #expect(result == [
            SheetRow(number: 1, cells: ["h1", "h2"]),
            SheetRow(number: 3, cells: ["a", "b"]),
            SheetRow(number: 5, cells: ["x\ny", "z"]),
            SheetRow(number: 7, cells: ["last", ""]),
        ])
    }

    @Test func unterminatedQuoteNamesTheRowItStartedOn() throws {
        let data = Data("a,b\n1,2\n3,\"never closed\n4,5\n".utf8)
        #expect(throws: SheetError.unterminatedQuote(row: 3)) {
            try CSVReader(data: data).readAll()
        }
        #expect(SheetError.unterminatedQuote(row: 3).description.contains("第 3 行"))
    }

    @Test func rowsBeforeAnUnterminatedQuoteAreStillDelivered() throws {
        var iterator = try CSVReader(data: Data("a\n\"b".utf8)).makeIterator()
        #expect(try iterator.next() == SheetRow(number: 1, cells: ["a"]))
        #expect(throws: SheetError.unterminatedQuote(row: 2)) { try iterator.next() }
    }

    @Test func strayQuotesInUnquotedFieldsAreLiteral() throws {
        #expect(try rows("ab\"c,5\",x\"\"y\n").first?.cells == ["ab\"c", "5\"", "x\"\"y"])
    }

    @Test func textAfterAClosingQuoteIsKept() throws {
        #expect(try rows("\"ab\"c,d\n").first?.cells == ["abc", "d"])
    }

    @Test func emptyFieldsAndTrailingSeparators() throws {
        #expect(try rows("a,,b,\n,x").map(\.cells) == [["a", "", "b", ""], ["", "x"]])
    }

    @Test func emptyInputHasNoRows() throws {
        #expect(try rows("").isEmpty)
        #expect(try CSVReader(data: Data([0xEF, 0xBB, 0xBF])).readAll().isEmpty)
        #expect(try rows("\n\r\n,,\n").isEmpty)
    }

    @Test func otherSeparators() throws {
        #expect(try rows("a;\"b;c\";d\n", separator: ";").first?.cells == ["a", "b;c", "d"])
    }

    @Test func forEachRowStreamsInOrder() throws {
        let text = (1...1000).map { "\($0),名字\($0)" }.joined(separator: "\n")
        var numbers: [Int] = []
        try CSVReader(data: Data(text.utf8)).forEachRow { row in
            numbers.append(row.number)
            #expect(row.cells == ["\(row.number)", "名字\(row.number)"])
        }
        #expect(numbers == Array(1...1000))
    }

    @Test func cellAccessorToleratesShortRows() {
        let row = SheetRow(number: 2, cells: ["a"])
        #expect(row.cell(0) == "a")
        #expect(row.cell(3) == "")
        #expect(row.cell(-1) == "")
    }
}
