import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

/// Staff, departments, accounts, sessions and the audit log.
@Suite("Staff, department, account and audit repositories")
struct PeopleRepositoryTests {
    @Test("grid rosters", arguments: TestEngines.all)
    func staff(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            try await db.transaction { try await repos.grids.upsert(TestTerritory.grids, in: $0) }
            let members = [
                StaffMember(gridCode: TestTerritory.east1, name: "李明", role: .partTime, phone: nil),
                StaffMember(gridCode: TestTerritory.east1, name: "王芳", role: .leader, phone: "13800000001"),
                StaffMember(gridCode: TestTerritory.west1, name: "赵强", role: .fullTime, phone: "13800000002"),
            ]
            let saved = try await db.transaction { try await repos.staff.insert(members, in: $0) }
            #expect(saved.map(\.name) == ["李明", "王芳", "赵强"])
            #expect(Set(saved.compactMap(\.id)).count == 3)
            // Leaders first on a roster.
            #expect(try await repos.staff.roster(of: TestTerritory.east1).map(\.name) == ["王芳", "李明"])
            let roles = try await repos.staff.roles(in: TestTerritory.east.range)
            #expect(roles.count == 1)
            #expect(roles[TestTerritory.east1].map(Set.init) == [.leader, .partTime])

            var changed = saved[0]
            changed.role = .fullTime
            let li = changed
            try await db.transaction { try await repos.staff.update(li, in: $0) }
            #expect(try await repos.staff.find(id: li.id!)?.role == .fullTime)
            try await db.transaction { try await repos.staff.delete(id: li.id!, in: $0) }
            #expect(try await repos.staff.find(id: li.id!) == nil)
        }
    }

    @Test("departments and their staff", arguments: TestEngines.all)
    func departments(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            try await db.transaction { try await repos.grids.upsert(TestTerritory.grids, in: $0) }
            let police = try await db.transaction {
                try await repos.departments.insert(Department(key: "gongan", name: "县公安局", kind: .publicSecurity,
                                                              serves: TestTerritory.county), in: $0)
            }
            let office = try await db.transaction {
                try await repos.departments.insert(Department(key: "sifasuo", name: "西山镇司法所", kind: .justice,
                                                              serves: TestTerritory.west), in: $0)
            }
            #expect(try await repos.departments.find(id: police.id!) == police)
            #expect(try await repos.departments.find(key: "sifasuo", serves: TestTerritory.west) == office)
            #expect(try await repos.departments.list(servingIn: TestTerritory.west.range) == [office])
            #expect(try await repos.departments.list(servingIn: nil).count == 2)
            let duplicate = Department(key: "gongan", name: "重复", kind: .publicSecurity, serves: TestTerritory.county)
            await #expect(throws: (any Error).self) {
                try await db.transaction { _ = try await repos.departments.insert(duplicate, in: $0) }
            }
            _ = try await db.transaction {
                try await repos.departments.insert(DepartmentMember(departmentID: police.id!, name: "陈刚", post: "指挥中心",
                                                                    phone: "13900000000"), in: $0)
            }
            #expect(try await repos.departments.members(of: police.id!).map(\.name) == ["陈刚"])
        }
    }

    @Test("accounts, login state, sessions", arguments: TestEngines.all)
    func accounts(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            try await db.transaction { try await repos.grids.upsert(TestTerritory.grids, in: $0) }
            let account = Account(username: "jiedao", displayName: "东城坐席", role: .operator, scope: TestTerritory.east)
            let saved = try await db.transaction { try await repos.accounts.insert(account, passwordHash: "h1", in: $0) }
            let id = try #require(saved.id)
            let found = try #require(try await repos.accounts.find(username: "jiedao"))
            #expect(found.account == saved)
            #expect(found.passwordHash == "h1")
            #expect(found.loginState == .init())

            try await db.transaction { try await repos.accounts.setLoginState(id: id, .init(failures: 5, lockedUntil: 1_000), in: $0) }
            #expect(try await repos.accounts.find(id: id)?.loginState == .init(failures: 5, lockedUntil: 1_000))
            try await db.transaction { try await repos.accounts.setPassword(id: id, hash: "h2", in: $0) }
            let reset = try #require(try await repos.accounts.find(id: id))
            #expect(reset.passwordHash == "h2")
            #expect(reset.loginState == .init())

            #expect(try await repos.accounts.list(in: TestTerritory.east.range).map(\.username) == ["jiedao"])
            #expect(try await repos.accounts.list(in: TestTerritory.west.range).isEmpty)

            try await db.transaction { try await repos.accounts.createSession(tokenHash: "abc", accountID: id, now: 100, in: $0) }
            #expect(try await repos.accounts.session(tokenHash: "abc")?.lastSeenAt == 100)
            try await repos.accounts.touchSession(tokenHash: "abc", now: 160)
            #expect(try await repos.accounts.session(tokenHash: "abc")?.lastSeenAt == 160)
            try await db.transaction { try await repos.accounts.deleteSessions(accountID: id, in: $0) }
            #expect(try await repos.accounts.session(tokenHash: "abc") == nil)

            let taken = Account(username: "jiedao", displayName: "重名", role: .leader, scope: TestTerritory.county)
            await #expect(throws: (any Error).self) {
                try await db.transaction { _ = try await repos.accounts.insert(taken, passwordHash: "x", in: $0) }
            }
        }
    }

    @Test("audit log is listed newest first and filtered", arguments: TestEngines.all)
    func audit(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            for (i, action) in ["login", "login_failed", "login"].enumerated() {
                try await db.transaction {
                    try await repos.audit.append(AuditEntry(at: Int64(i), actorID: nil, actor: "u\(i)", action: action, target: nil,
                                                            detail: nil, ip: "127.0.0.1"), in: $0)
                }
            }
            let all = try await repos.audit.list(in: nil, action: nil, before: nil, limit: 10)
            #expect(all.map(\.actor) == ["u2", "u1", "u0"])
            #expect(try await repos.audit.list(in: nil, action: "login", before: nil, limit: 10).map(\.actor) == ["u2", "u0"])
            #expect(try await repos.audit.list(in: nil, action: nil, before: all[0].id, limit: 1).map(\.actor) == ["u1"])
        }
    }
}
