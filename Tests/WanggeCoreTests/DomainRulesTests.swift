import Testing
@testable import WanggeCore

private func gridCode(_ s: String) -> GridCode { try! GridCode(s) }

/// The error a typed-throwing rule raises, or nil when it passes.
private func failure(_ body: @autoclosure () throws(ValidationError) -> Void) -> ValidationError? {
    do throws(ValidationError) {
        try body()
        return nil
    } catch {
        return error
    }
}

private func unitGrid(_ type: GridType, households: Int, population: Int, code: String = "520102001001001") -> Grid {
    Grid(code: gridCode(code), parent: gridCode("520102001001"), name: "测试网格", type: type,
         specialKind: type == .special ? .school : nil, boundary: nil, households: households, population: population)
}

@Suite("SizeNorms")
struct SizeNormsTests {
    let norms = SizeNorms.standard

    @Test func urbanGridOverBothFiguresViolates() {
        let violation = norms.violation(of: unitGrid(.estate, households: 301, population: 1001))
        #expect(violation == NormViolation(normClass: .urban, households: 301, population: 1001,
                                           maxHouseholds: 300, maxPopulation: 1000))
        #expect(violation?.message == "301户/1001人，超过城市网格标准300户或1000人")
    }

    @Test func atTheLimitIsWithinTheNorm() {
        #expect(norms.violation(of: unitGrid(.unit, households: 300, population: 1000)) == nil)
        #expect(norms.violation(of: unitGrid(.rural, households: 200, population: 500)) == nil)
    }

    @Test func overOneFigureOnlyIsWithinTheNorm() {
        #expect(norms.violation(of: unitGrid(.lane, households: 450, population: 1000)) == nil)
        #expect(norms.violation(of: unitGrid(.lane, households: 300, population: 2000)) == nil)
        #expect(norms.violation(of: unitGrid(.rural, households: 260, population: 480)) == nil)
    }

    @Test func ruralGridUsesTheRuralNorm() {
        let violation = norms.violation(of: unitGrid(.rural, households: 201, population: 501))
        #expect(violation?.normClass == .rural)
        #expect(violation?.maxHouseholds == 200)
        #expect(violation?.maxPopulation == 500)
        #expect(violation?.message == "201户/501人，超过农村网格标准200户或500人")
        // The same figures are fine for an urban grid.
        #expect(norms.violation(of: unitGrid(.urban, households: 201, population: 501)) == nil)
    }

    @Test func specialGridsAndAdministrativeUnitsHaveNoNorm() {
        #expect(norms.violation(of: unitGrid(.special, households: 5000, population: 20000)) == nil)
        let community = Grid(code: gridCode("520102001001"), parent: gridCode("520102001000"), name: "社区",
                             type: .urban, boundary: nil, households: 5000, population: 20000)
        #expect(norms.violation(of: community) == nil)
    }

    @Test func countyNormsReplaceTheDefaults() throws {
        let strict = SizeNorms(urbanHouseholds: 250, urbanPopulation: 800, ruralHouseholds: 150, ruralPopulation: 400)
        try strict.validate()
        #expect(strict.violation(of: unitGrid(.estate, households: 251, population: 801))?.maxHouseholds == 250)
        #expect(failure(try SizeNorms(ruralPopulation: 0).validate())?.field == "ruralPopulation")
        #expect(failure(try SizeNorms(urbanHouseholds: -1).validate())?.field == "urbanHouseholds")
    }
}

@Suite("RosterSummary")
struct RosterSummaryTests {
    @Test func leaderAndMembers() {
        let summary = RosterSummary(roles: [.leader, .fullTime, .partTime, .police])
        #expect(summary.leaders == 1)
        #expect(summary.members == 3)
        #expect(summary.workers == 2)
        #expect(summary.hasLeader && summary.hasWorker)
        #expect(summary.label == "一长三员")
    }

    @Test func missingLeader() {
        let summary = RosterSummary(roles: [.fullTime, .mediator])
        #expect(!summary.hasLeader)
        #expect(summary.label == "无网格长·二员")
    }

    @Test func onlySupportingPostsHaveNoWorker() {
        let summary = RosterSummary(roles: [.leader, .instructor, .safety])
        #expect(!summary.hasWorker)
        #expect(summary.label == "一长二员")
    }

