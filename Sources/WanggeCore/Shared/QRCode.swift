/// A QR Code symbol (ISO/IEC 18004, model 2), as printed on the door plates of 以码管房.
///
/// The encoder covers what a door plate needs and nothing more: the whole text goes in one segment
/// (numeric, alphanumeric or byte mode), versions 1–20 (21×21 up to 97×97 modules), the four
/// error-correction levels, and the automatic choice among the eight data masks by the standard's
/// penalty rules. Kanji mode, mixed segments, structured append and Micro QR are left out.
///
/// The symbol is a plain value: `self[x, y]` tells whether the module in column `x`, row `y` is dark
/// (the origin is the top-left corner; anything outside the symbol is quiet zone, hence light).
public struct QRCode: Sendable, Hashable {

    /// The error-correction level: how much of the symbol may be damaged and still be read.
    public enum Correction: Sendable, Hashable, CaseIterable {
        /// L: about 7 % of the codewords can be restored.
        case low
        /// M: about 15 %.
        case medium
        /// Q: about 25 %.
        case quartile
        /// H: about 30 %.
        case high

        /// The letter the standard uses for the level.
        public var letter: String {
            switch self {
            case .low: "L"
            case .medium: "M"
            case .quartile: "Q"
            case .high: "H"
            }
        }

        /// The two bits that stand for the level in the format information (L 01, M 00, Q 11, H 10).
        var formatBits: Int {
            switch self {
            case .low: 0b01
            case .medium: 0b00
            case .quartile: 0b11
            case .high: 0b10
            }
        }

        /// The row of the block table for the level.
        var tableIndex: Int {
            switch self {
            case .low: 0
            case .medium: 1
            case .quartile: 2
            case .high: 3
            }
        }
    }

    /// How the text was turned into bits.
    public enum Mode: Sendable, Hashable {
        /// Digits only, 10 bits for three of them.
        case numeric
        /// The 45 characters `0–9 A–Z space $ % * + - . / :`, 11 bits for two of them.
        case alphanumeric
        /// The UTF-8 bytes of the text, 8 bits each.
        case byte
    }

    /// The versions this encoder produces.
    public static let versions: ClosedRange<Int> = 1...20

    /// 1–20; the symbol is `17 + 4 × version` modules wide.
    public let version: Int
    public let correction: Correction
    public let mode: Mode
    /// The data mask (0–7) that was applied.
    public let mask: Int
    /// Modules per side, without quiet zone.
    public let size: Int
    /// Row-major, `true` for dark.
    let modules: [Bool]

    /// Whether the module in column `x`, row `y` is dark. Outside the symbol (the quiet zone) is light.
    public subscript(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < size, y < size else { return false }
        return modules[y * size + x]
    }

    /// Encodes `text` in the smallest version (1–20) that holds it at the given level.
    ///
    /// Throws a `ValidationError` on field `text` when even version 20 is too small.
    public static func encode(_ text: String, correction: Correction = .medium) throws(ValidationError) -> QRCode {
        try encode(text, correction: correction, mask: nil)
    }

    /// As `encode(_:correction:)`, with the mask forced when `mask` is given (for comparing with
    /// other encoders, which must then use the same mask).
    static func encode(_ text: String, correction: Correction,
                       mask forcedMask: Int?) throws(ValidationError) -> QRCode {
        let segment = Segment(text)
        guard let version = segment.smallestVersion(correction: correction) else {
            throw ValidationError(field: "text", segment.tooLongMessage(correction: correction))
        }
        let data = segment.dataCodewords(version: version, correction: correction)
        let codewords = Self.interleavedCodewords(data: data, version: version, correction: correction)
        let (matrix, mask) = Matrix.symbol(version: version, correction: correction, codewords: codewords,
                                           mask: forcedMask)
        return QRCode(version: version, correction: correction, mode: segment.mode, mask: mask, size: matrix.size,
                      modules: matrix.dark)
    }

    // MARK: - SVG

