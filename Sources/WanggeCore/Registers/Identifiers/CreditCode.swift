/// 统一社会信用代码 (GB 32100-2015): registration authority (1), organisation type (1), the
/// division code of the registering office (6), the organisation code (9) and a check character,
/// all from a 31-character alphabet without I, O, S, V and Z.
public struct CreditCode: Hashable, Sendable, CustomStringConvertible {
    /// 18 upper-case characters.
    public let value: String

    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Registration authorities of GB 32100: 1 机构编制, 2 外交, 3 司法行政, 4 文化, 5 民政, 6 旅游,
    /// 7 宗教, 8 工会, 9 市场监管(工商), A 军队编制, N 农业, Y 其他.
    static let authorities: Set<Character> = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "N", "Y"]

    /// Validates a code as typed (case and full-width characters folded). The organisation type
    /// is only checked to be a digit 1–9: its meaning depends on the authority and more are added
    /// over time. Field `creditCode`.
    public init(_ raw: String) throws(ValidationError) {
        func fail(_ message: String) -> ValidationError { ValidationError(field: "creditCode", message) }
        let text = Lenient.fold(raw).uppercased()
        let chars = Array(text)
        guard chars.count == 18 else { throw fail("统一社会信用代码应为18位，收到\(chars.count)位：“\(raw)”") }
        let bad = chars.filter { !CreditCode.alphabet.contains($0) }
        guard bad.isEmpty else {
            throw fail("统一社会信用代码含有不允许的字符“\(String(bad))”(不使用I、O、S、V、Z)")
        }
        guard CreditCode.authorities.contains(chars[0]) else {
            throw fail("统一社会信用代码第1位(登记管理部门)“\(chars[0])”无效")
        }
        guard ("1"..."9").contains(chars[1]) else {
            throw fail("统一社会信用代码第2位(机构类别)应为数字1至9，收到“\(chars[1])”")
        }
        guard Lenient.isDigits(String(chars[2..<8])) else {
            throw fail("统一社会信用代码第3至8位应为登记管理机关的行政区划代码(6位数字)")
        }
        let expected = CreditCode.checkCharacter(text.prefix(17))
        guard let expected, expected == chars[17] else {
            throw fail("统一社会信用代码校验码错误：第18位应为\(expected.map(String.init) ?? "?")，收到\(chars[17])")
        }
        value = text
    }

    /// The check character of the first 17 characters: 31 − (Σ value × weight mod 31), 31 being
    /// written 0; nil when a character is outside the alphabet or the count is not 17.
    public static func checkCharacter<S: StringProtocol>(_ first17: S) -> Character? {
        let chars = Array(first17)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (char, weight) in zip(chars, weights) {
            guard let value = alphabet.firstIndex(of: char) else { return nil }
            sum += value * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The division code of the registering office (digits 3–8).
    public var division: String { String(value.dropFirst(2).prefix(6)) }

    public var description: String { value }
}
