/// 部件状态.
public enum ComponentState: String, Codable, Sendable, CaseIterable {
    case intact
    case damaged
    case missing
    case occupied
    case removed

    public var label: String {
        switch self {
        case .intact: "完好"
        case .damaged: "破损"
        case .missing: "丢失"
        case .occupied: "占用"
        case .removed: "废弃"
        }
    }
}

/// 城市部件: a manhole cover, a street lamp, a bench. Its 16-digit code carries the county, the
/// major and minor class and a serial (`ComponentCode`).
public struct Component: Hashable, Codable, Sendable {
    public var id: Int64?
    public var code: String
    public var grid: GridCode
    public var state: ComponentState
    /// 权属单位 / 养护单位
    public var owner: String?
    public var lon: Double
    public var lat: Double

    public init(id: Int64? = nil, code: String, grid: GridCode, state: ComponentState, owner: String? = nil, lon: Double, lat: Double) {
        self.id = id
        self.code = code
        self.grid = grid
        self.state = state
        self.owner = owner
        self.lon = lon
        self.lat = lat
    }

    /// 大类 and 小类: digits 7–8 and 9–10.
    public var majorClass: String { String(code.dropFirst(6).prefix(2)) }
    public var minorClass: String { String(code.dropFirst(6).prefix(4)) }
}
