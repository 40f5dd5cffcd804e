/// The levels of the territory tree, from the city down to the basic unit grid.
///
/// The first four are administrative units keyed by 12-digit division codes; the last is the
/// 15-digit unit grid (基础单元网格) or special grid (专属网格) beneath them.
public enum GridLevel: String, CaseIterable, Codable, Sendable, Comparable {
    case city
    case county
    case township
    case community
    case grid

    /// 0 for the city, 4 for a unit grid.
    public var depth: Int {
        switch self {
        case .city: 0
        case .county: 1
        case .township: 2
        case .community: 3
        case .grid: 4
        }
    }

    /// How many leading digits of a code identify a unit of this level and everything beneath it.
    public var prefixLength: Int {
        switch self {
        case .city: 4
        case .county: 6
        case .township: 9
        case .community: 12
        case .grid: 15
        }
    }

    /// The name users see.
    public var label: String {
        switch self {
        case .city: "市"
        case .county: "县(区)"
        case .township: "乡镇(街道)"
        case .community: "村(社区)"
        case .grid: "网格"
        }
    }

    public static func < (lhs: GridLevel, rhs: GridLevel) -> Bool { lhs.depth < rhs.depth }
}
