import Foundation
import Logging
import Testing
import WanggeApp
import WanggeCore
import WanggeStorage
import WanggeTestSupport

extension Harness {
    /// Reports an event and returns its id.
    func report(_ token: String, item: String = "0401", lon: Double = 106.05, lat: Double = 28.05,
                description: String = "小区门口堆了很多垃圾") async throws -> Int64 {
        let res = try await send(.post, "/api/v1/events", token: token,
                                 json: ["itemCode": item, "description": description, "lon": lon, "lat": lat])
        #expect(res.status == .created, "report failed: \(res.text)")
        let id = try #require((res.json["event"] as? [String: Any])?["id"] as? Int)
        return Int64(id)
    }

    @discardableResult
    func act(_ id: Int64, _ action: String, as token: String, _ body: [String: Any] = [:]) async throws -> Reply {
        try await send(.post, "/api/v1/events/\(id)/actions/\(action)", token: token, json: body)
    }

    func event(_ id: Int64, as token: String) async throws -> [String: Any] {
        try await get("/api/v1/events/\(id)", as: token).json
    }

    func departmentID(_ key: String) async throws -> Int64 {
        try #require(try await repos.departments.find(key: key, serves: TestTerritory.county)?.id)
    }
}

private func status(_ detail: [String: Any]) -> String? { (detail["event"] as? [String: Any])?["status"] as? String }

@Suite("HTTP: the event closed loop")
struct EventsAPITests {
    @Test("report → accept → dispatch → sign → handle → verify → evaluate, with the timeline and the inbox", arguments: TestEngines.all)
    func fullLoop(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let street = try await h.login(.jiedao)
            let dept = try await h.login(.chengguan)
            let id = try await h.report(worker)
            var detail = try await h.event(id, as: street)
            let event = try #require(detail["event"] as? [String: Any])
            #expect(event["status"] as? String == "reported")
            #expect((event["holder"] as? [String: Any])?["unit"] as? String == "center:\(TestTerritory.east)")
            #expect(event["grid"] as? String == TestTerritory.east1.value)
            #expect((event["serial"] as? String)?.hasPrefix("520399") == true)
            #expect((detail["allowedActions"] as? [String])?.contains("accept") == true)

            #expect(try await h.act(id, "accept", as: street).status == .ok)
            let cg = try await h.departmentID("chengguan")
            let dispatched = try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)", "note": "请尽快清运"])
            #expect(dispatched.status == .ok, "\(dispatched.text)")
            let deadline = try #require((dispatched.json["event"] as? [String: Any])?["deadline"] as? Int)
            #expect(Int64(deadline) == WorkingCalendar.standard.addingWorkingDays(1, to: h.clock.now()))

            let inbox = try await h.get("/api/v1/events?holder=mine", as: dept)
            #expect(inbox.items.compactMap { $0["id"] as? Int }.map(Int64.init) == [id])
            #expect(try await h.get("/api/v1/events?holder=mine", as: street).items.isEmpty)

            #expect(try await h.act(id, "sign", as: dept).status == .ok)
            #expect(try await h.act(id, "handle", as: dept, ["note": "已清运完毕"]).status == .ok)
            #expect(try await h.act(id, "verify_pass", as: street).status == .ok)
            detail = try await h.act(id, "evaluate", as: worker, ["satisfaction": 5]).json
            #expect(status(detail) == "evaluated")
            #expect((detail["event"] as? [String: Any])?["resolvedLevel"] as? String == "department")
            let timeline = try #require(detail["timeline"] as? [[String: Any]])
            #expect(timeline.strings("action") == ["report", "accept", "dispatch", "sign", "handle", "verify_pass", "evaluate"])
            #expect(timeline[2]["note"] as? String == "请尽快清运")
            #expect(((timeline[2]["toUnit"] as? [String: Any])?["name"] as? String) == "清溪县城管局")

