/// Which register of GB/T 31000's 非公有制经济组织和社会组织 module an organisation is in.
public enum OrganisationKind: String, Codable, Sendable, CaseIterable {
    /// 非公有制经济组织: 企业类别, 登记注册类型, 控股情况.
    case enterprise
    /// 社会组织: 社会组织类型.
    case social

    public var label: String { self == .enterprise ? "非公有制经济组织" : "社会组织" }
}

public struct Organisation: Hashable, Codable, Sendable {
    public var id: Int64?
    public var kind: OrganisationKind
    public var name: String
    /// 统一社会信用代码 (GB 32100), 18 characters with a check character.
    public var creditCode: String
    /// 企业类别, 登记注册类型, 控股情况 codes (enterprises).
    public var enterpriseCategory: String?
    public var registrationType: String?
    public var holding: String?
    /// 社会组织类型 code (social organisations).
    public var socialType: String?
    public var legalRepresentative: String
    public var phone: String?
    public var address: String
    public var grid: GridCode
    public var employees: Int?
    public var lon: Double?
    public var lat: Double?

    public init(id: Int64? = nil, kind: OrganisationKind, name: String, creditCode: String, enterpriseCategory: String? = nil,
                registrationType: String? = nil, holding: String? = nil, socialType: String? = nil,
                legalRepresentative: String, phone: String? = nil, address: String, grid: GridCode, employees: Int? = nil,
                lon: Double? = nil, lat: Double? = nil) {
        self.id = id
        self.kind = kind
        self.name = name
        self.creditCode = creditCode
        self.enterpriseCategory = enterpriseCategory
        self.registrationType = registrationType
        self.holding = holding
        self.socialType = socialType
        self.legalRepresentative = legalRepresentative
        self.phone = phone
        self.address = address
        self.grid = grid
        self.employees = employees
        self.lon = lon
        self.lat = lat
    }
}
