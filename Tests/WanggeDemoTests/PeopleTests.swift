import Testing
import WanggeCore
import WanggeDemo

@Suite("Demo county: staff, departments, accounts")
struct PeopleTests {
    private static func rosters(_ t: DemoTerritory) -> [GridCode: [StaffMember]] {
        var map: [GridCode: [StaffMember]] = [:]
        for s in t.staff { map[s.gridCode, default: []].append(s) }
        return map
    }

    @Test("nearly every unit grid has 一长N员; a few lack a leader or any worker on purpose")
    func rosterGaps() {
        let rosters = Self.rosters(county)
        let codes = Set(county.grids.map(\.code))
        #expect(county.staff.allSatisfy { codes.contains($0.gridCode) })
        let units = county.grids.filter { $0.level == .grid }
        let summaries = units.map { RosterSummary(roles: (rosters[$0.code] ?? []).map(\.role)) }
        let noLeader = summaries.filter { !$0.hasLeader }.count
        let noWorker = summaries.filter { !$0.hasWorker }.count
        #expect(noLeader >= 2 && Double(noLeader) / Double(units.count) < 0.03)
        #expect(noWorker >= 2 && Double(noWorker) / Double(units.count) < 0.03)
        #expect(summaries.allSatisfy { $0.leaders <= 1 })
        let fullTime = units.filter { (rosters[$0.code] ?? []).contains { $0.role == .fullTime } }.count
        #expect(fullTime + noWorker == units.count)
        let team: Set<StaffRole> = [.instructor, .police, .mediator, .safety]
        #expect(county.staff.contains { team.contains($0.role) })
        // Rosters exist only on unit and special grids.
        let byCode = Dictionary(uniqueKeysWithValues: county.grids.map { ($0.code, $0) })
        #expect(county.staff.allSatisfy { byCode[$0.gridCode]?.level == .grid })
    }

    @Test("staff names and mobile numbers validate, numbers are 13x/15x/18x and unique")
    func phones() {
        var seen: Set<String> = []
        for s in county.staff {
            #expect(throws: Never.self) { try s.validate() }
            let phone = s.phone!
            #expect(phone.count == 11 && ["13", "15", "18"].contains(String(phone.prefix(2))))
            #expect(seen.insert(phone).inserted, "duplicate \(phone)")
            #expect((2...3).contains(s.name.count))
        }
        for people in county.departmentStaff.values {
            for p in people {
                #expect(throws: Never.self) { try validatePhone(p.phone) }
                #expect(throws: Never.self) { try validatePersonName(p.name) }
                #expect(seen.insert(p.phone).inserted, "duplicate \(p.phone)")
                #expect(!p.post.isEmpty)
            }
        }
    }

    @Test("county departments and township offices validate, keys unique, 2–4 staff each")
    func departments() {
        let codes = Set(county.grids.map(\.code))
        let keys = county.departments.map(\.key)
        #expect(Set(keys).count == keys.count)
        #expect(Set(county.departmentStaff.keys) == Set(keys))
        let kinds = Set(county.departments.filter { $0.serves.level == .county }.map(\.kind))
        #expect(kinds.isSuperset(of: [.publicSecurity, .justice, .civilAffairs, .health, .urbanManagement, .housing,
                                      .transport, .education, .marketRegulation, .emergency, .naturalResources,
                                      .ecology, .water, .agriculture, .humanResources, .petitions]))
        #expect(county.departments.contains { $0.serves.level == .township && $0.name.hasSuffix("派出所") })
        #expect(county.departments.contains { $0.serves.level == .township && $0.name.hasSuffix("司法所") })
        for d in county.departments {
            #expect(throws: Never.self) { try d.validate() }
            #expect(codes.contains(d.serves))
            #expect((2...4).contains(county.departmentStaff[d.key]?.count ?? 0), "\(d.key)")
        }
        #expect(county.departments.first { $0.key == "gongan" }?.name == "清溪县公安局")
    }

    @Test("one account per role; each validates and its scope exists", arguments: [DemoScale.county, .city])
    func accounts(scale: DemoScale) throws {
        let t = scale == .county ? county : city
        let byCode = Dictionary(uniqueKeysWithValues: t.grids.map { ($0.code, $0) })
        let names = t.accounts.map(\.username)
        #expect(names == ["admin", "zhongxin", "jiedao", "xiangzhen", "shequ", "wangzhang", "wanggeyuan", "gongan", "lingdao"])
        #expect(Set(t.accounts.map(\.role)) == Set(Role.allCases))
        for a in t.accounts {
            let account = Account(username: a.username, displayName: a.displayName, role: a.role, scope: a.scope,
                                  departmentID: a.role == .department ? 1 : nil)
            #expect(throws: Never.self) { try account.validate() }
            #expect(!a.purpose.isEmpty)
            if a.role == .department {
                #expect(a.scope == nil)
                let department = t.departments.first { $0.key == a.departmentKey }
                #expect(department?.kind == .publicSecurity && department?.serves.level == .county)
            } else {
                #expect(a.departmentKey == nil)
                #expect(byCode[try #require(a.scope)] != nil, "\(a.username) scope missing")
            }
        }
        let scope = { (name: String) in t.accounts.first { $0.username == name }!.scope! }
        let top: GridLevel = scale == .county ? .county : .city
        #expect(scope("admin").level == top && scope("lingdao").level == top)
        #expect(scope("zhongxin").level == .county)
        #expect(scope("jiedao").level == .township && byCode[scope("jiedao")]!.name.hasSuffix("街道"))
        #expect(scope("xiangzhen").level == .township)
        #expect(!scope("jiedao").contains(scope("xiangzhen")) && !scope("xiangzhen").contains(scope("jiedao")))
        #expect(scope("zhongxin").contains(scope("jiedao")) && scope("zhongxin").contains(scope("xiangzhen")))
        #expect(scope("shequ").level == .community && scope("jiedao").contains(scope("shequ")))
        #expect(scope("wangzhang").level == .grid && scope("shequ").contains(scope("wangzhang")))
        #expect(scope("wanggeyuan") == scope("wangzhang"))
        // The grid leader and worker are the people on that grid's roster.
        let roster = Self.rosters(t)[scope("wangzhang")] ?? []
        let leader = t.accounts.first { $0.username == "wangzhang" }!.displayName
        let worker = t.accounts.first { $0.username == "wanggeyuan" }!.displayName
        #expect(roster.contains { $0.role == .leader && $0.name == leader })
        #expect(roster.contains { $0.role == .fullTime && $0.name == worker })
        #expect(byCode[scope("wangzhang")]!.type != .special)
    }
}
