/// A citizen identity number (公民身份号码, GB 11643): 6-digit address code, 8-digit birth date,
/// 3-digit sequence (odd for men) and a check character.
///
/// `description` is the masked form, so that logging or interpolating a number never leaks it;
/// use `value` where the full number is meant.
public struct IDNumber: Hashable, Sendable, CustomStringConvertible {
    /// 18 characters, the check character upper-case.
    public let value: String
    public let birthDate: Day

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters = Array("10X98765432")

    /// Address codes that begin a valid number: the provinces of GB/T 2260 and 83, which the
    /// residence permits of Taiwan residents (港澳台居民居住证, same format) use.
    static let prefixes = DivisionCode.provinces.union(["83"])

    /// Validates and normalises a number as typed: full-width digits and a lower-case `x` are
    /// accepted, an old 15-digit number is converted (the year gets `19`, the check character is
    /// computed). A birth date after `today` is rejected when `today` is given. Field
    /// `certificateNumber`.
    public init(_ raw: String, today: Day? = nil) throws(ValidationError) {
        func fail(_ message: String) -> ValidationError { ValidationError(field: "certificateNumber", message) }
        let text = Lenient.fold(raw).uppercased()
        // Bytes rather than Characters: a million-row import checks a number per row.
        var bytes = Array(text.utf8)
        let ascii = bytes.allSatisfy { $0 < 0x80 }
        let count = ascii ? bytes.count : text.count
        func digits(_ part: ArraySlice<UInt8>) -> Bool { part.allSatisfy { $0 >= 48 && $0 <= 57 } }
        if count == 15 {
            guard ascii, digits(bytes[...]) else { throw fail("15位旧身份证号只能由数字组成，收到“\(raw)”") }
            bytes.insert(contentsOf: Array("19".utf8), at: 6)
            guard let check = IDNumber.checkCharacter(String(decoding: bytes, as: UTF8.self)) else {
                throw fail("身份证号无法转换为18位：“\(raw)”")
            }
            bytes.append(contentsOf: check.utf8)
        } else if count == 18 {
            guard ascii, digits(bytes[0..<17]), digits(bytes[17...]) || bytes[17] == UInt8(ascii: "X") else {
                throw fail("身份证号前17位应为数字，第18位为数字或X，收到“\(raw)”")
            }
        } else {
            throw fail("身份证号应为18位(或旧版15位)，收到\(count)位：“\(raw)”")
        }
        let number = String(decoding: bytes, as: UTF8.self)
        guard IDNumber.prefixes.contains(String(decoding: bytes[0..<2], as: UTF8.self)) else {
            throw fail("身份证号前两位\(number.prefix(2))不是有效的省级行政区划代码")
        }
        func decimal(_ range: Range<Int>) -> Int { bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let year = decimal(6..<10), month = decimal(10..<12), day = decimal(12..<14)
        let birthText = String(decoding: bytes[6..<14], as: UTF8.self)
        guard year >= 1900 else { throw fail("身份证号中的出生年份\(year)早于1900年") }
        let birth: Day
        do throws(ValidationError) {
            birth = try Day(year: year, month: month, day: day)
        } catch {
            throw fail("身份证号中的出生日期\(birthText)不存在")
        }
        if let today, birth > today { throw fail("身份证号中的出生日期\(birth)晚于今天") }
        let given = Character(Unicode.Scalar(bytes[17]))
        let expected = IDNumber.checkCharacter(number.prefix(17))
        guard let expected, expected == given else {
            throw fail("身份证号校验码错误：第18位应为\(expected.map(String.init) ?? "?")，收到\(given)")
        }
        value = number
        birthDate = birth
    }

    /// The check character of the first 17 digits (`"10X98765432"[Σ digit × weight mod 11]`),
    /// or nil when they are not 17 ASCII digits.
    public static func checkCharacter<S: StringProtocol>(_ first17: S) -> Character? {
        let utf8 = Array(first17.utf8)
        guard utf8.count == 17, utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        let sum = zip(utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
        return checkCharacters[sum % 11]
    }

    /// The 17th character is the last of the sequence number: odd for men, even for women.
    public var sex: Sex {
        let digit = Array(value.utf8)[16] - 48
        return digit % 2 == 1 ? .male : .female
    }

    /// The address code (户籍地 at the time of issue), which may no longer exist.
    public var division: String { String(value.prefix(6)) }

    /// `110101********123X`: what lists and logs show.
    public var masked: String { value.prefix(6) + String(repeating: "*", count: 8) + value.suffix(4) }

    public var description: String { masked }
}
