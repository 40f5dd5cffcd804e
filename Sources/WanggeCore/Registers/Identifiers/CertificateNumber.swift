/// Certificate numbers as stored: a resident ID normalised by `IDNumber`, any other certificate
/// upper-cased without spaces, as printed on it.
public enum CertificateNumber {
    /// The stored form of a number of the given certificate type. Field `certificateNumber`.
    public static func normalise(_ raw: String, type: CertificateType, today: Day? = nil) throws(ValidationError) -> String {
        if type == .residentID { return try IDNumber(raw, today: today).value }
        let text = Lenient.fold(raw).uppercased().filter { !$0.isWhitespace }
        guard (3...30).contains(text.count), text.allSatisfy({ $0.isLetter || $0.isNumber || "()-".contains($0) }) else {
            throw ValidationError(field: "certificateNumber", "\(type.label)号码应为3至30位字母或数字，收到“\(raw)”")
        }
        return text
    }

    /// The stored form of a number whose certificate type is not given, as when a residence or
    /// a role names the person by number only: a number shaped like a resident ID (15 digits, or
    /// 17 digits and a check character) is validated as one — a typo in it would otherwise link
    /// to nobody — except when it starts with 9, as the 18-digit foreign permanent resident card
    /// (2023) does.
    public static func normalise(_ raw: String, today: Day? = nil) throws(ValidationError) -> String {
        let text = Lenient.fold(raw).uppercased()
        let chars = Array(text)
        let shapedLikeID = (chars.count == 15 && Lenient.isDigits(text))
            || (chars.count == 18 && Lenient.isDigits(String(chars[..<17])) && (chars[17] == "X" || chars[17].isASCII && chars[17].isNumber))
        return try normalise(raw, type: shapedLikeID && chars.first != "9" ? .residentID : .other, today: today)
    }
}
