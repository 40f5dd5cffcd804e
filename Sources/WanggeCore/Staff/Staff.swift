/// The posts of a grid's roster: the leader, full- and part-time workers, and the "4+N" team
/// (网格指导员、警务员、调解员、安全员) that backs them.
public enum StaffRole: String, CaseIterable, Codable, Sendable {
    case leader
    case fullTime = "full_time"
    case partTime = "part_time"
    case instructor
    case police
    case mediator
    case safety

    public var label: String {
        switch self {
        case .leader: "网格长"
        case .fullTime: "专职网格员"
        case .partTime: "兼职网格员"
        case .instructor: "网格指导员"
        case .police: "网格警务员"
        case .mediator: "网格调解员"
        case .safety: "网格安全员"
        }
    }

    /// Grid workers proper, who walk the grid; the "4+N" posts support them.
    public var isWorker: Bool { self == .fullTime || self == .partTime }
}

/// One person on a grid's roster.
public struct StaffMember: Hashable, Sendable {
    public var id: Int64?
    public var gridCode: GridCode
    public var name: String
    public var role: StaffRole
    public var phone: String?

    public init(id: Int64? = nil, gridCode: GridCode, name: String, role: StaffRole, phone: String?) {
        self.id = id
        self.gridCode = gridCode
        self.name = name
        self.role = role
        self.phone = phone
    }

    public func validate() throws(ValidationError) {
        try validatePersonName(name)
        if let phone { try validatePhone(phone) }
    }
}

/// A grid's roster in the words of the seeds: "一长N员", and what is missing.
public struct RosterSummary: Hashable, Codable, Sendable {
    public var leaders: Int
    public var members: Int
    public var workers: Int

    public init(roles: some Sequence<StaffRole>) {
        var leaders = 0, members = 0, workers = 0
        for role in roles {
            if role == .leader { leaders += 1 } else { members += 1 }
            if role.isWorker { workers += 1 }
        }
        self.leaders = leaders
        self.members = members
        self.workers = workers
    }

    public var hasLeader: Bool { leaders > 0 }
    public var hasWorker: Bool { workers > 0 }

    /// "一长三员", or "无网格长·二员" when the leader is missing.
    public var label: String {
        let n = chineseCount(members)
        return leaders > 0 ? "一长\(n)员" : "无网格长·\(n)员"
    }
}

/// Small counts the way rosters write them (一, 二 … 十, then digits).
func chineseCount(_ n: Int) -> String {
    let words = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    return n >= 0 && n < words.count ? words[n] : String(n)
}

/// A person's name as typed into a roster or account: 1–50 characters, no control characters.
public func validatePersonName(_ name: String, field: String = "name") throws(ValidationError) {
    if name.allSatisfy(\.isWhitespace) { throw ValidationError(field: field, "姓名不能为空") }
    if name.count > 50 { throw ValidationError(field: field, "姓名不能超过50个字") }
    if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
        throw ValidationError(field: field, "姓名含有控制字符")
    }
}

/// A mainland mobile number (11 digits starting with 1) or a landline with area code (e.g. 0851-22123456).
public func validatePhone(_ phone: String, field: String = "phone") throws(ValidationError) {
    let digits = phone.filter { $0 != "-" }
    let allDigits = !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    let mobile = digits.count == 11 && digits.first == "1"
    let landline = digits.first == "0" && (10...12).contains(digits.count)
    guard allDigits, mobile || landline else {
        throw ValidationError(field: field, "电话号码格式不正确：\(phone)")
    }
}
