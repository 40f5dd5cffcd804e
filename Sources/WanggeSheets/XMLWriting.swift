/// Builds XML as UTF-8 bytes; appending to one buffer is what keeps a large sheet fast.
struct XMLBuffer {
    private(set) var bytes: [UInt8] = []

    init(declaration: Bool = true) {
        if declaration { raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#) }
    }

    /// Markup we wrote ourselves; never user text.
    mutating func raw(_ markup: String) {
        bytes.append(contentsOf: markup.utf8)
    }

    /// A non-negative integer in decimal, without going through a String.
    mutating func decimal(_ value: Int) {
        var digits: [UInt8] = []
        var rest = value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes.append(contentsOf: digits.reversed())
    }

    /// A cell reference such as "AB12".
    mutating func cellReference(column: Int, row: Int) {
        raw(CellReference.column(column))
        decimal(row)
    }

    /// Character data, escaped.
    mutating func text(_ text: String) {
        append(XMLText.sanitized(text), escapingQuotes: false)
    }

    /// An attribute value, escaped for double quotes.
    mutating func attribute(_ value: String) {
        append(XMLText.sanitized(value), escapingQuotes: true)
    }

    /// `<tag>` / `<tag a="v" …>` followed by escaped text and the closing tag.
    mutating func element(_ tag: String, _ attributes: KeyValuePairs<String, String> = [:], text: String) {
        raw("<" + tag)
        for (name, value) in attributes {
            raw(" " + name + "=\"")
            attribute(value)
            raw("\"")
        }
        raw(">")
        self.text(text)
        raw("</" + tag + ">")
    }

    private mutating func append(_ text: String, escapingQuotes: Bool) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "\"") where escapingQuotes: raw("&quot;")
            // A raw line break or tab in an attribute would be normalised to a space by the reader.
            case 0x0A where escapingQuotes: raw("&#10;")
            case 0x09 where escapingQuotes: raw("&#9;")
            default: bytes.append(byte)
            }
        }
    }
}

enum XMLText {
    /// Text as a cell may hold it in XML 1.0.
    ///
    /// - Characters XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are dropped: one stray
    ///   control character pasted from another system would otherwise make Excel refuse the file.
    /// - CRLF and lone CR become LF, the line break Excel uses inside a cell; a raw CR would be
    ///   turned into LF by any XML reader anyway.
    /// - A literal `_xHHHH_` gets its underscore escaped as `_x005F_`, since Excel would decode
    ///   it as a character escape.
    static func sanitized(_ text: String) -> String {
        var needsWork = false
        for scalar in text.unicodeScalars where !isPlain(scalar) {
            needsWork = true
            break
        }
        guard needsWork || text.mayHoldOOXMLEscape else { return text }
        let scalars = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar.value {
            case 0x0D:
                output.append("\n")
                if index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
            case 0x09, 0x0A:
                output.append(scalar)
            case 0x00..<0x20, 0xFFFE, 0xFFFF:
                break
            default:
                if scalar == "_", looksLikeEscape(scalars, at: index) {
                    output.append(contentsOf: "_x005F_".unicodeScalars)
                } else {
                    output.append(scalar)
                }
            }
            index += 1
        }
        return String(output)
    }

    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x20 && scalar.value < 0xFFFE) || scalar.value == 0x0A || scalar.value == 0x09
            || scalar.value > 0xFFFF
    }

    private static func looksLikeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        guard index + 6 < scalars.count, scalars[index + 1] == "x", scalars[index + 6] == "_" else { return false }
        return scalars[(index + 2)...(index + 5)].allSatisfy { $0.properties.isASCIIHexDigit }
    }
}
