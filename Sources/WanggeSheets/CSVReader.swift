import Foundation

/// Reads CSV as Excel, WPS and LibreOffice write it (RFC 4180 with the usual leniencies).
///
/// The bytes are decoded once (UTF-8, or GB18030 when they are not valid UTF-8) and then parsed
/// a row at a time, so a file of a million rows never has all its rows in memory at once:
///
/// ```swift
/// let reader = try CSVReader(data: upload)
/// try reader.forEachRow { row in … row.number … row.cells … }
/// ```
///
/// Row numbers are those Excel shows: the header is row 1 and every record counts, including the
/// blank ones that are skipped, while a quoted cell spanning several lines is still one row.
/// A row is blank, and skipped, when all its cells are empty (",,," is what Excel writes for an
/// empty row inside a table).
public struct CSVReader: Sendable {
    /// The encoding the bytes were found to be in.
    public let encoding: CSVTextEncoding
    /// The field separator, an ASCII byte.
    public let separator: UInt8
    let bytes: [UInt8]

    /// Decodes `data`; throws ``SheetError/undecodableText`` when it is not text we know.
    ///
    /// - Parameter separator: "," by default; ";" and tab are what European and "Unicode text"
    ///   exports use. Must be ASCII and not a quote or line end.
    public init(data: Data, separator: Unicode.Scalar = ",") throws {
        precondition(separator.isASCII && !["\"", "\r", "\n"].contains(separator), "separator must be plain ASCII")
        let decoded = try TextDecoding.utf8Bytes(of: data)
        self.bytes = decoded.bytes
        self.encoding = decoded.encoding
        self.separator = UInt8(separator.value)
    }

    /// An iterator over the non-blank rows; its `next()` throws on an unterminated quote.
    public func makeIterator() -> Rows {
        Rows(bytes: bytes, separator: separator)
    }

    /// Calls `body` with every non-blank row in order.
    public func forEachRow(_ body: (SheetRow) throws -> Void) throws {
        var rows = makeIterator()
        while let row = try rows.next() {
            try body(row)
        }
    }

    /// Every non-blank row; convenient for small files such as catalogs.
    public func readAll() throws -> [SheetRow] {
        var all: [SheetRow] = []
        try forEachRow { all.append($0) }
        return all
    }

    /// Walks the decoded bytes one record at a time.
    ///
    /// Not a `Sequence` because reading can fail halfway (an unterminated quote), and a
    /// sequence's iterator cannot throw.
    public struct Rows: Sendable {
        let bytes: [UInt8]
        let separator: UInt8
        var position = 0
        var recordNumber = 0
        var widthHint = 8
        var scratch: [UInt8] = []

        init(bytes: [UInt8], separator: UInt8) {
            self.bytes = bytes
            self.separator = separator
        }

        /// The next non-blank row, or nil at the end of the file.
        public mutating func next() throws -> SheetRow? {
            let bytes = self.bytes
            return try bytes.withUnsafeBufferPointer { buffer in
                while position < buffer.count {
                    recordNumber += 1
                    let cells = try record(in: buffer)
                    if cells.contains(where: { !$0.isEmpty }) {
                        widthHint = cells.count
                        return SheetRow(number: recordNumber, cells: cells)
                    }
                }
                return nil
            }
        }

        /// Parses the record starting at `position` and leaves `position` after its line end.
        private mutating func record(in buffer: UnsafeBufferPointer<UInt8>) throws -> [String] {
            let quote = UInt8(ascii: "\""), carriageReturn = UInt8(ascii: "\r"), lineFeed = UInt8(ascii: "\n")
            let end = buffer.count
            var cells: [String] = []
            cells.reserveCapacity(widthHint)
            var index = position
            while true {
                var cell: String
                if index < end, buffer[index] == quote {
                    index += 1
                    scratch.removeAll(keepingCapacity: true)
                    var segmentStart = index
                    var usesScratch = false
                    while true {
                        guard index < end else { throw SheetError.unterminatedQuote(row: recordNumber) }
                        if buffer[index] == quote {
                            if index + 1 < end, buffer[index + 1] == quote {
                                // A doubled quote stands for one: keep the first, skip the second.
                                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segmentStart...index]))
                                usesScratch = true
                                index += 2
                                segmentStart = index
                                continue
                            }
                            break
                        }
                        index += 1
                    }
                    let closing = index
                    index += 1
                    // Text between the closing quote and the separator (`"ab"c`) is kept, as
                    // Excel does, rather than rejecting the whole file over it.
                    let tailStart = index
                    while index < end {
                        let byte = buffer[index]
                        if byte == separator || byte == lineFeed || byte == carriageReturn { break }
                        index += 1
                    }
                    if usesScratch || tailStart < index {
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[segmentStart..<closing]))
                        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[tailStart..<index]))
                        cell = String(decoding: scratch, as: UTF8.self)
                    } else {
                        cell = String(decoding: UnsafeBufferPointer(rebasing: buffer[segmentStart..<closing]), as: UTF8.self)
                    }
                } else {
                    // Unquoted: a quote met here is an ordinary character (`5"`, `a"b`).
                    let start = index
                    while index < end {
                        let byte = buffer[index]
                        if byte == separator || byte == lineFeed || byte == carriageReturn { break }
                        index += 1
                    }
                    cell = start == index ? "" : String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                }
                cells.append(cell)
                if index < end, buffer[index] == separator {
                    index += 1
                    continue
                }
                if index < end {
                    // CRLF, a lone LF and a lone CR (old Mac exports) all end a record.
                    let lineEnd = buffer[index]
                    index += 1
                    if lineEnd == carriageReturn, index < end, buffer[index] == lineFeed { index += 1 }
                }
                position = index
                return cells
            }
        }
    }
}
