/// A role a person holds in a special population (特殊人群, 重点青少年) or a care group (关爱对象):
/// one person can hold several. What each kind records beyond the person, its code tables, its
/// default 关注程度 and visit frequency are data (`PopulationRoleKinds`), not code.
public struct PopulationRole: Hashable, Codable, Sendable {
    public var id: Int64?
    public var personID: Int64
    /// The kind's key in `PopulationRoleKinds`, e.g. `correction` for 社区矫正.
    public var kind: String
    /// The person's grid, copied so that counts and territory need no join.
    public var grid: GridCode
    /// 关注程度 code: 01 高, 02 中, 03 低.
    public var attention: String
    /// Visit at least every this many days; drives visit plans.
    public var visitEveryDays: Int
    /// The kind's own fields by their key; coded values hold codes.
    public var fields: [String: String]
    public var since: Day?
    /// Set when the role ends (解除矫正, 脱离低保…); ended roles stay for history.
    public var until: Day?

    public init(id: Int64? = nil, personID: Int64, kind: String, grid: GridCode, attention: String, visitEveryDays: Int,
                fields: [String: String] = [:], since: Day? = nil, until: Day? = nil) {
        self.id = id
        self.personID = personID
        self.kind = kind
        self.grid = grid
        self.attention = attention
        self.visitEveryDays = visitEveryDays
        self.fields = fields
        self.since = since
        self.until = until
    }

    public var isActive: Bool { until == nil }
}