            let stats = try await h.get("/api/v1/events/stats", as: street)
            #expect(stats.json["total"] as? Int == 1)
            #expect(stats.json["completionRate"] as? Double == 1)
            #expect(stats.json["satisfactionRate"] as? Double == 1)
            #expect((stats.json["byResolvedLevel"] as? [String: Int])?["department"] == 1)
        }
    }

    @Test("an illegal transition answers 409 with what is allowed; the wrong unit 403; outside the territory 404",
          arguments: TestEngines.all)
    func refusals(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let street = try await h.login(.jiedao)
            let id = try await h.report(worker)
            let early = try await h.act(id, "sign", as: street)
            #expect(early.status == .conflict)
            #expect(early.errorCode == "illegal_transition")
            #expect((early.error["allowed"] as? [String]).map(Set.init) == ["accept", "reject", "escalate", "merge", "copy", "urgent"])
            #expect(try await h.act(id, "accept", as: worker).status == .forbidden)
            #expect(try await h.act(id, "accept", as: try await h.login(.admin)).status == .forbidden)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.get("/api/v1/events/\(id)", as: west).status == .notFound)
            #expect(try await h.act(id, "accept", as: west).status == .notFound)
            #expect(try await h.get("/api/v1/events", as: west).json["total"] as? Int == 0)
            try await h.act(id, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])
            #expect(try await h.act(id, "sign", as: try await h.login(.gongan)).status == .forbidden)
            #expect(try await h.act(id, "fly", as: street).status == .notFound)
            let noNote = try await h.act(id, "return", as: try await h.login(.chengguan))
            #expect(noNote.status == .badRequest)
            #expect(noNote.errorField == "note")
        }
    }

    @Test("grid level: the grid leader accepts, handles and closes what was reported in his grid", arguments: TestEngines.all)
    func gridLevel(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let leader = try await h.login(.wangzhang)
            let id = try await h.report(worker, item: "0101", description: "两户人家因漏水吵架")
            #expect(try await h.act(id, "accept", as: leader).status == .ok)
            #expect(try await h.act(id, "handle", as: leader, ["note": "当面调解，双方和解"]).status == .ok)
            let closed = try await h.act(id, "verify_pass", as: leader)
            #expect(status(closed.json) == "closed")
            #expect((closed.json["event"] as? [String: Any])?["resolvedLevel"] as? String == "grid")
            let stats = try await h.get("/api/v1/events/stats?root=\(TestTerritory.east)", as: try await h.login(.jiedao))
            #expect((stats.json["byResolvedLevel"] as? [String: Int])?["grid"] == 1)
            #expect((stats.json["children"] as? [[String: Any]])?.first?["code"] as? String == TestTerritory.eastCommunity.value)
        }
    }

    @Test("escalation goes up level by level; return and a failed check go back", arguments: TestEngines.all)
    func escalateReturnFail(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let leader = try await h.login(.wangzhang)
            let street = try await h.login(.jiedao)
            let dept = try await h.login(.chengguan)
            let id = try await h.report(worker, item: "0101", description: "宅基地边界争议，网格调解不成")
            var detail = try await h.act(id, "escalate", as: leader, ["note": "超出网格处置能力"]).json
            #expect(((detail["event"] as? [String: Any])?["holder"] as? [String: Any])?["unit"] as? String
                    == "center:\(TestTerritory.eastCommunity)")
            detail = try await h.act(id, "escalate", as: street, ["note": "社区转街道"]).json
            #expect(((detail["event"] as? [String: Any])?["holder"] as? [String: Any])?["unit"] as? String == "center:\(TestTerritory.east)")
            try await h.act(id, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])
            detail = try await h.act(id, "return", as: dept, ["note": "不属于城管职责"]).json
            #expect(status(detail) == "accepted")
            try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])
            try await h.act(id, "sign", as: dept)
            try await h.act(id, "handle", as: dept, ["note": "已协调"])
            detail = try await h.act(id, "verify_fail", as: street, ["note": "现场仍未解决"]).json
            #expect(status(detail) == "signed")
            // The reporting grid worker may check the result too.
            try await h.act(id, "handle", as: dept, ["note": "再次处理"])
            #expect(status(try await h.act(id, "verify_pass", as: worker).json) == "closed")
            // Dispatch goes down or to a department, never sideways.
            let other = try await h.report(worker)
            try await h.act(other, "accept", as: street)
            let sideways = try await h.act(other, "dispatch", as: street, ["to": "center:\(TestTerritory.west)"])
            #expect(sideways.errorField == "to")
        }
    }

    @Test("extension requested by the handler and approved by the dispatcher", arguments: TestEngines.all)
    func extensionFlow(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let street = try await h.login(.jiedao)
            let dept = try await h.login(.chengguan)
            let id = try await h.report(try await h.login(.wanggeyuan))
            try await h.act(id, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            let old = try #require(((try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])).json["event"]
                                    as? [String: Any])?["deadline"] as? Int)
            try await h.act(id, "sign", as: dept)
            let tooEarly = try await h.act(id, "request_extension", as: dept, ["note": "需要协调", "deadline": old - 10])
            #expect(tooEarly.errorField == "deadline")
            try await h.act(id, "request_extension", as: dept, ["note": "需要协调环卫车辆", "deadline": old + 86_400])
            #expect(try await h.act(id, "request_extension", as: dept, ["note": "再申请", "deadline": old + 2 * 86_400]).status == .conflict)
            #expect(try await h.act(id, "approve_extension", as: dept).status == .forbidden)
            let approved = try await h.act(id, "approve_extension", as: street)
            #expect((approved.json["event"] as? [String: Any])?["deadline"] as? Int == old + 86_400)
        }
    }

    @Test("a second report of the same problem nearby is suggested as a duplicate and can be merged", arguments: TestEngines.all)
    func duplicates(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let street = try await h.login(.jiedao)
            let first = try await h.report(worker)
            let res = try await h.send(.post, "/api/v1/events", token: worker,
                                       json: ["itemCode": "0401", "description": "同一处垃圾", "lon": 106.0502, "lat": 28.0501])
            let dup = try #require(res.json["possibleDuplicates"] as? [[String: Any]])
            #expect(dup.compactMap { $0["id"] as? Int }.map(Int64.init) == [first])
            let second = Int64(try #require((res.json["event"] as? [String: Any])?["id"] as? Int))
            // Same item but 1.5 km away: not a duplicate.
            let far = try await h.send(.post, "/api/v1/events", token: worker,
                                       json: ["itemCode": "0401", "description": "另一处垃圾", "lon": 106.09, "lat": 28.19])
            #expect((far.json["possibleDuplicates"] as? [[String: Any]])?.isEmpty == true)
            let merged = try await h.act(second, "merge", as: street, ["into": first])
            #expect(status(merged.json) == "merged")
            let timeline = try #require(try await h.event(first, as: street)["timeline"] as? [[String: Any]])
            #expect(timeline.last?["action"] as? String == "merged_in")
        }
    }

    @Test("bad reports are refused with the field", arguments: TestEngines.all)
    func badReports(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            func report(_ body: [String: Any]) async throws -> Reply { try await h.send(.post, "/api/v1/events", token: worker, json: body) }
            #expect(try await report(["itemCode": "9999", "description": "x", "lon": 106.05, "lat": 28.05]).errorField == "itemCode")
            #expect(try await report(["itemCode": "0401", "description": "  ", "lon": 106.05, "lat": 28.05]).errorField == "description")
            #expect(try await report(["itemCode": "0401", "description": "x", "lon": 106.05]).errorField == "lat")
            #expect(try await report(["itemCode": "0401", "description": "x", "lon": 110, "lat": 30]).errorField == "lat")
            #expect(try await report(["itemCode": "0401", "description": "x", "lon": 106.35, "lat": 28.05]).status == .badRequest)
            #expect(try await report(["itemCode": "0401", "description": "x"]).errorField == "lat")
            #expect(try await report(["itemCode": "0401", "description": "x", "grid": TestTerritory.east1.value]).status == .created)
            // A grid worker reports in his own grid only.
            #expect(try await report(["itemCode": "0401", "description": "x", "grid": TestTerritory.east2.value]).errorField == "grid")
            #expect(try await report(["itemCode": "0401", "description": "x", "lon": 106.05, "lat": 28.05, "amount": -1]).errorField == "amount")
            #expect(try await report(["itemCode": "0401", "description": "x", "lon": 106.05, "lat": 28.05, "source": "citizen"]).errorField == "source")
            #expect(try await h.send(.post, "/api/v1/events", token: try await h.login(.lingdao),
                                     json: ["itemCode": "0401", "description": "x", "lon": 106.05, "lat": 28.05]).status == .forbidden)
        }
    }

    @Test("bulk dispatch: each event succeeds or says why", arguments: TestEngines.all)
    func bulkDispatch(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let street = try await h.login(.jiedao)
            let a = try await h.report(worker), b = try await h.report(worker, lat: 28.15), c = try await h.report(worker, lat: 28.12)
            try await h.act(a, "accept", as: street)
            try await h.act(b, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            let res = try await h.send(.post, "/api/v1/events/dispatch", token: street, json: ["ids": [a, b, c], "to": "department:\(cg)"])
            let results = try #require(res.json["results"] as? [[String: Any]])
            #expect(results.compactMap { $0["ok"] as? Bool } == [true, true, false])
            #expect((results[2]["error"] as? String)?.contains("已上报") == true)
        }
    }

    @Test("supervision issues each card once, across a restart", arguments: TestEngines.all)
    func supervision(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let street = try await h.login(.jiedao)
            let id = try await h.report(try await h.login(.wanggeyuan))
            try await h.act(id, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])
            let quiet = Logger(label: "test")
            var supervisor = Supervisor(service: h.services.events, logger: quiet)
            #expect(try await supervisor.sweep() == 0)
            h.clock.advance(7 * 86_400)  // five working days later: unsigned yellow and red, unfinished yellow, overdue
            let first = try await supervisor.sweep()
            #expect(first >= 3)
            #expect(try await supervisor.sweep() == 0)
            supervisor = Supervisor(service: h.services.events, logger: quiet)  // a restart
            #expect(try await supervisor.sweep() == 0)
            // A week of the test clock has passed: the session has long expired.
            let detailReply = try await h.get("/api/v1/events/\(id)", as: try await h.login(.jiedao))
            #expect(detailReply.status == .ok, "\(detailReply.text)")
            let detail = detailReply.json
            let cards = try #require(detail["cards"] as? [[String: Any]])
            #expect(cards.count == first)
            #expect(Set(cards.compactMap { $0["kind"] as? String }).isSuperset(of: ["unsigned", "unfinished"]))
            let timeline = try #require(detail["timeline"] as? [[String: Any]])
            #expect(timeline.filter { $0["actor"] as? String == "系统" }.count == first)
            h.clock.advance(14 * 86_400)
            #expect(try await supervisor.sweep() >= 1)  // the red unfinished card
            #expect(try await h.get("/api/v1/events?overdue=1", as: try await h.login(.jiedao)).json["total"] as? Int == 1)
        }
    }
}

