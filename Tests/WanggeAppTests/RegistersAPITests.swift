import Foundation
import HTTPTypes
import Testing
import WanggeCore
import WanggeDemo
import WanggeSheets
import WanggeStorage
import WanggeTestSupport

/// People, houses, masking, reveal with audit, territory, imports.
@Suite("HTTP: registers")
struct RegistersAPITests {
    static let zhang = "52039919850312001X"
    static let li = "520399199001010026"
    static let wang = "510102197809090048"

    static func person(_ name: String, _ number: String, grid: GridCode, phone: String? = nil, kind: String = "户籍人口",
                       extra: [String: Any] = [:]) -> [String: Any] {
        var p: [String: Any] = ["name": name, "certificateNumber": number, "grid": grid.value, "kind": kind]
        if let phone { p["phone"] = phone }
        return ["person": p.merging(extra) { $1 }]
    }

    /// A building with two houses in 东1, and 张三 living in the first.
    static func seedPlaces(_ h: Harness, token t: String) async throws {
        let b = try await h.send(.post, "/api/v1/buildings", token: t, json: [
            "code": "B001", "name": "红旗小区1栋", "address": "红旗路1号1栋", "use": "住宅", "floors": "6", "units": "2",
            "lon": "106.05", "lat": "28.1"])
        #expect(b.status == .created, "\(b.text)")
        #expect(b.json["grid"] as? String == TestTerritory.east1.value)
        for room in ["101", "102"] {
            let r = try await h.send(.post, "/api/v1/houses", token: t, json: [
                "code": "H\(room)", "buildingCode": "B001", "unit": "1", "floor": "1", "room": room, "area": "80"])
            #expect(r.status == .created, "\(r.text)")
        }
        let p = try await h.send(.post, "/api/v1/people", token: t, json: person("张三", zhang, grid: TestTerritory.east1,
                                                                                  phone: "13800001111").merging(["houseCode": "H101", "residenceRole": "产权人"]) { $1 })
        #expect(p.status == .created, "\(p.text)")
    }

