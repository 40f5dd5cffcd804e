/// How a person is tied to a house.
public enum ResidenceRole: String, Codable, Sendable, CaseIterable {
    /// 产权人
    case owner
    /// 承租人
    case tenant
    /// 居住人 (family members, lodgers)
    case resident
    /// 户籍在此但不居住 (人户分离)
    case registeredOnly = "registered_only"

    public var label: String {
        switch self {
        case .owner: "产权人"
        case .tenant: "承租人"
        case .resident: "居住人"
        case .registeredOnly: "户在人不在"
        }
    }
}

/// A person's tie to a house over a period. Moving out closes the link (`movedOut`) rather
/// than deleting it, so that the house keeps its history.
public struct Residence: Hashable, Codable, Sendable {
    public var id: Int64?
    public var personID: Int64
    public var houseID: Int64
    public var role: ResidenceRole
    public var movedIn: Day?
    public var movedOut: Day?

    public init(id: Int64? = nil, personID: Int64, houseID: Int64, role: ResidenceRole, movedIn: Day? = nil, movedOut: Day? = nil) {
        self.id = id
        self.personID = personID
        self.houseID = houseID
        self.role = role
        self.movedIn = movedIn
        self.movedOut = movedOut
    }

    public var isCurrent: Bool { movedOut == nil }
}

/// 户: a household with its head and members, registered at a house.
public struct Household: Hashable, Codable, Sendable {
    public var id: Int64?
    /// 户号
    public var number: String
    public var houseID: Int64?
    public var grid: GridCode
    public var headPersonID: Int64
    public var members: [HouseholdMember]

    public init(id: Int64? = nil, number: String, houseID: Int64?, grid: GridCode, headPersonID: Int64, members: [HouseholdMember]) {
        self.id = id
        self.number = number
        self.houseID = houseID
        self.grid = grid
        self.headPersonID = headPersonID
        self.members = members
    }
}

public struct HouseholdMember: Hashable, Codable, Sendable {
    public var personID: Int64
    /// 与户主关系, e.g. 本人, 配偶, 子, 女, 父亲, 母亲 (free text as the hukou book writes it).
    public var relation: String

    public init(personID: Int64, relation: String) {
        self.personID = personID
        self.relation = relation
    }
}