    /// One SVG path for all dark modules: each horizontal run of dark modules in a row becomes one
    /// rectangle `M x y h w v s h -w z`. `origin` is where the symbol's top-left corner goes (put the
    /// quiet zone there); coordinates are rounded to thousandths.
    public func svgPath(moduleSize: Double = 1, origin: (x: Double, y: Double) = (0, 0)) -> String {
        var path = ""
        let height = Self.svgNumber(moduleSize)
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && self[x, y] { x += 1 }
                let width = Self.svgNumber(Double(x - start) * moduleSize)
                path += "M\(Self.svgNumber(origin.x + Double(start) * moduleSize)) "
                path += "\(Self.svgNumber(origin.y + Double(y) * moduleSize))h\(width)v\(height)h-\(width)z"
            }
        }
        return path
    }

    /// A standalone SVG image of the symbol with its quiet zone (4 modules by the standard), black on white,
    /// `moduleSize` pixels per module.
    public func svg(moduleSize: Int = 8, quietZone: Int = 4) -> String {
        let side = size + 2 * max(quietZone, 0)
        let margin = Double(max(quietZone, 0))
        let pixels = side * max(moduleSize, 1)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(pixels)\" height=\"\(pixels)\" "
            + "viewBox=\"0 0 \(side) \(side)\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(svgPath(origin: (margin, margin)))\"/></svg>"
    }

    /// `value` rounded half away from zero. Done by hand because `Double.rounded()` calls into the C maths
    /// library, which this module does not otherwise link.
    static func roundedInteger(_ value: Double) -> Int {
        value < 0 ? -Int(-value + 0.5) : Int(value + 0.5)
    }

    /// A number as SVG wants it: rounded to thousandths, no trailing zeros, no exponent.
    static func svgNumber(_ value: Double) -> String {
        let thousandths = Self.roundedInteger(value * 1000)
        let sign = thousandths < 0 ? "-" : ""
        let magnitude = abs(thousandths)
        let fraction = magnitude % 1000
        guard fraction != 0 else { return sign + String(magnitude / 1000) }
        var digits = String(fraction)
        while digits.count < 3 { digits = "0" + digits }
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(sign)\(magnitude / 1000).\(digits)"
    }
}

// MARK: - Bits

extension QRCode {

    /// A growing string of bits, most significant first.
    struct BitBuffer: Sendable, Hashable {
        private(set) var bits: [Bool] = []

        var count: Int { bits.count }

        /// Appends the low `width` bits of `value`, highest first.
        mutating func append(_ value: Int, width: Int) {
            precondition(width >= 0 && width < 32 && value >= 0 && value >> width == 0,
                         "value does not fit its width")
            for shift in stride(from: width - 1, through: 0, by: -1) {
                bits.append((value >> shift) & 1 == 1)
            }
        }

        mutating func append(_ other: BitBuffer) {
            bits.append(contentsOf: other.bits)
        }

        /// The bits packed eight to a byte; the count must be a multiple of 8.
        var bytes: [UInt8] {
            precondition(count % 8 == 0, "not a whole number of bytes")
            return stride(from: 0, to: count, by: 8).map { start in
                bits[start..<start + 8].reduce(UInt8(0)) { $0 << 1 | ($1 ? 1 : 0) }
            }
        }
    }

    // MARK: - The data segment

    /// The text as one segment: its mode, its character count and its data bits, ready to be framed by the
    /// mode indicator and count for a given version.
    struct Segment: Sendable, Hashable {
        let mode: Mode
        /// Whether an ECI header announces UTF-8 (byte mode with non-ASCII text only).
        let usesUTF8ECI: Bool
        /// Characters for numeric and alphanumeric mode, bytes for byte mode.
        let count: Int
        let body: BitBuffer

        /// The 45 characters of alphanumeric mode, in the order of their values 0–44.
        static let alphanumericCharacters = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

        static func alphanumericValue(_ byte: UInt8) -> Int? {
            alphanumericCharacters.firstIndex(of: byte)
        }