    @Test("every answer that carries a person masks the ID and phone numbers", arguments: TestEngines.all)
    func masking(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            try await Self.seedPlaces(h, token: t)
            let saved = try await h.send(.post, "/api/v1/people", token: t, json: Self.person("张三", Self.zhang, grid: TestTerritory.east1, phone: "13800001111"))
            #expect(saved.status == .ok && saved.json["certificateNumber"] as? String == "520399********001X")
            #expect(saved.json["phone"] as? String == "138****1111")
            let id = try #require(saved.json["id"] as? Int)
            // A form that leaves the phone out (it only ever saw it masked) keeps it; an empty string clears it.
            let noPhone = try await h.send(.post, "/api/v1/people", token: t, json: Self.person("张三", Self.zhang, grid: TestTerritory.east1,
                                                                                             extra: ["currentAddress": "红旗路1号"]))
            #expect(noPhone.status == .ok && noPhone.json["phone"] as? String == "138****1111", "\(noPhone.text)")
            let cleared = try await h.send(.post, "/api/v1/people", token: t, json: Self.person("张三", Self.zhang, grid: TestTerritory.east1,
                                                                                             extra: ["phone": ""]))
            #expect(cleared.json["phone"] == nil && cleared.json["currentAddress"] as? String == "红旗路1号", "\(cleared.text)")
            _ = try await h.send(.post, "/api/v1/people", token: t, json: Self.person("张三", Self.zhang, grid: TestTerritory.east1, phone: "13800001111"))
            let bodies = [
                try await h.get("/api/v1/people?q=张", as: t),
                try await h.get("/api/v1/people?q=\(Self.zhang)", as: t),
                try await h.get("/api/v1/people?q=13800001111", as: t),
                try await h.get("/api/v1/people/\(id)", as: t),
                try await h.get("/api/v1/houses/by-code/H101", as: t),
            ]
            for reply in bodies {
                #expect(reply.status == .ok, "\(reply.text)")
                #expect(!reply.text.contains(Self.zhang) && !reply.text.contains("13800001111"), "\(reply.text)")
                #expect(reply.text.contains("520399********001X"))
            }
            #expect(bodies[0].json["total"] as? Int == 1 && bodies[1].json["total"] as? Int == 1 && bodies[2].json["total"] as? Int == 1)
            let house = bodies[4].json
            let residents = house["residents"] as? [[String: Any]] ?? []
            #expect(residents.count == 1 && residents.first?["role"] as? String == "owner")
        }
    }

    @Test("reveal needs a permitted role and a reason, and is written into the audit chain", arguments: TestEngines.all)
    func reveal(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            try await Self.seedPlaces(h, token: t)
            let id = try #require(try await h.get("/api/v1/people?q=张三", as: t).items.first?["id"] as? Int)
            let noReason = try await h.send(.post, "/api/v1/people/\(id)/reveal", token: t, json: ["field": "certificateNumber", "reason": " "])
            #expect(noReason.status == .badRequest && noReason.errorField == "reason")
            let shown = try await h.send(.post, "/api/v1/people/\(id)/reveal", token: t, json: ["field": "certificateNumber", "reason": "核实低保申请人身份"])
            #expect(shown.status == .ok && shown.json["value"] as? String == Self.zhang)
            let phone = try await h.send(.post, "/api/v1/people/\(id)/reveal", token: t, json: ["field": "phone", "reason": "电话通知走访时间"])
            #expect(phone.json["value"] as? String == "13800001111")
            // The administrator keeps the system but does not read personal data; a leader reads figures.
            for who in [Login.admin, .lingdao] {
                let other = try await h.login(who)
                let refused = try await h.send(.post, "/api/v1/people/\(id)/reveal", token: other, json: ["field": "phone", "reason": "想看一下号码"])
                #expect(refused.status == .forbidden)
            }
            let entries = try await h.repos.audit.list(in: nil, action: "personal_data_revealed", before: nil, limit: 10)
            #expect(entries.count == 2 && entries.allSatisfy { $0.actor == "jiedao" && $0.target == "person:\(id)" })
            #expect(entries.contains { $0.detail?.contains("核实低保申请人身份") == true })
            #expect(try await AuditChain.verify(h.repos.database.sql).isIntact)
        }
    }

    @Test("nobody reads a person outside their subtree", arguments: TestEngines.all)
    func territory(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let east = try await h.login(.jiedao)
            try await Self.seedPlaces(h, token: east)
            let id = try #require(try await h.get("/api/v1/people?q=张三", as: east).items.first?["id"] as? Int)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.get("/api/v1/people/\(id)", as: west).status == .notFound)
            #expect(try await h.get("/api/v1/people?q=张三", as: west).json["total"] as? Int == 0)
            #expect(try await h.get("/api/v1/people?q=\(Self.zhang)", as: west).json["total"] as? Int == 0)
            #expect(try await h.get("/api/v1/houses/by-code/H101", as: west).status == .notFound)
            #expect(try await h.get("/api/v1/people?grid=\(TestTerritory.east.value)", as: west).status == .notFound)
            let reveal = try await h.send(.post, "/api/v1/people/\(id)/reveal", token: west, json: ["field": "phone", "reason": "越权查看测试"])
            #expect(reveal.status == .notFound)
            // Registering the same number from the other township is refused, not silently moved.
            let moved = try await h.send(.post, "/api/v1/people", token: west, json: Self.person("张三", Self.zhang, grid: TestTerritory.west1))
            #expect(moved.status == .conflict && moved.errorField == "certificateNumber")
            let gongan = try await h.login(.gongan)
            #expect(try await h.get("/api/v1/people", as: gongan).status == .forbidden)
        }
    }

    @Test("bad input names every field at fault", arguments: TestEngines.all)
    func validation(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            let bad = try await h.send(.post, "/api/v1/people", token: t, json: Self.person(
                "张三", "520399198503120011", grid: TestTerritory.east1, phone: "12345", extra: ["sex": "女"]))
            #expect(bad.status == .badRequest)
            let fields = (bad.error["fields"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("certificateNumber") && fields.contains("phone"), "\(bad.text)")
            let floating = try await h.send(.post, "/api/v1/people", token: t, json: Self.person("王五", Self.wang, grid: TestTerritory.east1, kind: "流动人口"))
            #expect(floating.status == .badRequest && floating.text.contains("inflowReason"), "\(floating.text)")
            #expect(try await h.get("/api/v1/people?q=王五", as: t).json["total"] as? Int == 0)
        }
    }

    @Test("a person form sent twice with one Idempotency-Key saves once; the key with another body is a conflict", arguments: TestEngines.all)
    func idempotentPerson(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.wanggeyuan)
            let body = Self.person("张三", Self.zhang, grid: TestTerritory.east1)
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "phone-person-0001"]
            let first = try await h.send(.post, "/api/v1/people", token: t, json: body, headers: key)
            #expect(first.status == .created, "\(first.text)")
            let again = try await h.send(.post, "/api/v1/people", token: t, json: body, headers: key)
            #expect(again.status == .ok && again.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            #expect(again.json["id"] as? Int == first.json["id"] as? Int)
            let other = try await h.send(.post, "/api/v1/people", token: t, json: Self.person("李丽", Self.li, grid: TestTerritory.east1), headers: key)
            #expect(other.status == .conflict && other.errorCode == "idempotency_conflict")
            #expect(try await h.get("/api/v1/people", as: t).json["total"] as? Int == 1)
        }
    }

    static func csv(_ rows: [[String]]) -> Data {
        Data(rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n").utf8)
    }

    static let header = ["姓名", "证件号码", "联系电话", "网格编码", "人员类别", "流入原因"]

    func waitForJob(_ h: Harness, _ token: String, _ reply: Reply) async throws -> [String: Any] {
        #expect(reply.status == .accepted, "\(reply.text)")
        let id = try #require(reply.json["id"] as? Int)
        for _ in 0..<200 {
            let job = try await h.get("/api/v1/registers/imports/\(id)", as: token).json
            if job["status"] as? String != "running" { return job }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("import \(id) did not finish")
        return [:]
    }

    @Test("an import applies valid rows, reports the rest by row and column, and changes nothing the second time", arguments: TestEngines.all)
    func importValid(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            let file = Self.csv([Self.header,
                                 ["张三", Self.zhang, "13800001111", TestTerritory.east1.value, "户籍人口", ""],
                                 ["错号", "520399198503120011", "", TestTerritory.east1.value, "户籍人口", ""],
                                 ["李丽", Self.li, "", TestTerritory.east2.value, "流动人口", "务工"],
                                 ["外镇", Self.wang, "", TestTerritory.west1.value, "户籍人口", ""]])
            let job = try await waitForJob(h, t, try await h.send(.post, "/api/v1/registers/imports?sheet=people&filename=p.csv", token: t, body: file))
            #expect(job["status"] as? String == "done" && job["created"] as? Int == 2 && job["rejected"] as? Int == 2, "\(job)")
            let report = try await h.get(try #require(job["errorsURL"] as? String), as: t)
            #expect(report.text.contains("3,证件号码") && report.text.contains("5,网格编码"), "\(report.text)")

            let again = try await waitForJob(h, t, try await h.send(.post, "/api/v1/registers/imports?sheet=people", token: t, body: file))
            #expect(again["created"] as? Int == 0 && again["updated"] as? Int == 0 && again["unchanged"] as? Int == 2, "\(again)")
            #expect(try await h.get("/api/v1/people", as: t).json["total"] as? Int == 2)
        }
    }

    @Test("two imports of one file into an empty register at once: one creates everyone, the other finds them unchanged",
          arguments: TestEngines.all)
    func concurrentFirstImports(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            // Three chunks, so that both imports are under way together: each saw the register empty,
            // and the one that writes second must not take its people for new.
            let people = DemoRegisters.people(count: 6_000, in: [TestTerritory.east1, TestTerritory.east2], seed: 5)
                .filter { $0.kind == .registered && $0.certificateType == .residentID }.prefix(4_500)
            let file = Self.csv([["姓名", "证件号码", "网格编码", "人员类别"]]
                + people.map { [$0.name, $0.certificateNumber, $0.grid.value, "户籍人口"] })
            let services = h.services
            async let first = services.importRegister(file, filename: "a.csv", sheetID: "people", allOrNothing: false) { _ in }
            async let second = services.importRegister(file, filename: "b.csv", sheetID: "people", allOrNothing: false) { _ in }
            let (a, b) = try await (first, second)
            #expect(a.applied && b.applied && a.rejected == 0 && b.rejected == 0, "\(a.message) / \(b.message)")
            #expect(Set([a.created, b.created]) == [0, people.count], "\(a.message) / \(b.message)")
            #expect(a.unchanged + b.unchanged == people.count && a.updated + b.updated == 0)
            #expect(try await services.registers.people.search(PersonQuery(range: nil, limit: 1)).total == people.count)
        }
    }

    @Test("all-or-nothing applies nothing when one row fails", arguments: TestEngines.all)
    func importAllOrNothing(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            let file = Self.csv([Self.header,
                                 ["张三", Self.zhang, "", TestTerritory.east1.value, "户籍人口", ""],
                                 ["张三", Self.zhang, "", TestTerritory.east1.value, "户籍人口", ""]])
            let job = try await waitForJob(h, t, try await h.send(.post, "/api/v1/registers/imports?sheet=people&mode=all", token: t, body: file))
            #expect(job["status"] as? String == "failed" && job["created"] as? Int == 0, "\(job)")
            #expect(try await h.get("/api/v1/people", as: t).json["total"] as? Int == 0)
            let report = try await h.get("/api/v1/registers/imports/\(job["id"] as? Int ?? 0)/errors.csv", as: t)
            #expect(report.text.contains("第2行"), "duplicate rows name the first: \(report.text)")
            let missing = try await waitForJob(h, t, try await h.send(.post, "/api/v1/registers/imports?sheet=people", token: t,
                                                                       body: Self.csv([["姓名", "网格编码"], ["张三", TestTerritory.east1.value]])))
            #expect(missing["status"] as? String == "failed", "\(missing)")
        }
    }

    @Test("special-population roles import from an XLSX by label, list masked, and name a person who does not match", arguments: TestEngines.all)
    func importRolesFromXLSX(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            try await Self.seedPlaces(h, token: t)
            let columns = ["证件号码", "姓名", "关注程度", "矫正类别", "矫正开始日期", "矫正小组人员组成类型"].map { XLSXColumn($0) }
            let file = try XLSXWriter(sheets: [XLSXSheet(name: "社区矫正", columns: columns, rows: [
                [Self.zhang, "张三", "高", "缓刑", "2026/1/5", "司法所工作人员、社会工作者"],
                [Self.zhang.lowercased(), "张三", "", "", "2026-01-05", ""],
                [Self.li, "李丽", "", "管制", "2026-01-05", ""],
            ])]).data()
            let job = try await waitForJob(h, t, try await h.send(.post, "/api/v1/registers/imports?sheet=roles:correction&filename=r.xlsx", token: t, body: file))
            #expect(job["created"] as? Int == 1 && job["rejected"] as? Int == 2, "\(job)")
            let report = try await h.get("/api/v1/registers/imports/\(job["id"] as? Int ?? 0)/errors.csv", as: t).text
            #expect(report.contains("3,矫正类别") && report.contains("4,证件号码"), "\(report)")
            let roles = try await h.get("/api/v1/population-roles?kind=社区矫正", as: t)
            let role = try #require(roles.items.first)
            #expect(roles.json["total"] as? Int == 1 && role["attention"] as? String == "01")
            #expect((role["fields"] as? [String: String])?["group_members"] == "01,02")
            #expect(!roles.text.contains(Self.zhang) && roles.text.contains("520399********001X"))
        }
    }

    @Test("organisations and components: credit-code and component-code checks, grid from the position, lists by subtree", arguments: TestEngines.all)
    func organisationsAndComponents(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            var org: [String: Any] = ["kind": "非公有制经济组织", "name": "清溪县红旗商贸有限公司", "creditCode": "91520399MA6H00000E",
                                      "enterpriseCategory": "内资企业", "registrationType": "有限责任公司", "legalRepresentative": "王五",
                                      "address": "红旗路8号", "lon": 106.05, "lat": 28.15]
            let created = try await h.send(.post, "/api/v1/organisations", token: t, json: org)
            #expect(created.status == .created && created.json["grid"] as? String == TestTerritory.east1.value, "\(created.text)")
            org["creditCode"] = "91520399MA6H00000F"
            let wrong = try await h.send(.post, "/api/v1/organisations", token: t, json: org)
            #expect(wrong.status == .badRequest && wrong.errorField == "creditCode", "\(wrong.text)")
            let component = try await h.send(.post, "/api/v1/components", token: t, json: [
                "code": "5203990101000001", "state": "破损", "lon": 106.15, "lat": 28.05])
            #expect(component.status == .created && component.json["className"] as? String == "上水井盖", "\(component.text)")
            let unknown = try await h.send(.post, "/api/v1/components", token: t, json: ["code": "5203999901000001", "lon": 106.15, "lat": 28.05])
            #expect(unknown.status == .badRequest && unknown.errorField == "code")
            #expect(try await h.get("/api/v1/components?state=damaged", as: t).json["total"] as? Int == 1)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.get("/api/v1/organisations", as: west).json["total"] as? Int == 0)
            #expect(try await h.get("/api/v1/organisations?kind=enterprise", as: t).json["total"] as? Int == 1)
            // Someone else's organisation or component is not taken over from outside its territory.
            var foreign = org
            foreign["lon"] = 106.35
            let westCreated = try await h.send(.post, "/api/v1/organisations", token: west,
                                               json: foreign.merging(["creditCode": "91520399MA6H00001H"]) { $1 })
            #expect(westCreated.status == .created, "\(westCreated.text)")
            let takeover = try await h.send(.post, "/api/v1/organisations", token: t, json: org.merging(["creditCode": "91520399MA6H00001H"]) { $1 })
            #expect(takeover.status == .conflict && takeover.errorField == "creditCode", "\(takeover.text)")
            let grab = try await h.send(.post, "/api/v1/components", token: west, json: ["code": "5203990101000001", "lon": 106.35, "lat": 28.05])
            #expect(grab.status == .conflict && grab.errorField == "code", "\(grab.text)")
            // Outside the caller's territory a position is refused, not filed elsewhere.
            org["creditCode"] = "91520399MA6H00000E"
            org["lon"] = 106.35
            #expect(try await h.send(.post, "/api/v1/organisations", token: t, json: org).status == .notFound)
        }
    }

    @Test("templates download with Chinese headers; counts per grid", arguments: TestEngines.all)
    func templatesAndCounts(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.jiedao)
            let xlsx = try await h.get("/api/v1/registers/templates/people.xlsx", as: t)
            #expect(xlsx.status == .ok && xlsx.body.starts(with: [0x50, 0x4B]))
            let csv = try await h.get("/api/v1/registers/templates/roles:correction.csv", as: t)
            #expect(csv.status == .ok && csv.text.contains("证件号码") && csv.text.contains("矫正类别"))
            // The template sent back unedited is a valid file with no rows: it must not import an example person.
            let blank = try await waitForJob(h, t, try await h.send(.post, "/api/v1/registers/imports?sheet=people&filename=t.xlsx", token: t, body: xlsx.body))
            #expect(blank["status"] as? String == "done" && blank["created"] as? Int == 0 && blank["rejected"] as? Int == 0, "\(blank)")
            try await Self.seedPlaces(h, token: t)
            let counts = try await h.get("/api/v1/registers/counts?grid=\(TestTerritory.eastCommunity.value)", as: t)
            let rows = counts.json["rows"] as? [[String: Any]] ?? []
            let east1 = rows.first { $0["code"] as? String == TestTerritory.east1.value }?["counts"] as? [String: Int]
            #expect(east1?["person:registered"] == 1 && east1?["house"] == 2 && east1?["building"] == 1, "\(counts.text)")
        }
    }
}
