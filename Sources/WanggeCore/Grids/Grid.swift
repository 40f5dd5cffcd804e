/// The kind of a node in the territory tree.
///
/// Administrative units are `urban` (街道, 社区) or `rural` (乡镇, 村). Unit grids in towns are
/// 单位型, 小区型 or 街巷型; rural unit grids are `rural`; special grids (专属网格) cover one
/// business building, park, market, school or hospital and carry a `SpecialKind`.
public enum GridType: String, CaseIterable, Codable, Sendable {
    case urban
    case rural
    case unit
    case estate
    case lane
    case special

    public var label: String {
        switch self {
        case .urban: "城市"
        case .rural: "农村"
        case .unit: "单位型"
        case .estate: "小区型"
        case .lane: "街巷型"
        case .special: "专属网格"
        }
    }

    /// Whether the urban or the rural size norm applies; `nil` for special grids, which have none.
    public var normClass: NormClass? {
        switch self {
        case .urban, .unit, .estate, .lane: .urban
        case .rural: .rural
        case .special: nil
        }
    }
}

/// What a special grid (专属网格) covers.
public enum SpecialKind: String, CaseIterable, Codable, Sendable {
    case officeBuilding = "office_building"
    case park
    case market
    case school
    case hospital
    case other

    public var label: String {
        switch self {
        case .officeBuilding: "商务楼宇"
        case .park: "园区"
        case .market: "商圈市场"
        case .school: "学校"
        case .hospital: "医院"
        case .other: "其他"
        }
    }
}

/// A node of the territory tree: an administrative unit or a grid, with its boundary and figures.
public struct Grid: Hashable, Sendable {
    public var code: GridCode
    /// `nil` only for the root of the tree.
    public var parent: GridCode?
    public var name: String
    public var type: GridType
    public var specialKind: SpecialKind?
    public var boundary: Geometry?
    public var households: Int
    public var population: Int

    public var level: GridLevel { code.level }

    public init(
        code: GridCode, parent: GridCode?, name: String, type: GridType, specialKind: SpecialKind? = nil,
        boundary: Geometry?, households: Int = 0, population: Int = 0
    ) {
        self.code = code
        self.parent = parent
        self.name = name
        self.type = type
        self.specialKind = specialKind
        self.boundary = boundary
        self.households = households
        self.population = population
    }

    /// Checks the rules that concern this node alone and its link to its parent.
    /// Geometry is checked separately (see `Geometry.validate()`).
    public func validate(parent parentGrid: Grid?) throws(ValidationError) {
        if name.allSatisfy(\.isWhitespace) {
            throw ValidationError(field: "name", "名称不能为空")
        }
        if name.count > 100 { throw ValidationError(field: "name", "名称不能超过100个字") }
        if households < 0 { throw ValidationError(field: "households", "户数不能为负数") }
        if population < 0 { throw ValidationError(field: "population", "人口数不能为负数") }
        if type == .special, specialKind == nil {
            throw ValidationError(field: "specialKind", "专属网格必须说明类别(商务楼宇、园区、商圈市场、学校、医院或其他)")
        }
        if type != .special, specialKind != nil {
            throw ValidationError(field: "specialKind", "只有专属网格才有专属类别")
        }
        if [.unit, .estate, .lane, .special].contains(type), level != .grid {
            throw ValidationError(field: "type", "“\(type.label)”只能用于网格层级，\(code)是\(level.label)")
        }
        guard let parentGrid else { return }
        guard parentGrid.level < level else {
            throw ValidationError(field: "parent", "上级\(parentGrid.code)(\(parentGrid.level.label))不高于\(code)(\(level.label))")
        }
        guard parentGrid.code.contains(code) else {
            throw ValidationError(field: "parent", "编码\(code)不以上级编码前缀\(parentGrid.code.prefix)开头")
        }
    }
}
