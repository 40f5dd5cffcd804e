/// The fixed choices of the registers read from what a form or a spreadsheet gives: the stored
/// key, the label, or a name people commonly use for it.
protocol LabelledChoice: RawRepresentable<String>, CaseIterable {
    var label: String { get }
    /// Other names for a case, beyond its key and label.
    static var aliases: [String: Self] { get }
    /// Every name of every case as `CodeTable.key` folds it: each conformance stores
    /// `nameTable()` here once, since a million-row import looks names up several times a row.
    static var names: [String: Self] { get }
}

extension LabelledChoice {
    /// The case meant by `text`, or nil.
    static func lookup(_ text: String) -> Self? {
        let key = CodeTable.key(text)
        return names[key] ?? names[key.lowercased()]
    }

    /// Keys take precedence over labels, labels over aliases.
    static func nameTable() -> [String: Self] {
        var table: [String: Self] = [:]
        for (name, value) in aliases { table[CodeTable.key(name)] = value }
        for value in allCases { table[CodeTable.key(value.label)] = value }
        for value in allCases { table[value.rawValue] = value }
        return table
    }

    /// `居民身份证、护照…` for messages.
    static var choices: String { allCases.map(\.label).joined(separator: "、") }
}

extension CertificateType: LabelledChoice {
    static let aliases: [String: CertificateType] = [
        "身份证": .residentID, "二代身份证": .residentID, "公民身份号码": .residentID,
        "普通护照": .passport, "外国护照": .passport,
        "永久居留身份证": .foreignPermanentResident, "外国人永久居留证": .foreignPermanentResident, "永居证": .foreignPermanentResident,
        "港澳台居民居住证": .hongKongMacaoTaiwan, "港澳居民来往内地通行证": .hongKongMacaoTaiwan,
        "台湾居民来往大陆通行证": .hongKongMacaoTaiwan, "港澳通行证": .hongKongMacaoTaiwan, "台胞证": .hongKongMacaoTaiwan,
        "其他": .other,
    ]
    static let names = nameTable()

    /// The key or label of a certificate type, or a common name of it (`身份证`, `台胞证`).
    public static func resolve(_ text: String) -> CertificateType? { lookup(text) }
}

extension Sex: LabelledChoice {
    // GB/T 2261.1: 1 男, 2 女.
    static let aliases: [String: Sex] = ["男性": .male, "女性": .female, "1": .male, "2": .female, "m": .male, "f": .female]
    static let names = nameTable()

    /// `男`/`女`, `male`/`female`, GB/T 2261.1's `1`/`2`.
    public static func resolve(_ text: String) -> Sex? { lookup(text) }
}

extension PersonKind: LabelledChoice {
    static let aliases: [String: PersonKind] = [
        "户籍": .registered, "常住人口": .registered, "流动": .floating, "外来人口": .floating,
        "境外": .foreign, "境外人口": .foreign, "外籍人员": .foreign, "外国人": .foreign,
    ]
    static let names = nameTable()

    /// `户籍人口`/`户籍`, `流动人口`/`流动`, `境外人员`/`境外` or the key.
    public static func resolve(_ text: String) -> PersonKind? { lookup(text) }
}

extension ResidenceRole: LabelledChoice {
    static let aliases: [String: ResidenceRole] = [
        "房主": .owner, "业主": .owner, "租户": .tenant, "租客": .tenant, "住户": .resident, "家庭成员": .resident,
        "人户分离": .registeredOnly,
    ]
    static let names = nameTable()

    /// `产权人`/`业主`, `承租人`/`租户`, `居住人`/`住户`, `户在人不在`/`人户分离` or the key.
    public static func resolve(_ text: String) -> ResidenceRole? { lookup(text) }
}

extension ComponentState: LabelledChoice {
    static let aliases: [String: ComponentState] = ["正常": .intact, "损坏": .damaged, "缺失": .missing, "被占用": .occupied, "报废": .removed]
    static let names = nameTable()

    /// `完好`, `破损`, `丢失`, `占用`, `废弃` (or `正常`, `损坏` …) or the key.
    public static func resolve(_ text: String) -> ComponentState? { lookup(text) }
}

extension OrganisationKind: LabelledChoice {
    static let aliases: [String: OrganisationKind] = [
        "企业": .enterprise, "非公企业": .enterprise, "非公有制企业": .enterprise, "个体工商户": .enterprise,
    ]
    static let names = nameTable()

    /// `非公有制经济组织`/`企业`, `社会组织` or the key.
    public static func resolve(_ text: String) -> OrganisationKind? { lookup(text) }
}