        init(_ text: String) {
            let bytes = Array(text.utf8)
            var body = BitBuffer()
            if !bytes.isEmpty && bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                mode = .numeric
                usesUTF8ECI = false
                // Three digits in 10 bits; a last pair in 7, a last single digit in 4.
                let digits = bytes.map { Int($0 - 0x30) }
                for start in stride(from: 0, to: digits.count, by: 3) {
                    let group = digits[start..<min(start + 3, digits.count)]
                    body.append(group.reduce(0) { $0 * 10 + $1 }, width: [0, 4, 7, 10][group.count])
                }
            } else if !bytes.isEmpty && bytes.allSatisfy({ Self.alphanumericValue($0) != nil }) {
                mode = .alphanumeric
                usesUTF8ECI = false
                // Two characters in 11 bits as 45 × first + second; a last single one in 6.
                let values = bytes.compactMap(Self.alphanumericValue)
                for start in stride(from: 0, to: values.count, by: 2) {
                    if start + 1 < values.count {
                        body.append(values[start] * 45 + values[start + 1], width: 11)
                    } else {
                        body.append(values[start], width: 6)
                    }
                }
            } else {
                mode = .byte
                // Byte mode means ISO/IEC 8859-1 unless an ECI says otherwise, so the UTF-8 bytes of a Chinese
                // address would be read as Latin-1 mojibake by a reader that follows the standard. ECI 000026
                // declares UTF-8. Plain ASCII reads the same under both, so it goes without the designator:
                // that saves 12 bits and keeps clear of older scanners that show or choke on ECI headers.
                usesUTF8ECI = bytes.contains { $0 >= 0x80 }
                for byte in bytes { body.append(Int(byte), width: 8) }
            }
            count = bytes.count
            self.body = body
        }

        var modeIndicator: Int {
            switch mode {
            case .numeric: 0b0001
            case .alphanumeric: 0b0010
            case .byte: 0b0100
            }
        }

        /// Width of the character count indicator (versions 1–9 and 10–26; 27–40 are not produced).
        func countBits(version: Int) -> Int {
            switch mode {
            case .numeric: version < 10 ? 10 : 12
            case .alphanumeric: version < 10 ? 9 : 11
            case .byte: version < 10 ? 8 : 16
            }
        }

        /// Bits of the ECI header, mode indicator and character count.
        func headerBits(version: Int) -> Int {
            (usesUTF8ECI ? 12 : 0) + 4 + countBits(version: version)
        }

        func fits(version: Int, correction: Correction) -> Bool {
            count < 1 << countBits(version: version)
                && headerBits(version: version) + body.count
                    <= QRCode.dataCodewordCount(version: version, correction: correction) * 8
        }

        /// The smallest version that holds the segment at the level, nil when none up to 20 does.
        func smallestVersion(correction: Correction) -> Int? {
            QRCode.versions.first { fits(version: $0, correction: correction) }
        }

        /// The data codewords: header, data, terminator, zero bits to the byte, then the pad bytes 0xEC 0x11 in turn.
        func dataCodewords(version: Int, correction: Correction) -> [UInt8] {
            let capacity = QRCode.dataCodewordCount(version: version, correction: correction)
            var buffer = BitBuffer()
            if usesUTF8ECI {
                buffer.append(0b0111, width: 4)  // ECI mode
                buffer.append(26, width: 8)  // designator 000026, UTF-8, in its one-byte form
            }
            buffer.append(modeIndicator, width: 4)
            buffer.append(count, width: countBits(version: version))
            buffer.append(body)
            buffer.append(0, width: min(4, capacity * 8 - buffer.count))
            buffer.append(0, width: (8 - buffer.count % 8) % 8)
            var codewords = buffer.bytes
            var pad: UInt8 = 0xEC
            while codewords.count < capacity {
                codewords.append(pad)
                pad = pad == 0xEC ? 0x11 : 0xEC
            }
            return codewords
        }

        /// Most characters (bytes in byte mode) that version 20 holds at the level, in this mode.
        func maximumCount(correction: Correction) -> Int {
            let version = QRCode.versions.upperBound
            let bits = QRCode.dataCodewordCount(version: version, correction: correction) * 8
                - headerBits(version: version)
            switch mode {
            case .numeric: return bits / 10 * 3 + (bits % 10 >= 7 ? 2 : bits % 10 >= 4 ? 1 : 0)
            case .alphanumeric: return bits / 11 * 2 + (bits % 11 >= 6 ? 1 : 0)
            case .byte: return bits / 8
            }
        }

        func tooLongMessage(correction: Correction) -> String {
            let unit = mode == .byte ? "字节" : "个字符"
            return "内容过长：共\(count)\(unit)，二维码（纠错等级\(correction.letter)，最大版本\(QRCode.versions.upperBound)）"
                + "最多容纳\(maximumCount(correction: correction))\(unit)"
        }
    }
}