    @Test func emptyAndLargeRosters() {
        #expect(RosterSummary(roles: []).label == "无网格长·零员")
        #expect(RosterSummary(roles: [.leader] + Array(repeating: .partTime, count: 10)).label == "一长十员")
        #expect(RosterSummary(roles: [.leader] + Array(repeating: .partTime, count: 12)).label == "一长12员")
    }
}

@Suite("LoginPolicy")
struct LoginPolicyTests {
    let policy = LoginPolicy.standard
    let t0: Int64 = 1_700_000_000

    @Test func locksAtTheFifthFailure() {
        var state = LoginPolicy.State()
        for k in 1...4 {
            let result = policy.afterFailure(state, now: t0 + Int64(k))
            #expect(!result.lockedNow)
            #expect(result.state.failures == k)
            state = result.state
        }
        #expect(!policy.isLocked(state, now: t0 + 4))
        let fifth = policy.afterFailure(state, now: t0 + 5)
        #expect(fifth.lockedNow)
        #expect(fifth.state.lockedUntil == t0 + 5 + 15 * 60)
        #expect(policy.isLocked(fifth.state, now: t0 + 5))
    }

    @Test func unlocksAfterFifteenMinutes() {
        let state = LoginPolicy.State(failures: 5, lockedUntil: t0 + 900)
        #expect(policy.isLocked(state, now: t0 + 899))
        #expect(!policy.isLocked(state, now: t0 + 900))
        #expect(!policy.isLocked(LoginPolicy.State(failures: 3), now: t0))
    }

    @Test func counterRestartsAfterAnExpiredLockout() {
        let expired = LoginPolicy.State(failures: 5, lockedUntil: t0)
        let next = policy.afterFailure(expired, now: t0 + 1)
        #expect(!next.lockedNow)
        #expect(next.state == LoginPolicy.State(failures: 1, lockedUntil: nil))
        // A failure while still locked keeps counting and extends the lock.
        let stillLocked = policy.afterFailure(LoginPolicy.State(failures: 5, lockedUntil: t0 + 100), now: t0)
        #expect(stillLocked.state.failures == 6)
        #expect(stillLocked.state.lockedUntil == t0 + 900)
    }

    @Test func successClearsTheState() {
        #expect(policy.afterSuccess() == LoginPolicy.State(failures: 0, lockedUntil: nil))
    }

    @Test func sessionsExpireWhenIdle() {
        #expect(policy.sessionAlive(createdAt: t0, lastSeenAt: t0, now: t0 + 30 * 60 - 1))
        #expect(!policy.sessionAlive(createdAt: t0, lastSeenAt: t0, now: t0 + 30 * 60))
        #expect(policy.sessionAlive(createdAt: t0, lastSeenAt: t0 + 3600, now: t0 + 3600 + 1799))
    }

    @Test func sessionsExpireAfterTwelveHoursEvenWhenUsed() {
        let created = t0, twelveHours: Int64 = 12 * 3600
        #expect(policy.sessionAlive(createdAt: created, lastSeenAt: created + twelveHours - 10, now: created + twelveHours - 1))
        #expect(!policy.sessionAlive(createdAt: created, lastSeenAt: created + twelveHours - 10, now: created + twelveHours))
    }
}

@Suite("Roles and accounts")
struct AccountRulesTests {
    @Test func permissionsPerRole() {
        #expect(Role.allCases.allSatisfy { $0.may(.readGrids) && $0.may(.readStaff) && $0.may(.readDepartments) })
        #expect(Action.allCases.filter { $0 != .revealPersonalData }.allSatisfy { Role.admin.may($0) })
        // Personal data is revealed by those who work with people, never by the administrator or a leader.
        #expect(Role.allCases.filter { $0.may(.revealPersonalData) } == [.operator, .gridLeader, .gridWorker])
        #expect(!Role.department.may(.readRegisters) && Role.leader.may(.readRegisters) && !Role.leader.may(.editRegisters))
        #expect(Role.operator.may(.editStaff))
        #expect(!Role.operator.may(.editGrids))
        #expect(!Role.operator.may(.manageAccounts))
        #expect(!Role.gridLeader.may(.editStaff))
        #expect(!Role.gridWorker.may(.editGrids))
        #expect(!Role.department.may(.readAudit))
        #expect(!Role.leader.may(.editNorms))
        #expect(!Role.leader.may(.readAudit))
    }

