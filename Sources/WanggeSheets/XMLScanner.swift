/// A pull scanner for the XML inside .xlsx packages.
///
/// Written by hand rather than using Foundation's XMLParser because a large sheet is millions
/// of tiny elements and the delegate round-trips dominate; and because it lets us match names by
/// their local part, as the files in the wild need: Excel writes `<c>`, some .NET libraries write
/// `<x:c>`, both in the same namespace. It covers what OOXML parts contain: declarations,
/// comments, CDATA, a DOCTYPE (skipped; parts never declare entities), the five predefined
/// entities, character references and XML's line-end normalisation.
struct XMLScanner {
    struct Attribute {
        /// The local name: `r:id` is reported as `id`, `xml:space` as `space`.
        var name: String
        var value: String
    }

    enum Event {
        /// A start tag; a self-closing tag is reported as a start followed by an end.
        case start(name: String, attributes: [Attribute])
        case end(name: String)
        /// Character data; decode it with ``text(_:)`` only where it matters.
        case text(TextRange)
    }

    struct TextRange {
        var range: Range<Int>
        var isCDATA: Bool
    }

    let part: String
    private let bytes: [UInt8]
    private var position = 0
    private var pendingEnd: String?

    init(bytes: [UInt8], part: String) {
        self.part = part
        // A part may be saved with a byte-order mark; the declaration must then come after it.
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    mutating func next() throws -> Event? {
        if let name = pendingEnd {
            pendingEnd = nil
            return .end(name: name)
        }
        while position < bytes.count {
            guard bytes[position] == UInt8(ascii: "<") else {
                let start = position
                while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
                return .text(TextRange(range: start..<position, isCDATA: false))
            }
            guard position + 1 < bytes.count else { throw malformed("a tag is cut off") }
            switch bytes[position + 1] {
            case UInt8(ascii: "/"):
                position += 2
                let name = readName()
                skipSpaces()
                try expect(UInt8(ascii: ">"))
                return .end(name: name)
            case UInt8(ascii: "?"):
                try skip(past: Array("?>".utf8))
            case UInt8(ascii: "!"):
                if hasPrefix("<!--") {
                    try skip(past: Array("-->".utf8))
                } else if hasPrefix("<![CDATA[") {
                    position += 9
                    let start = position
                    try skip(past: Array("]]>".utf8))
                    return .text(TextRange(range: start..<(position - 3), isCDATA: true))
                } else {
                    try skipDeclaration()
                }
            default:
                position += 1
                return try startTag()
            }
        }
        return nil
    }

    /// The decoded text of a range reported by ``next()``.
    func text(_ text: TextRange) -> String {
        let slice = bytes[text.range]
        if text.isCDATA || !slice.contains(where: { $0 == UInt8(ascii: "&") || $0 == 0x0D }) {
            return String(decoding: slice, as: UTF8.self)
        }
        return String(decoding: Self.decodeEntities(slice), as: UTF8.self)
    }

    private mutating func startTag() throws -> Event {
        let name = readName()
        guard !name.isEmpty else { throw malformed("a tag has no name") }
        var attributes: [Attribute] = []
        while true {
            skipSpaces()
            guard position < bytes.count else { throw malformed("the tag <\(name)> is cut off") }
            switch bytes[position] {
            case UInt8(ascii: ">"):
                position += 1
                return .start(name: name, attributes: attributes)
            case UInt8(ascii: "/"):
                position += 1
                try expect(UInt8(ascii: ">"))
                pendingEnd = name
                return .start(name: name, attributes: attributes)
            default:
                let attributeName = readName()
                guard !attributeName.isEmpty else { throw malformed("unexpected character in <\(name)>") }
                skipSpaces()
                try expect(UInt8(ascii: "="))
                skipSpaces()
                guard position < bytes.count,
                      bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")
                else { throw malformed("attribute \(attributeName) of <\(name)> has no quoted value") }
                let quote = bytes[position]
                position += 1
                let start = position
                while position < bytes.count, bytes[position] != quote { position += 1 }
                guard position < bytes.count else { throw malformed("attribute \(attributeName) is cut off") }
                let raw = bytes[start..<position]
                position += 1
                let value = raw.contains(UInt8(ascii: "&"))
                    ? String(decoding: Self.decodeEntities(raw), as: UTF8.self)
                    : String(decoding: raw, as: UTF8.self)
                attributes.append(Attribute(name: attributeName, value: value))
            }
        }
    }

    /// Reads a qualified name and returns its local part.
    private mutating func readName() -> String {
        let start = position
        var localStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
                || byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                break
            }
            if byte == UInt8(ascii: ":") { localStart = position + 1 }
            position += 1
        }
        return start == position ? "" : String(decoding: bytes[localStart..<position], as: UTF8.self)
    }

    private mutating func skipSpaces() {
        while position < bytes.count {
            let byte = bytes[position]
            guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
            position += 1
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        guard position < bytes.count, bytes[position] == byte else {
            throw malformed("expected '\(Character(Unicode.Scalar(byte)))' at byte \(position)")
        }
        position += 1
    }

    private func hasPrefix(_ prefix: String) -> Bool {
        bytes[position...].starts(with: prefix.utf8)
    }

    private mutating func skip(past terminator: [UInt8]) throws {
        while position < bytes.count {
            if bytes[position] == terminator[0], bytes[position...].starts(with: terminator) {
                position += terminator.count
                return
            }
            position += 1
        }
        throw malformed("a comment, CDATA section or declaration is not closed")
    }

    /// Skips `<!DOCTYPE …>`, including an internal subset in brackets.
    private mutating func skipDeclaration() throws {
        var depth = 0
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"): depth -= 1
            case UInt8(ascii: ">") where depth <= 0:
                position += 1
                return
            default: break
            }
            position += 1
        }
        throw malformed("a declaration is not closed")
    }

    private func malformed(_ detail: String) -> SheetError {
        SheetError.malformedXML(part: part, detail: detail)
    }

    /// Replaces entity and character references and turns CRLF and lone CR into LF, as an XML
    /// processor must. An unknown entity is kept as written rather than failing the file.
    static func decodeEntities(_ raw: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            if byte == 0x0D {
                output.append(0x0A)
                index += 1
                if index < raw.endIndex, raw[index] == 0x0A { index += 1 }
                continue
            }
            guard byte == UInt8(ascii: "&"),
                  let semicolon = raw[index...].prefix(12).firstIndex(of: UInt8(ascii: ";")),
                  let decoded = decodeReference(raw[(index + 1)..<semicolon])
            else {
                output.append(byte)
                index += 1
                continue
            }
            output.append(contentsOf: decoded)
            index = semicolon + 1
        }
        return output
    }

    private static func decodeReference(_ name: ArraySlice<UInt8>) -> [UInt8]? {
        switch String(decoding: name, as: UTF8.self) {
        case "lt": return [UInt8(ascii: "<")]
        case "gt": return [UInt8(ascii: ">")]
        case "amp": return [UInt8(ascii: "&")]
        case "quot": return [UInt8(ascii: "\"")]
        case "apos": return [UInt8(ascii: "'")]
        case let reference where reference.hasPrefix("#"):
            let digits = reference.dropFirst()
            let value = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16)
                : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else { return nil }
            return Array(String(Character(scalar)).utf8)
        default:
            return nil
        }
    }
}
