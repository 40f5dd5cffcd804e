import Foundation
import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("HTTP: staff rosters, departments, accounts, audit")
struct AdminAPITests {
    @Test("rosters: operators edit within their street; others may not", arguments: TestEngines.all)
    func staff(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let op = try await h.login(.jiedao)
            let added = try await h.send(.post, "/api/v1/grids/\(TestTerritory.east2)/staff", token: op,
                                         json: ["name": "钱多多", "role": "leader", "phone": "13912345678"])
            #expect(added.status == .created)
            let id = try #require(added.json["id"] as? Int)
            let roster = try await h.get("/api/v1/grids/\(TestTerritory.east2)/staff", as: op)
            #expect(roster.items.strings("name") == ["钱多多", "赵强"])
            #expect(try await h.send(.post, "/api/v1/grids/\(TestTerritory.west2)/staff", token: op,
                                     json: ["name": "越界", "role": "leader"]).status == .notFound)
            let badPhone = try await h.send(.post, "/api/v1/grids/\(TestTerritory.east2)/staff", token: op,
                                            json: ["name": "钱二", "role": "part_time", "phone": "12345"])
            #expect(badPhone.status == .badRequest)
            #expect(badPhone.errorField == "phone")
            let badRole = try await h.send(.post, "/api/v1/grids/\(TestTerritory.east2)/staff", token: op,
                                           json: ["name": "钱二", "role": "boss"])
            #expect(badRole.errorField == "role")
            #expect(try await h.send(.patch, "/api/v1/staff/\(id)", token: op, json: ["role": "full_time"]).json["roleLabel"] as? String
                    == "专职网格员")
            let worker = try await h.login(.wanggeyuan)
            #expect(try await h.send(.post, "/api/v1/grids/\(TestTerritory.east1)/staff", token: worker,
                                     json: ["name": "自己加", "role": "leader"]).status == .forbidden)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.send(.delete, "/api/v1/staff/\(id)", token: west).status == .notFound)
            #expect(try await h.send(.delete, "/api/v1/staff/\(id)", token: op).status == .noContent)
            #expect(try await h.get("/api/v1/grids/\(TestTerritory.east2)/staff", as: op).items.strings("name") == ["赵强"])
            #expect(try await h.repos.audit.list(in: nil, action: nil, before: nil, limit: 50).map(\.action).filter { $0.hasPrefix("staff_") }
                    == ["staff_removed", "staff_updated", "staff_added"])
        }
    }

    @Test("departments: listed for the territories they serve; created by admins", arguments: TestEngines.all)
    func departments(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            let created = try await h.send(.post, "/api/v1/departments", token: admin,
                                           json: ["key": "sifasuo", "name": "西山镇司法所", "kind": "justice", "serves": TestTerritory.west.value])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? Int)
            #expect(try await h.send(.post, "/api/v1/departments", token: admin,
                                     json: ["key": "sifasuo", "name": "重复", "kind": "justice", "serves": TestTerritory.west.value])
                .status == .conflict)
            let badLevel = try await h.send(.post, "/api/v1/departments", token: admin,
                                            json: ["key": "x", "name": "网格部门", "kind": "justice", "serves": TestTerritory.west1.value])
            #expect(badLevel.errorField == "serves")
            let member = try await h.send(.post, "/api/v1/departments/\(id)/staff", token: admin,
                                          json: ["name": "吴敏", "post": "所长", "phone": "13700000000"])
            #expect(member.status == .created)
            #expect((try await h.get("/api/v1/departments/\(id)", as: admin).json["staff"] as? [[String: Any]])?.strings("name") == ["吴敏"])

            let east = try await h.login(.jiedao)
            #expect(try await h.get("/api/v1/departments", as: east).items.strings("key") == ["gongan", "chengguan"])
            #expect(try await h.get("/api/v1/departments/\(id)", as: east).status == .notFound)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.get("/api/v1/departments", as: west).items.strings("key") == ["gongan", "chengguan", "sifasuo"])
            #expect(try await h.send(.post, "/api/v1/departments", token: west,
                                     json: ["key": "y", "name": "乙", "kind": "other", "serves": TestTerritory.west.value]).status == .forbidden)
        }
    }

    @Test("accounts: created, validated, disabled; sessions of a disabled account end", arguments: TestEngines.all)
    func accounts(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            #expect(try await h.get("/api/v1/accounts", as: admin).items.count == Login.allCases.count)
            let weak = try await h.send(.post, "/api/v1/accounts", token: admin, json: [
                "username": "xishan2", "displayName": "西山二号", "role": "operator", "scope": TestTerritory.west.value, "password": "short"])
            #expect(weak.errorField == "password")
            let wrongLevel = try await h.send(.post, "/api/v1/accounts", token: admin, json: [
                "username": "xishan2", "displayName": "西山二号", "role": "grid_worker", "scope": TestTerritory.west.value,
                "password": "Xishan2026"])
            #expect(wrongLevel.errorField == "scope")
            let created = try await h.send(.post, "/api/v1/accounts", token: admin, json: [
                "username": "xishan2", "displayName": "西山二号", "role": "operator", "scope": TestTerritory.west.value,
                "password": "Xishan2026"])
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? Int)
            #expect(try await h.send(.post, "/api/v1/accounts", token: admin, json: [
                "username": "xishan2", "displayName": "重名", "role": "leader", "scope": TestTerritory.county.value,
                "password": "Xishan2026"]).status == .conflict)

            let res = try await h.send(.post, "/api/v1/auth/login", json: ["username": "xishan2", "password": "Xishan2026"])
            let token = try #require(res.json["token"] as? String)
            #expect(try await h.get("/api/v1/grids", as: token).items.strings("code") == [TestTerritory.west.value])
            #expect(try await h.send(.patch, "/api/v1/accounts/\(id)", token: admin, json: ["disabled": true]).status == .ok)
            #expect(try await h.get("/api/v1/grids", as: token).status == .unauthorized)
            let disabledLogin = try await h.send(.post, "/api/v1/auth/login", json: ["username": "xishan2", "password": "Xishan2026"])
            #expect(disabledLogin.errorCode == "account_disabled")
            #expect(try await h.send(.patch, "/api/v1/accounts/1", token: admin, json: ["disabled": true]).status == .conflict)

            let op = try await h.login(.jiedao)
            #expect(try await h.get("/api/v1/accounts", as: op).status == .forbidden)
            #expect(try await h.get("/api/v1/audit", as: op).status == .forbidden)
            let audit = try await h.get("/api/v1/audit?limit=50", as: admin)
            let actions = audit.items.strings("action")
            #expect(actions.contains("account_created") && actions.contains("account_updated") && actions.contains("login"))
            #expect(try await h.get("/api/v1/audit?limit=0", as: admin).errorField == "limit")
            #expect(try await h.get("/api/v1/audit?action=account_created", as: admin).items.count == 1)
        }
    }
}
