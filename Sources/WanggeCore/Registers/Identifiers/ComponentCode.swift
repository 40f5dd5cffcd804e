/// The 16-digit code of a city component (城市部件, GB/T 30428): 6-digit county, 2-digit major
/// class, 2-digit minor class, 6-digit serial.
public struct ComponentCode: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    /// Validates the digits, the county's province, the class against the 城市部件小类 table (when
    /// `tables` has one: test tables may not) and the serial. Field `code`.
    public init(_ raw: String, tables: CodeTables = .standard) throws(ValidationError) {
        func fail(_ message: String) -> ValidationError { ValidationError(field: "code", message) }
        let text = Lenient.fold(raw)
        guard text.utf8.count == 16, Lenient.isDigits(text) else {
            throw fail("部件编码应为16位数字(6位区县+2位大类+2位小类+6位序号)，收到“\(raw)”")
        }
        guard DivisionCode.provinces.contains(String(text.prefix(2))) else {
            throw fail("部件编码前6位应为区县代码，“\(text.prefix(6))”的省级代码不存在")
        }
        let minor = String(text.dropFirst(6).prefix(4))
        if let table = tables["城市部件小类"], !table.contains(minor) {
            let major = String(minor.prefix(2))
            let majorName = tables["城市部件大类"]?.label(of: major)
            throw fail(majorName == nil
                ? "部件编码第7至8位的部件大类“\(major)”不存在"
                : "部件编码第9至10位：\(majorName ?? "")下没有小类“\(minor)”")
        }
        guard !text.hasSuffix("000000") else { throw fail("部件编码的序号(后6位)不能为000000") }
        value = text
    }

    /// 6-digit county code.
    public var county: String { String(value.prefix(6)) }
    /// 2-digit major class (城市部件大类).
    public var majorClass: String { String(value.dropFirst(6).prefix(2)) }
    /// 4-digit minor class, major + minor (城市部件小类), as the table keys it.
    public var minorClass: String { String(value.dropFirst(6).prefix(4)) }
    /// 6-digit serial within the county and class.
    public var serial: String { String(value.suffix(6)) }

    public var description: String { value }
}
