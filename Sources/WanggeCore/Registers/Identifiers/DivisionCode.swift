/// Administrative division codes (GB/T 2260 and the 12-digit statistical codes) as a person's
/// 户籍地 is recorded: province, county, township or village level.
public enum DivisionCode {
    /// The 34 provincial-level codes of GB/T 2260: 31 mainland provinces, regions and
    /// municipalities, then 台湾 (71), 香港 (81) and 澳门 (82).
    public static let provinces: Set<String> = [
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
        "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
        "71", "81", "82",
    ]

    /// The code as digits: 6 (county), 9 (township) or 12 (village/community) digits under a
    /// real province. Field `registeredDivision`.
    public static func validate(_ raw: String) throws(ValidationError) -> String {
        let code = Lenient.fold(raw)
        guard Lenient.isDigits(code), [6, 9, 12].contains(code.utf8.count) else {
            throw ValidationError(field: "registeredDivision", "区划代码应为6位、9位或12位数字，收到“\(raw)”")
        }
        guard provinces.contains(String(code.prefix(2))) else {
            throw ValidationError(field: "registeredDivision", "区划代码“\(code)”的省级代码\(code.prefix(2))不存在")
        }
        return code
    }
}
