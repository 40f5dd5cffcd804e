/// A validated code of a node in the territory tree.
///
/// Administrative units use the 12-digit statistical division code (2 province + 2 city +
/// 2 county + 3 township + 3 village/community); unit grids use 15 digits (the 12 of the
/// community, or of the township with `000` for a special grid hung directly under it, plus a
/// 3-digit sequence). The level is implied by the code itself, and every node's code starts
/// with its ancestors' prefixes, so "is X in the subtree of Y" is a prefix test.
public struct GridCode: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let value: String
    public let level: GridLevel

    public init(_ raw: String) throws(ValidationError) {
        let digits = raw.utf8
        guard digits.count == 12 || digits.count == 15, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ValidationError(field: "code", "编码必须是12位区划代码或15位网格编码，收到“\(raw)”")
        }
        let d = Array(raw)
        func zero(_ range: Range<Int>) -> Bool { d[range].allSatisfy { $0 == "0" } }
        if d.count == 15 {
            guard !zero(12..<15) else { throw ValidationError(field: "code", "网格编码的顺序号(后3位)不能为000：\(raw)") }
            guard !zero(6..<9) else { throw ValidationError(field: "code", "网格编码必须包含乡镇(街道)代码：\(raw)") }
            level = .grid
        } else if !zero(9..<12) {
            guard !zero(6..<9) else { throw ValidationError(field: "code", "村(社区)代码必须包含乡镇(街道)代码：\(raw)") }
            level = .community
        } else if !zero(6..<9) {
            level = .township
        } else if !zero(4..<6) {
            level = .county
        } else if !zero(2..<4) {
            level = .city
        } else {
            throw ValidationError(field: "code", "省级代码不属于网格树：\(raw)")
        }
        value = raw
    }

    /// The leading digits shared by this node and all its descendants.
    public var prefix: Substring { value.prefix(level.prefixLength) }

    /// True when `other` is this node or lies beneath it.
    public func contains(_ other: GridCode) -> Bool {
        other.level >= level && other.value.hasPrefix(prefix)
    }

    /// The 6-digit county part, which names the county whose norms apply.
    public var countyCode: String { String(value.prefix(6)) }

    public var description: String { value }

    public static func < (lhs: GridCode, rhs: GridCode) -> Bool { lhs.value < rhs.value }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// A subtree of the territory expressed as a code prefix, usable in SQL as a half-open range.
///
/// The upper bound is the prefix incremented as a decimal number, so the range works on any
/// collation that orders digits normally (it avoids `LIKE`, whose index use differs between
/// SQLite and PostgreSQL).
public struct CodeRange: Hashable, Sendable {
    public let lower: String
    /// `nil` when the prefix is all nines and nothing sorts above the subtree.
    public let upper: String?

    public init(prefix: some StringProtocol) {
        lower = String(prefix)
        var digits = Array(prefix.utf8)
        var i = digits.count - 1
        while i >= 0, digits[i] == UInt8(ascii: "9") {
            digits[i] = UInt8(ascii: "0")
            i -= 1
        }
        if i < 0 {
            upper = nil
        } else {
            digits[i] += 1
            upper = String(decoding: digits, as: UTF8.self)
        }
    }

    public func contains(_ code: String) -> Bool {
        code >= lower && (upper.map { code < $0 } ?? true)
    }
}

extension GridCode {
    public var range: CodeRange { CodeRange(prefix: prefix) }
}
