/// Chinese phone numbers as stored: a mobile as its 11 digits, a landline as `0area-local`.
public enum PhoneNumber {
    /// Normalises a number as typed: spaces, dashes, brackets and the country code (`+86`,
    /// `0086`) are dropped. A mobile is `1[3-9]` and 9 more digits; a landline has its area code
    /// (3 digits for 010 and 02x, else 4) and a 7- or 8-digit local number. Field `phone`.
    public static func normalise(_ raw: String) throws(ValidationError) -> String {
        func fail(_ message: String) -> ValidationError { ValidationError(field: "phone", message) }
        var text = Lenient.fold(raw)
        if !Lenient.isDigits(text) { text = text.filter { !" -()".contains($0) } }
        if text.hasPrefix("+86") {
            text.removeFirst(3)
        } else if text.hasPrefix("0086") {
            text.removeFirst(4)
        } else if text.hasPrefix("86"), text.utf8.count == 13 {
            text.removeFirst(2)
        }
        guard Lenient.isDigits(text) else { throw fail("电话号码只能包含数字，收到“\(raw)”(分机号请写在备注中)") }
        let digits = Array(text.utf8)
        if digits.first == UInt8(ascii: "1") {
            guard digits.count == 11, (UInt8(ascii: "3")...UInt8(ascii: "9")).contains(digits[1]) else {
                throw fail("手机号码应为以13至19开头的11位数字，收到“\(raw)”")
            }
            return text
        }
        guard digits.first == UInt8(ascii: "0") else { throw fail("固定电话须带区号(如 0755-12345678)，收到“\(raw)”") }
        // Area codes: 010 (Beijing) and 020–029 have three digits, all others four.
        let areaLength: Int
        switch digits.count > 2 ? digits[1] : UInt8(ascii: "0") {
        case UInt8(ascii: "1") where digits[2] == UInt8(ascii: "0"), UInt8(ascii: "2"): areaLength = 3
        case UInt8(ascii: "3")...UInt8(ascii: "9"): areaLength = 4
        default: throw fail("固定电话区号“\(text.prefix(4))”无效")
        }
        let local = digits.dropFirst(areaLength)
        guard (7...8).contains(local.count) else { throw fail("固定电话号码(不含区号)应为7至8位，收到“\(raw)”") }
        // Local numbers start with 2–9; 0 and 1 begin trunk and service numbers.
        guard local.first != UInt8(ascii: "0"), local.first != UInt8(ascii: "1") else {
            throw fail("固定电话本地号码不能以0或1开头，收到“\(raw)”")
        }
        return String(decoding: digits.prefix(areaLength), as: UTF8.self) + "-" + String(decoding: local, as: UTF8.self)
    }
}

/// Masked forms of personal numbers for lists, exports and logs: enough to tell people apart,
/// not enough to use the number.
public enum Masking {
    /// A resident ID keeps its address code and last four (`110101********123X`); any other
    /// certificate keeps its first two and last two characters.
    public static func certificate(_ number: String, type: CertificateType) -> String {
        let chars = Array(number)
        if type == .residentID, chars.count == 18 {
            return String(chars.prefix(6)) + String(repeating: "*", count: 8) + String(chars.suffix(4))
        }
        return keep(chars, first: 2, last: 2)
    }

    /// A mobile keeps its first three and last four (`138****1234`); a landline keeps its area
    /// code and last two (`0755-******78`).
    public static func phone(_ phone: String) -> String {
        let chars = Array(phone)
        if let dash = chars.firstIndex(of: "-") {
            let local = Array(chars[(dash + 1)...])
            return String(chars[...dash]) + keep(local, first: 0, last: 2)
        }
        if chars.count == 11, chars.first == "1" { return keep(chars, first: 3, last: 4) }
        return keep(chars, first: 0, last: 2)
    }

    /// Stars in place of the middle, the length kept; a value too short to show anything is
    /// starred entirely.
    static func keep(_ chars: [Character], first: Int, last: Int) -> String {
        guard chars.count > first + last else { return String(repeating: "*", count: chars.count) }
        return String(chars.prefix(first)) + String(repeating: "*", count: chars.count - first - last) + String(chars.suffix(last))
    }
}
