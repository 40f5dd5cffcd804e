import WanggeCore

/// The rosters of one county's grids and the gaps left in them on purpose.
struct CountyRosters {
    var staff: [StaffMember] = []
    var withoutLeader: Set<GridCode> = []
    var withoutWorker: Set<GridCode> = []

    /// “一长两员” for nearly every unit grid: a 网格长, one 专职 and up to two 兼职网格员,
    /// and on some grids part of the “4+N” team. About 1.5% of the ordinary grids get no
    /// leader and as many no worker at all, so that the “missing staff” report has rows;
    /// the demo accounts' own grid is always complete.
    init(layout: CountyLayout, rng: inout SeededRandom, phones: inout Set<String>) {
        let ordinary = layout.units.filter { $0.type != .special && $0.code != layout.accountGrid }.map(\.code)
        let gaps = Swift.max(2, Int((Double(ordinary.count) * 0.015).rounded()))
        let chosen = rng.sample(ordinary, count: 2 * gaps)
        withoutLeader = Set(chosen.prefix(gaps))
        withoutWorker = Set(chosen.dropFirst(gaps))
        let team: [StaffRole] = [.instructor, .police, .mediator, .safety]
        for unit in layout.units {
            var roles: [StaffRole] = []
            if !withoutLeader.contains(unit.code) { roles.append(.leader) }
            if !withoutWorker.contains(unit.code) {
                roles.append(.fullTime)
                let partTime = unit.special != nil ? 0 : rng.int(in: 0...2)
                roles += Array(repeating: .partTime, count: partTime)
            }
            if unit.special != nil {
                // Special grids sit on a school, hospital or market: police are always there.
                roles.append(.police)
                if rng.chance(0.5) { roles.append(.safety) }
            } else if rng.chance(unit.type == .rural ? 0.25 : 0.35) {
                let picked = Set(rng.sample(team, count: rng.int(in: 1...3)))
                roles += team.filter(picked.contains)
            }
            for role in roles {
                staff.append(StaffMember(gridCode: unit.code, name: Names.person(&rng), role: role,
                                         phone: Names.phone(&rng, used: &phones)))
            }
        }
    }
}

/// A member of a department's staff; departments keep post titles, not grid roles.
public struct DemoPerson: Hashable, Sendable {
    public var name: String
    public var phone: String
    /// 职务, e.g. “副局长”, “社区民警”.
    public var post: String

    public init(name: String, phone: String, post: String) {
        self.name = name
        self.phone = phone
        self.post = post
    }
}

/// The county's functional departments (职能部门) and each township's 派出所 and 司法所.
struct CountyDepartments {
    var departments: [Department] = []
    /// In the order of `departments`, so that output never depends on dictionary order.
    var staff: [(key: String, people: [DemoPerson])] = []

    private static let bureaus: [(key: String, name: String, kind: DepartmentKind)] = [
        ("gongan", "公安局", .publicSecurity),
        ("sifa", "司法局", .justice),
        ("minzheng", "民政局", .civilAffairs),
        ("weijian", "卫生健康局", .health),
        ("chengguan", "综合行政执法局", .urbanManagement),
        ("zhujian", "住房和城乡建设局", .housing),
        ("jiaotong", "交通运输局", .transport),
        ("jiaoyu", "教育局", .education),
        ("shichang", "市场监督管理局", .marketRegulation),
        ("yingji", "应急管理局", .emergency),
        ("ziran", "自然资源局", .naturalResources),
        ("shengtai", "生态环境局", .ecology),
        ("shuiwu", "水务局", .water),
        ("nongye", "农业农村局", .agriculture),
        ("renshe", "人力资源和社会保障局", .humanResources),
        ("xinfang", "信访局", .petitions),
        ("fulian", "妇女联合会", .other),
    ]

    /// The key of the county police bureau, the department of the `gongan` demo account.
    static func policeKey(suffix: String) -> String { "gongan" + suffix }

    init(plan: CountyPlan, townships: [Node], rng: inout SeededRandom, phones: inout Set<String>) {
        let bureauPosts = ["副局长", "办公室主任", "业务股股长", "网格联络员"]
        for b in Self.bureaus {
            let posts = b.kind == .other ? ["副主席", "办公室主任", "干事", "网格联络员"] : bureauPosts
            add(Department(key: b.key + plan.keySuffix, name: plan.name + b.name, kind: b.kind, serves: plan.code),
                posts: posts, rng: &rng, phones: &phones)
        }
        for t in townships {
            let digits = String(t.code.value.dropFirst(6).prefix(3))
            add(Department(key: "paichusuo-\(digits)\(plan.keySuffix)", name: t.base + "派出所",
                           kind: .publicSecurity, serves: t.code),
                posts: ["所长", "副所长", "社区民警", "辅警"], rng: &rng, phones: &phones)
            add(Department(key: "sifasuo-\(digits)\(plan.keySuffix)", name: t.base + "司法所",
                           kind: .justice, serves: t.code),
                posts: ["所长", "人民调解员", "司法助理员", "社区矫正专干"], rng: &rng, phones: &phones)
        }
    }

    private mutating func add(_ d: Department, posts: [String], rng: inout SeededRandom, phones: inout Set<String>) {
        let people = posts.prefix(rng.int(in: 2...4)).map { post in
            DemoPerson(name: Names.person(&rng), phone: Names.phone(&rng, used: &phones), post: post)
        }
        departments.append(d)
        staff.append((d.key, people))
    }
}
