import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import Testing
import WanggeApp
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("HTTP: Open311 GeoReport v2")
struct Open311Tests {
    @Test("discovery, services and service definitions in XML and JSON; unknown ones are 404 in the spec's shape",
          arguments: TestEngines.all)
    func discoveryAndServices(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let discovery = try await h.send(.get, "/open311/v2/discovery.json")
            #expect(discovery.status == .ok)
            #expect(discovery.headers[.contentType]?.hasPrefix("application/json") == true)
            let endpoint = try #require((discovery.json["endpoints"] as? [[String: Any]])?.first)
            #expect(endpoint["specification"] as? String == "http://wiki.open311.org/GeoReport_v2")
            #expect(endpoint["formats"] as? [String] == ["text/xml", "application/json"])
            let discoveryXML = try #require(XMLTree.parse(try await h.send(.get, "/open311/v2/discovery.xml")))
            #expect(discoveryXML.name == "discovery")
            #expect(discoveryXML.all("format").map(\.text) == ["text/xml", "application/json"])

            let services = try o311List(try await h.send(.get, "/open311/v2/services.json"))
            #expect(services.strings("service_code") == ["0401", "0701"], "only citizen-reportable items")
            #expect(services[1]["metadata"] as? Bool == true)
            #expect(services[1]["group"] as? String == "突发事件")
            #expect(services[1]["type"] as? String == "realtime")
            let servicesXML = try #require(XMLTree.parse(try await h.send(.get, "/open311/v2/services.xml")))
            #expect(servicesXML.name == "services")
            #expect(servicesXML.children.map(\.name) == ["service", "service"])
            #expect(servicesXML.all("service_name").map(\.text) == ["暴露垃圾", "井盖丢失"])

            let definition = try await h.send(.get, "/open311/v2/services/0701.json").json
            #expect(definition["service_code"] as? String == "0701")
            let attributes = try #require(definition["attributes"] as? [[String: Any]])
            #expect(attributes.strings("code") == ["TRAFFIC", "CASUALTY"])
            #expect(attributes[0]["datatype"] as? String == "singlevaluelist")
            #expect(attributes[0]["required"] as? Bool == true)
            #expect(attributes[0]["order"] as? Int == 1)
            #expect((attributes[0]["values"] as? [[String: Any]])?.strings("key") == ["blocked", "partly", "no"])
            let definitionXML = try #require(XMLTree.parse(try await h.send(.get, "/open311/v2/services/0701.xml")))
            #expect(definitionXML.name == "service_definition")
            #expect(definitionXML.all("attribute").count == 2)
            #expect(definitionXML.all("order").map(\.text) == ["1", "2"])

            try await o311Error(h, .get, "/open311/v2/services/0101.json", 404)  // grid workers only
            try await o311Error(h, .get, "/open311/v2/services/9999.xml", 404)
            try await o311Error(h, .get, "/open311/v2/services.csv", 404)
            try await o311Error(h, .get, "/open311/v2/reports.xml", 404)
        }
    }

    @Test("the seed catalog: attributes by category or by a word of the item; confidential categories stay off the map",
          arguments: TestEngines.all)
    func attributesFromTheSeed(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            try await h.repos.database.transaction { tx in try await h.repos.catalog.replace(with: CatalogSeed.catalog, in: tx) }
            let services = try o311List(try await h.send(.get, "/open311/v2/services.json"))
            let byCode = Dictionary(uniqueKeysWithValues: services.map { ($0["service_code"] as? String ?? "", $0) })
            #expect(byCode["1001"] == nil, "特殊人群 is not reported by citizens")
            #expect(byCode["0905"]?["metadata"] as? Bool == false)
            #expect(try await o311Attributes(h, "0905").isEmpty)
            #expect(try await o311Attributes(h, "0907").strings("code") == ["TRAFFIC"])  // 路灯损坏
            let noise = try await o311Attributes(h, "1205")
            #expect(noise.strings("code") == ["PERIOD", "SINCE"])
            #expect(noise[0]["datatype"] as? String == "multivaluelist")
            #expect(try await o311Attributes(h, "0501").strings("code") == ["SINCE", "COUNT"])
            let definition = try #require(XMLTree.parse(try await h.send(.get, "/open311/v2/services/0905.xml")))
            #expect(definition.all("attribute").isEmpty)

            let key = try await h.o311Key()
            let posted = try await h.o311Post(key: key, [("service_code", "1205"), ("lat", "28.05"), ("long", "106.05"),
                                                         ("description", "夜里有人打鼓"), ("attribute[PERIOD][]", "night"),
                                                         ("attribute[PERIOD][]", "evening"), ("attribute[SINCE]", "weeks")])
            #expect(posted.status == .created, "\(posted.text)")
            let id = try #require(try o311List(posted).first?["service_request_id"] as? Int)
            let text = try #require(try o311List(try await h.send(.get, "/open311/v2/requests/\(id).json")).first?["description"] as? String)
            #expect(text.contains("通常在哪些时段发生：夜间(22时–次日6时)、傍晚"))
            let stored = try await SQLOpen311Repository(h.repos.database).extras(eventIDs: [Int64(id)])[Int64(id)]
            #expect(stored?.attributes == ["PERIOD": ["night", "evening"], "SINCE": ["weeks"]])
            let bad = try await h.o311Post(key: key, [("service_code", "1205"), ("lat", "28.05"), ("long", "106.05"),
                                                      ("attribute[SINCE][]", "weeks"), ("attribute[SINCE][]", "days")])
            #expect(bad.status == .badRequest)

            // A tip about public security can be followed by its id, but is never listed nor placed.
            let tip = try await h.o311Post(key: key, [("service_code", "0201"), ("lat", "28.05"), ("long", "106.05"),
                                                      ("address_string", "红旗路8号"), ("description", "有人在楼道交易可疑物品")])
            #expect(tip.status == .created, "\(tip.text)")
            let tipID = try #require(try o311List(tip).first?["service_request_id"] as? Int)
            let listed = try o311List(try await h.send(.get, "/open311/v2/requests.json")).compactMap { $0["service_request_id"] as? Int }
            #expect(listed == [id])
            let shown = try #require(try o311List(try await h.send(.get, "/open311/v2/requests/\(tipID).json")).first)
            #expect(shown["status"] as? String == "open")
            #expect(shown["description"] is NSNull && shown["address"] is NSNull && shown["lat"] is NSNull)
            #expect(!(try await h.send(.get, "/open311/v2/requests/\(tipID).xml").text.contains("红旗路8号")))
        }
    }

    @Test("keys: administrators issue (shown once), list and revoke them, audited; others may not", arguments: TestEngines.all)
    func keys(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            let street = try await h.login(.jiedao)
            #expect(try await h.send(.post, "/api/v1/open311/keys", token: street, json: ["name": "市民服务APP"]).status == .forbidden)
            #expect(try await h.get("/api/v1/open311/keys", as: street).status == .forbidden)
            #expect(try await h.send(.post, "/api/v1/open311/keys", token: admin, json: ["name": " "]).status == .badRequest)

            let created = try await h.send(.post, "/api/v1/open311/keys", token: admin, json: ["name": "市民服务APP"])
            #expect(created.status == .created)
            let key = try #require(created.json["apiKey"] as? String)
            let id = try #require(created.json["id"] as? Int)
            #expect(key.hasPrefix("wg311_") && key.count == 70)
            let listed = try await h.get("/api/v1/open311/keys", as: admin)
            #expect(listed.items.strings("name") == ["市民服务APP"])
            #expect(listed.items.first?["apiKey"] == nil, "the key is shown once only")
            #expect(listed.items.first?["active"] as? Bool == true)
            #expect(listed.items.first?["createdBy"] as? String == "admin")
            #expect(!listed.text.contains(key))

            #expect(try await h.send(.delete, "/api/v1/open311/keys/\(id)", token: street).status == .forbidden)
            #expect(try await h.send(.delete, "/api/v1/open311/keys/\(id)", token: admin).status == .noContent)
            #expect(try await h.send(.delete, "/api/v1/open311/keys/\(id)", token: admin).status == .noContent)
            #expect(try await h.send(.delete, "/api/v1/open311/keys/9999", token: admin).status == .notFound)
            #expect(try await h.get("/api/v1/open311/keys", as: admin).items.first?["active"] as? Bool == false)
            let actions = try await h.repos.audit.list(in: nil, action: nil, before: nil, limit: 50).map(\.action)
            #expect(actions.filter { $0.hasPrefix("open311_") } == ["open311_key_revoked", "open311_key_created"])
            try await o311Error(h, .post, "/open311/v2/requests.xml", 403,
                                  form: [("api_key", key), ("service_code", "0401"), ("lat", "28.05"), ("long", "106.05")])
        }
    }

    @Test("POST requests: every refusal in the spec's shape and status", arguments: TestEngines.all)
    func postErrors(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let key = try await h.o311Key()
            let place = [("lat", "28.05"), ("long", "106.05")]
            try await o311Error(h, .post, "/open311/v2/requests.json", 403, form: [("service_code", "0401")] + place)
            try await o311Error(h, .post, "/open311/v2/requests.xml", 403, form: [("service_code", "0401")] + place)
            try await o311Error(h, .post, "/open311/v2/requests.json", 403,
                                  form: [("api_key", "wg311_guessed"), ("service_code", "0401")] + place)
            let withKey = [("api_key", key)]
            try await o311Error(h, .post, "/open311/v2/requests.json", 400, form: withKey + place)
            try await o311Error(h, .post, "/open311/v2/requests.xml", 400, form: withKey + [("service_code", "")] + place)
            try await o311Error(h, .post, "/open311/v2/requests.json", 404, form: withKey + [("service_code", "9999")] + place)
            try await o311Error(h, .post, "/open311/v2/requests.json", 404, form: withKey + [("service_code", "0101")] + place)
            let addressOnly = try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                                    form: withKey + [("service_code", "0401"), ("address_string", "人民路1号")])
            #expect(addressOnly.contains("需要提供经纬度"))
            try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                  form: withKey + [("service_code", "0401"), ("lat", "28.05")])
            let outside = try await o311Error(h, .post, "/open311/v2/requests.xml", 400,
                                                form: withKey + [("service_code", "0401"), ("lat", "29.5"), ("long", "107.5")])
            #expect(outside.contains("不在任何网格内"))
            try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                  form: withKey + [("service_code", "0701")] + place)  // TRAFFIC is required
            try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                  form: withKey + [("service_code", "0701"), ("attribute[TRAFFIC]", "maybe"),
                                                   ("attribute[CASUALTY]", "no")] + place)
            try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                  form: withKey + [("service_code", "0401"), ("description", String(repeating: "脏", count: 4001))] + place)
            try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                  form: withKey + [("service_code", "0401"), ("phone", "12345")] + place)
            try await o311Error(h, .post, "/open311/v2/requests.json", 400,
                                  form: withKey + [("service_code", "0401"), ("media_url", "javascript:alert(1)")] + place)
            let json = try await h.send(.post, "/open311/v2/requests.json", json: ["api_key": key, "service_code": "0401"])
            #expect(json.status == .badRequest)
            try await o311Error(h, .post, "/open311/v2/services.json", 404, form: withKey)
            #expect(try await h.get("/api/v1/events", as: try await h.login(.admin)).json["total"] as? Int == 0, "nothing was reported")
        }
    }

    @Test("a request runs through the same loop: queue, dispatch, closure; public answers show nothing personal",
          arguments: TestEngines.all)
    func throughTheLoop(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let key = try await h.o311Key()
            let posted = try await h.o311Post(key: key, [
                ("service_code", "0401"), ("lat", "28.05"), ("long", "106.05"), ("address_string", "红旗路12号"),
                ("description", "垃圾桶满了 <溢出> & \"没人管\" 'a'"), ("first_name", "明"), ("last_name", "张"),
                ("phone", "+86 139 1234 5678"), ("email", "zhang@example.cn"), ("device_id", "dev-1"), ("account_id", "u-77"),
                ("media_url", "https://img.example.cn/1.jpg"), ("attribute[SINCE]", "days"),
            ], format: "xml")
            #expect(posted.status == .created, "\(posted.text)")
            let answer = try #require(XMLTree.parse(posted)?.child("request"))
            let id = try #require(Int64(answer.child("service_request_id")?.text ?? ""))
            let token = try #require(answer.child("token")?.text)
            #expect(answer.child("account_id")?.text == "u-77")
            #expect(answer.child("service_notice")?.text.contains(token) == true)

            let tokenJSON = try o311List(try await h.send(.get, "/open311/v2/tokens/\(token).json"))
            #expect(tokenJSON.first?["service_request_id"] as? Int == Int(id))
            #expect(XMLTree.parse(try await h.send(.get, "/open311/v2/tokens/\(token).xml"))?.all("token").first?.text == token)
            try await o311Error(h, .get, "/open311/v2/tokens/NOSUCHTOKEN.xml", 404)

            // The command center sees an ordinary event, with the reporter the public never sees.
            let street = try await h.login(.jiedao)
            let queue = try await h.get("/api/v1/events", as: street)
            let queued = try #require(queue.items.first { ($0["id"] as? Int).map(Int64.init) == id })
            #expect(queued["source"] as? String == "open311")
            #expect(queued["reporterName"] as? String == "张明")
            #expect(queued["status"] as? String == "reported")

            var request = try #require(try o311List(try await h.send(.get, "/open311/v2/requests/\(id).json")).first)
            #expect(request["status"] as? String == "open")
            #expect(request["status_notes"] as? String == "已收到，等待东城街道受理")
            #expect(request["service_name"] as? String == "暴露垃圾")
            #expect(request["agency_responsible"] as? String == "东城街道")
            #expect(request["requested_datetime"] as? String == "2027-01-15T16:00:00+08:00")
            #expect(request["lat"] as? Double == 28.05 && request["long"] as? Double == 106.05)
            #expect(request["address"] as? String == "红旗路12号")
            #expect(request["media_url"] as? String == "https://img.example.cn/1.jpg")
            #expect((request["description"] as? String)?.hasPrefix("垃圾桶满了 <溢出> & \"没人管\" 'a'") == true)
            let xml = try await h.send(.get, "/open311/v2/requests/\(id).xml")
            #expect(xml.text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
            #expect(xml.text.contains("&lt;溢出&gt; &amp; &quot;没人管&quot; &apos;a&apos;"))
            #expect(XMLTree.parse(xml)?.all("description").first?.text.hasPrefix("垃圾桶满了 <溢出> & \"没人管\" 'a'") == true)

            let gongan = try await h.login(.gongan)
            let police = try #require(try await h.repos.departments.find(key: "gongan", serves: TestTerritory.county)?.id)
            #expect(try await h.o311Act(id, "accept", street).status == .ok)
            #expect(try await h.o311Act(id, "dispatch", street, ["to": "department:\(police)"]).status == .ok)
            request = try #require(try o311List(try await h.send(.get, "/open311/v2/requests/\(id).json")).first)
            #expect((request["status_notes"] as? String)?.hasPrefix("已派遣至清溪县公安局，处理时限2027-") == true)
            #expect((request["expected_datetime"] as? String)?.hasSuffix("+08:00") == true)
            #expect(request["agency_responsible"] as? String == "清溪县公安局")
            #expect(try await h.o311Act(id, "sign", gongan).status == .ok)
            #expect(try await h.o311Act(id, "handle", gongan, ["note": "已清运"]).status == .ok)
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests/\(id).json")).first?["status"] as? String == "open")
            #expect(try await h.o311Act(id, "verify_pass", street).status == .ok)

            let closed = try #require(XMLTree.parse(try await h.send(.get, "/open311/v2/requests/\(id).xml"))?.child("request"))
            #expect(closed.child("status")?.text == "closed")
            #expect(closed.child("status_notes")?.text.hasPrefix("已办结") == true)
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?status=closed")).count == 1)
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?status=open")).isEmpty)

            for path in ["requests.json", "requests.xml", "requests/\(id).json", "requests/\(id).xml", "tokens/\(token).json"] {
                let text = try await h.send(.get, "/open311/v2/" + path).text
                for secret in ["13912345678", "张明", "zhang@example.cn", "dev-1", "u-77", "reporter"] {
                    #expect(!text.contains(secret), "\(path) reveals \(secret)")
                }
            }
        }
    }

    @Test("GET requests: ids override, service_code, status, dates, the 90-day default and paging", arguments: TestEngines.all)
    func search(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let key = try await h.o311Key()
            var ids: [Int] = []
            for (code, extra) in [("0401", [(String, String)]()), ("0701", [("attribute[TRAFFIC]", "partly"), ("attribute[CASUALTY]", "no")]),
                                  ("0401", [])] {
                let posted = try await h.o311Post(key: key, [("service_code", code), ("lat", "28.05"), ("long", "106.15")] + extra)
                #expect(posted.status == .created, "\(posted.text)")
                ids.append(try #require(try o311List(posted).first?["service_request_id"] as? Int))
                h.clock.advance(3600)
            }
            let worker = try await h.login(.wanggeyuan)
            let staffReport = try await h.send(.post, "/api/v1/events", token: worker,
                                            json: ["itemCode": "0401", "description": "李四家门口垃圾", "lon": 106.05, "lat": 28.05])
            let staffID = try #require((staffReport.json["event"] as? [String: Any])?["id"] as? Int)
            let dispute = try await h.send(.post, "/api/v1/events", token: worker,
                                           json: ["itemCode": "0101", "description": "邻里纠纷", "lon": 106.05, "lat": 28.05])
            let disputeID = try #require((dispute.json["event"] as? [String: Any])?["id"] as? Int)

            let all = try o311List(try await h.send(.get, "/open311/v2/requests.json"))
            #expect(all.compactMap { $0["service_request_id"] as? Int } == [staffID, ids[2], ids[1], ids[0]], "newest first; no dispute")
            #expect(all[0]["description"] is NSNull, "staff-typed text is not published")
            #expect(!(try await h.send(.get, "/open311/v2/requests.json").text.contains("李四")))
            try await o311Error(h, .get, "/open311/v2/requests/\(disputeID).json", 404)
            try await o311Error(h, .get, "/open311/v2/requests/999999.xml", 404)
            try await o311Error(h, .get, "/open311/v2/requests/abc.json", 404)

            let xml = try #require(XMLTree.parse(try await h.send(.get, "/open311/v2/requests.xml")))
            #expect(xml.name == "service_requests" && xml.children.count == 4)
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?service_code=0701")).count == 1)
            let picked = try o311List(try await h.send(.get, "/open311/v2/requests.json?service_request_id=\(ids[0]),\(ids[2])&status=closed"))
            #expect(picked.compactMap { $0["service_request_id"] as? Int } == [ids[2], ids[0]], "ids override the other filters")
            try await o311Error(h, .get, "/open311/v2/requests.json?service_request_id=1,x", 400)
            try await o311Error(h, .get, "/open311/v2/requests.json?status=pending", 400)

            let page2 = try o311List(try await h.send(.get, "/open311/v2/requests.json?page_size=3&page=2"))
            #expect(page2.compactMap { $0["service_request_id"] as? Int } == [ids[0]])
            try await o311Error(h, .get, "/open311/v2/requests.json?page_size=1001", 400)
            try await o311Error(h, .get, "/open311/v2/requests.xml?page=0", 400)

            let window = "start_date=2027-01-15T16:30:00%2B08:00&end_date=2027-01-15T09:30:00Z"
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?" + window)).compactMap { $0["service_request_id"] as? Int }
                    == [ids[1]])
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?start_date=2027-01-16")).isEmpty)
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?end_date=2027-01-15T08:30:00Z")).count == 1)
            try await o311Error(h, .get, "/open311/v2/requests.json?start_date=yesterday", 400)
            try await o311Error(h, .get, "/open311/v2/requests.json?end_date=2027-13-01T00:00:00Z", 400)
            try await o311Error(h, .get, "/open311/v2/requests.json?start_date=2027-01-16&end_date=2027-01-15", 400)
            try await o311Error(h, .get, "/open311/v2/requests.xml?start_date=2026-01-01&end_date=2027-01-15", 400)

            h.clock.advance(91 * 86_400)
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json")).isEmpty, "older than the 90-day default")
            #expect(try o311List(try await h.send(.get, "/open311/v2/requests.json?start_date=2027-01-15T00:00:00%2B08:00")).count == 4)
        }
    }
}
