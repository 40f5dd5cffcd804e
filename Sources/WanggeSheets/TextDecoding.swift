import Foundation

/// The encoding a CSV file turned out to be in.
public enum CSVTextEncoding: String, Sendable, Equatable {
    case utf8
    /// Excel's "Unicode text" export; only recognised by its byte-order mark.
    case utf16
    /// What Chinese Windows Excel and WPS write when asked for plain "CSV": the ANSI code page,
    /// GBK, of which GB18030 is the superset.
    case gb18030
}

enum TextDecoding {
    /// GB18030 has no named `String.Encoding`; this is CoreFoundation's
    /// kCFStringEncodingGB_18030_2000 (0x0632) as an NSStringEncoding, which Foundation on
    /// macOS and swift-corelibs-foundation on Linux both decode.
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    /// Turns a text file's bytes into UTF-8 without a byte-order mark.
    ///
    /// UTF-8 is tried first and must validate over the whole file: a GBK file almost never
    /// passes as UTF-8 for more than a few bytes, while the reverse (UTF-8 read as GBK) would
    /// silently produce mojibake, so the order matters.
    static func utf8Bytes(of data: Data) throws -> (bytes: [UInt8], encoding: CSVTextEncoding) {
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = data.first == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            guard let text = String(data: data.dropFirst(2), encoding: encoding) else {
                throw SheetError.undecodableText
            }
            return (Array(text.utf8), .utf16)
        }
        var bytes = [UInt8](data)
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if hasBOM {
            bytes.removeFirst(3)
        }
        if bytes.withUnsafeBufferPointer(isValidUTF8) {
            return (bytes, .utf8)
        }
        if hasBOM {
            // The file says it is UTF-8, so a few broken bytes are damage, not another encoding:
            // reading it all as GB18030 would garble every line rather than a few characters.
            return (Array(String(decoding: bytes, as: UTF8.self).utf8), .utf8)
        }
        guard let text = String(data: data, encoding: gb18030) else {
            throw SheetError.undecodableText
        }
        return (Array(text.utf8), .gb18030)
    }

    /// A validating scan with an eight-bytes-at-a-time path for ASCII, which is most of a CSV
    /// (digits, commas, codes); the whole file is checked before the first row is handed out.
    static func isValidUTF8(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress else { return true }
        let count = buffer.count
        var index = 0
        while index < count {
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 != 0 { break }
                index += 8
            }
            guard index < count else { break }
            let lead = base[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var scalar: UInt32
            let minimum: UInt32
            switch lead {
            case 0xC0...0xDF: (length, scalar, minimum) = (2, UInt32(lead & 0x1F), 0x80)
            case 0xE0...0xEF: (length, scalar, minimum) = (3, UInt32(lead & 0x0F), 0x800)
            case 0xF0...0xF4: (length, scalar, minimum) = (4, UInt32(lead & 0x07), 0x1_0000)
            default: return false
            }
            guard index + length <= count else { return false }
            for offset in 1..<length {
                let next = base[index + offset]
                guard next & 0xC0 == 0x80 else { return false }
                scalar = scalar << 6 | UInt32(next & 0x3F)
            }
            // Overlong forms and surrogates are invalid UTF-8 but would otherwise pass here.
            if scalar < minimum || scalar > 0x10_FFFF || (0xD800...0xDFFF).contains(scalar) {
                return false
            }
            index += length
        }
        return true
    }
}
