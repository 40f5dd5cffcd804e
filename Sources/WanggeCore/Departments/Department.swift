/// A functional department (职能部门) that receives and handles tasks, attached to the county
/// or township whose territory it serves.
public struct Department: Hashable, Sendable {
    public var id: Int64?
    /// A short stable key, unique within the unit it serves (e.g. `gongan`).
    public var key: String
    public var name: String
    public var kind: DepartmentKind
    /// The county or township the department serves; its staff see that subtree of grids.
    public var serves: GridCode

    public init(id: Int64? = nil, key: String, name: String, kind: DepartmentKind, serves: GridCode) {
        self.id = id
        self.key = key
        self.name = name
        self.kind = kind
        self.serves = serves
    }

    public func validate() throws(ValidationError) {
        guard !key.isEmpty, key.count <= 40,
              key.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" })
        else { throw ValidationError(field: "key", "部门标识只能由小写字母、数字、-和_组成(1–40位)") }
        if name.allSatisfy(\.isWhitespace) { throw ValidationError(field: "name", "部门名称不能为空") }
        if name.count > 100 { throw ValidationError(field: "name", "部门名称不能超过100个字") }
        guard [.city, .county, .township].contains(serves.level) else {
            throw ValidationError(field: "serves", "职能部门只能隶属于市、县(区)或乡镇(街道)，\(serves)是\(serves.level.label)")
        }
    }
}

/// The lines of government that departments belong to.
public enum DepartmentKind: String, CaseIterable, Codable, Sendable {
    case publicSecurity = "public_security"
    case justice
    case civilAffairs = "civil_affairs"
    case health
    case urbanManagement = "urban_management"
    case housing
    case transport
    case education
    case marketRegulation = "market_regulation"
    case emergency
    case naturalResources = "natural_resources"
    case ecology
    case water
    case agriculture
    case humanResources = "human_resources"
    case petitions
    case other

    public var label: String {
        switch self {
        case .publicSecurity: "公安"
        case .justice: "司法"
        case .civilAffairs: "民政"
        case .health: "卫健"
        case .urbanManagement: "城管"
        case .housing: "住建"
        case .transport: "交通"
        case .education: "教育"
        case .marketRegulation: "市场监管"
        case .emergency: "应急管理"
        case .naturalResources: "自然资源"
        case .ecology: "生态环境"
        case .water: "水务"
        case .agriculture: "农业农村"
        case .humanResources: "人社"
        case .petitions: "信访"
        case .other: "其他"
        }
    }
}