@Suite("HTTP: event attachments")
struct AttachmentAPITests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0, count: 24)

    @Test("photos: typed, checked against their content, limited in size, visible only in the territory", arguments: TestEngines.all)
    func photos(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let id = try await h.report(worker)
            let up = try await h.send(.post, "/api/v1/events/\(id)/attachments?filename=现场.png", token: worker,
                                      body: Data(Self.png), headers: [.contentType: "image/png"])
            #expect(up.status == .created, "\(up.text)")
            let attachment = try #require(up.json["id"] as? Int)
            #expect(up.json["filename"] as? String == "现场.png")
            let street = try await h.login(.jiedao)
            let file = try await h.get("/api/v1/attachments/\(attachment)", as: street)
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == "image/png")
            #expect(Array(file.body) == Self.png)
            #expect(try await h.get("/api/v1/events/\(id)/attachments", as: street).items.count == 1)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.get("/api/v1/attachments/\(attachment)", as: west).status == .notFound)
            let lying = try await h.send(.post, "/api/v1/events/\(id)/attachments", token: worker, body: Data("not a png".utf8),
                                         headers: [.contentType: "image/png"])
            #expect(lying.errorField == "contentType")
            let exe = try await h.send(.post, "/api/v1/events/\(id)/attachments", token: worker, body: Data([1, 2, 3]),
                                       headers: [.contentType: "application/x-msdownload"])
            #expect(exe.errorField == "contentType")
            let big = try await h.send(.post, "/api/v1/events/\(id)/attachments", token: worker,
                                       body: Data(Self.png + Array(repeating: 0, count: 11 * 1024 * 1024)), headers: [.contentType: "image/png"])
            #expect(big.status == .contentTooLarge)
        }
    }
}