    @Test func validAccounts() throws {
        try Account(username: "admin", displayName: "管理员", role: .admin, scope: gridCode("520100000000")).validate()
        try Account(username: "op.jiedao-1", displayName: "张三", role: .operator, scope: gridCode("520102001000")).validate()
        try Account(username: "wgy_01", displayName: "李四", role: .gridWorker, scope: gridCode("520102001001001")).validate()
        try Account(username: "gongan1", displayName: "王五", role: .department, scope: nil, departmentID: 3).validate()
    }

    @Test func invalidAccounts() {
        let scope = gridCode("520102001001001")
        #expect(failure(try Account(username: "1abc", displayName: "甲", role: .admin, scope: gridCode("520100000000")).validate())?.field == "username")
        #expect(failure(try Account(username: "Admin", displayName: "甲", role: .admin, scope: gridCode("520100000000")).validate())?.field == "username")
        #expect(failure(try Account(username: "ab", displayName: "甲", role: .admin, scope: gridCode("520100000000")).validate())?.field == "username")
        #expect(failure(try Account(username: "abc", displayName: " ", role: .admin, scope: gridCode("520100000000")).validate())?.field == "displayName")
        #expect(failure(try Account(username: "dept", displayName: "甲", role: .department, scope: nil).validate())?.field == "departmentId")
        #expect(failure(try Account(username: "worker", displayName: "甲", role: .gridWorker, scope: nil).validate())?.field == "scope")
        #expect(failure(try Account(username: "worker", displayName: "甲", role: .gridWorker, scope: scope, departmentID: 1).validate())?.field == "departmentId")
        let wrongLevel = failure(try Account(username: "oper", displayName: "甲", role: .operator, scope: scope).validate())
        #expect(wrongLevel?.field == "scope")
        #expect(wrongLevel?.message == "指挥中心坐席员的管辖范围必须是县(区)、乡镇(街道)、村(社区)，520102001001001是网格")
    }

    @Test func passwordsPhonesAndNames() {
        #expect(failure(try validatePassword("abc12345")) == nil)
        #expect(failure(try validatePassword("abc1234"))?.message == "密码长度须为8–72位")
        #expect(failure(try validatePassword("abcdefgh"))?.message == "密码须同时包含字母和数字")
        #expect(failure(try validatePhone("13812345678")) == nil)
        #expect(failure(try validatePhone("0851-22123456")) == nil)
        #expect(failure(try validatePhone("23812345678"))?.field == "phone")
        #expect(failure(try validatePhone("1381234567a"))?.field == "phone")
        #expect(failure(try validatePersonName(String(repeating: "张", count: 51)))?.message == "姓名不能超过50个字")
        #expect(failure(try validatePersonName("张\u{7}"))?.message == "姓名含有控制字符")
    }

    @Test func departmentsAndStaff() {
        let township = gridCode("520102001000")
        #expect(failure(try Department(key: "gongan", name: "公安分局", kind: .publicSecurity, serves: township).validate()) == nil)
        #expect(failure(try Department(key: "Gong An", name: "公安", kind: .publicSecurity, serves: township).validate())?.field == "key")
        #expect(failure(try Department(key: "sq", name: "社区办", kind: .other, serves: gridCode("520102001001")).validate())?.field == "serves")
        let member = StaffMember(gridCode: gridCode("520102001001001"), name: "赵六", role: .leader, phone: "12345")
        #expect(failure(try member.validate())?.field == "phone")
    }

    @Test func gridOwnRulesAndParentLink() {
        let community = Grid(code: gridCode("520102001001"), parent: gridCode("520102001000"), name: "花溪社区", type: .urban, boundary: nil)
        let township = Grid(code: gridCode("520102001000"), parent: nil, name: "街道", type: .urban, boundary: nil)
        let otherTownship = Grid(code: gridCode("520102002000"), parent: nil, name: "另一街道", type: .urban, boundary: nil)
        #expect(failure(try community.validate(parent: township)) == nil)
        #expect(failure(try community.validate(parent: otherTownship))?.message == "编码520102001001不以上级编码前缀520102002开头")
        #expect(failure(try township.validate(parent: community))?.field == "parent")
        var special = unitGrid(.special, households: 0, population: 0)
        special.specialKind = nil
        #expect(failure(try special.validate(parent: nil))?.field == "specialKind")
        var estateCommunity = community
        estateCommunity.type = .estate
        #expect(failure(try estateCommunity.validate(parent: township))?.field == "type")
        var unnamed = community
        unnamed.name = "  "
        #expect(failure(try unnamed.validate(parent: township))?.field == "name")
    }
}
