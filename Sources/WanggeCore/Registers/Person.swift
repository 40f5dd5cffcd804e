/// 性别, as GB 11643 encodes it in the parity of the sequence number.
public enum Sex: String, Codable, Sendable, CaseIterable {
    case male
    case female

    public var label: String { self == .male ? "男" : "女" }
}

/// 人员类别: the three registers of 实有人口, each with fields of its own.
public enum PersonKind: String, Codable, Sendable, CaseIterable {
    /// 户籍人口
    case registered
    /// 流动人口: 流入原因 and 办证类型.
    case floating
    /// 境外人员: nationality and 来华目的; they carry a passport or a permit, not a resident ID.
    case foreign

    public var label: String {
        switch self {
        case .registered: "户籍人口"
        case .floating: "流动人口"
        case .foreign: "境外人员"
        }
    }
}

/// 证件类型. Only the resident ID card has a check character to validate; the others are kept as typed.
public enum CertificateType: String, Codable, Sendable, CaseIterable {
    /// 居民身份证 (GB 11643)
    case residentID = "resident_id"
    /// 护照
    case passport
    /// 外国人永久居留身份证
    case foreignPermanentResident = "foreign_permanent_resident"
    /// 港澳台居民居住证 / 往来通行证
    case hongKongMacaoTaiwan = "hk_macao_taiwan"
    case other

    public var label: String {
        switch self {
        case .residentID: "居民身份证"
        case .passport: "护照"
        case .foreignPermanentResident: "外国人永久居留身份证"
        case .hongKongMacaoTaiwan: "港澳台居民证件"
        case .other: "其他证件"
        }
    }
}

/// 实有人口: one person, kept once however many houses and roles they have. Coded fields hold
/// the code of their GB/T 31000 table (`CodeTables`), not the label.
///
/// The certificate number and phone are personal data: storage keeps them encrypted, and every
/// answer masks them unless a permitted caller reveals one with a reason.
public struct Person: Hashable, Codable, Sendable {
    public var id: Int64?
    public var name: String
    public var certificateType: CertificateType
    /// For a resident ID: the normalised 18-character number (15-digit numbers converted, `x` upper-cased).
    public var certificateNumber: String
    public var sex: Sex
    public var birthDate: Day?
    /// 民族 code (01–56), nil for foreigners.
    public var ethnicity: String?
    public var phone: String?
    /// 户籍地: division code (6 or 12 digits) and address.
    public var registeredDivision: String?
    public var registeredAddress: String?
    /// 现住址 as written; the house links say where exactly.
    public var currentAddress: String?
    /// The unit grid (or community) the person lives in: what territory decides who may see them.
    public var grid: GridCode
    public var kind: PersonKind
    /// 流动人口: 流入原因, 办证类型 and the permit's number and expiry.
    public var inflowReason: String?
    public var permitType: String?
    public var permitNumber: String?
    public var permitExpiry: Day?
    /// 境外人员: nationality (ISO 3166-1 alpha-3), name in Latin letters, 来华目的.
    public var nationality: String?
    public var foreignName: String?
    public var visitPurpose: String?
    public var updatedAt: Int64?

    public init(id: Int64? = nil, name: String, certificateType: CertificateType = .residentID, certificateNumber: String,
                sex: Sex, birthDate: Day?, ethnicity: String? = nil, phone: String? = nil, registeredDivision: String? = nil,
                registeredAddress: String? = nil, currentAddress: String? = nil, grid: GridCode, kind: PersonKind,
                inflowReason: String? = nil, permitType: String? = nil, permitNumber: String? = nil, permitExpiry: Day? = nil,
                nationality: String? = nil, foreignName: String? = nil, visitPurpose: String? = nil, updatedAt: Int64? = nil) {
        self.id = id
        self.name = name
        self.certificateType = certificateType
        self.certificateNumber = certificateNumber
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.phone = phone
        self.registeredDivision = registeredDivision
        self.registeredAddress = registeredAddress
        self.currentAddress = currentAddress
        self.grid = grid
        self.kind = kind
        self.inflowReason = inflowReason
        self.permitType = permitType
        self.permitNumber = permitNumber
        self.permitExpiry = permitExpiry
        self.nationality = nationality
        self.foreignName = foreignName
        self.visitPurpose = visitPurpose
        self.updatedAt = updatedAt
    }
}