@Suite("HTTP: catalog and calendar")
struct CatalogAPITests {
    @Test("the catalog: read by all, edited and imported by administrators, CSV round trip", arguments: TestEngines.all)
    func catalog(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            let street = try await h.login(.jiedao)
            #expect((try await h.get("/api/v1/catalog", as: street).json["items"] as? [[String: Any]])?.count == 3)
            let item: [String: Any] = ["name": "占道经营", "departments": ["urban_management"], "level": "township", "deadline": "1d",
                                       "priority": "normal", "citizenReportable": true]
            #expect(try await h.send(.put, "/api/v1/catalog/items/0402", token: street, json: item).status == .forbidden)
            let saved = try await h.send(.put, "/api/v1/catalog/items/0402", token: admin, json: item)
            #expect((saved.json["items"] as? [[String: Any]])?.count == 4)
            var bad = item
            bad["deadline"] = "3 weeks"
            #expect(try await h.send(.put, "/api/v1/catalog/items/0402", token: admin, json: bad).errorField == "deadline")
            bad["deadline"] = "1d"
            bad["departments"] = ["army"]
            #expect(try await h.send(.put, "/api/v1/catalog/items/0402", token: admin, json: bad).errorField == "departments")

            let csv = try await h.get("/api/v1/catalog/export", as: admin)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.contains("占道经营"))
            let back = try await h.send(.post, "/api/v1/catalog/import", token: admin, body: csv.body)
            #expect(back.status == .ok)
            #expect((back.json["items"] as? [[String: Any]])?.count == 4)
            let broken = csv.text.replacingOccurrences(of: "占道经营", with: "占道经营\",\"多余")
            let refused = try await h.send(.post, "/api/v1/catalog/import", token: admin, body: Data(broken.utf8))
            #expect(refused.errorCode == "invalid_rows")
            #expect((refused.error["rows"] as? [[String: Any]])?.isEmpty == false)
        }
    }

    @Test("the calendar: a day made a holiday moves deadlines", arguments: TestEngines.all)
    func calendar(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            let year = try await h.get("/api/v1/calendar/2026", as: admin)
            #expect((year.json["holidays"] as? [String])?.contains("2026-10-01") == true)
            let set = try await h.send(.put, "/api/v1/calendar/days/2027-01-18", token: admin, json: ["kind": "holiday"])
            #expect((set.json["holidays"] as? [String]) == ["2027-01-18"])
            #expect(try await h.send(.put, "/api/v1/calendar/days/2027-02-30", token: admin, json: ["kind": "holiday"]).errorField == "day")
            #expect(try await h.send(.put, "/api/v1/calendar/days/2027-01-19", token: admin, json: ["kind": "party"]).errorField == "kind")
            // The harness clock is Friday 2027-01-15 16:00: one working day later, skipping Monday the 18th, is Tuesday 16:00.
            let street = try await h.login(.jiedao)
            let id = try await h.report(try await h.login(.wanggeyuan))
            try await h.act(id, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            let dispatched = try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])
            let deadline = try #require((dispatched.json["event"] as? [String: Any])?["deadline"] as? Int)
            #expect(Day(localDateOf: Int64(deadline)).description == "2027-01-19")
        }
    }
}
