import Foundation
import HTTPTypes
import Testing
@testable import WanggeApp
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("HTTP: idempotency keys")
struct IdempotencyTests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test("the same key and body answer the same, once; another body with the key is 409", arguments: TestEngines.all)
    func reports(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let worker = try await h.login(.wanggeyuan)
            let body: [String: Any] = ["itemCode": "0401", "description": "离线时上报的垃圾", "lon": 106.05, "lat": 28.05]
            let first = try await h.send(.post, "/api/v1/events", token: worker, json: body, headers: [Self.key: "phone-1-report-0001"])
            let again = try await h.send(.post, "/api/v1/events", token: worker, json: body, headers: [Self.key: "phone-1-report-0001"])
            #expect(first.status == .created)
            #expect(again.status == .created)
            #expect(again.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            let id = (first.json["event"] as? [String: Any])?["id"] as? Int
            #expect(id != nil && (again.json["event"] as? [String: Any])?["id"] as? Int == id)
            #expect(try await h.get("/api/v1/events?reporter=me", as: worker).json["total"] as? Int == 1)
            var other = body
            other["description"] = "另一件事"
            let conflict = try await h.send(.post, "/api/v1/events", token: worker, json: other, headers: [Self.key: "phone-1-report-0001"])
            #expect(conflict.status == .conflict)
            #expect(conflict.errorCode == "idempotency_conflict")
            // Keys belong to their account: another worker's same key is a new request.
            let leader = try await h.login(.wangzhang)
            #expect(try await h.send(.post, "/api/v1/events", token: leader, json: body, headers: [Self.key: "phone-1-report-0001"])
                .headers[HTTPField.Name("Idempotency-Replayed")!] == nil)
            #expect(try await h.send(.post, "/api/v1/events", token: worker, json: body, headers: [Self.key: "short"]).errorField
                    == "Idempotency-Key")
        }
    }

    @Test("a repeated action and a repeated photo do not act twice", arguments: TestEngines.all)
    func actionsAndPhotos(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let street = try await h.login(.jiedao)
            let id = try await h.report(try await h.login(.wanggeyuan))
            let accept1 = try await h.send(.post, "/api/v1/events/\(id)/actions/accept", token: street, json: [:],
                                           headers: [Self.key: "center-accept-000001"])
            let accept2 = try await h.send(.post, "/api/v1/events/\(id)/actions/accept", token: street, json: [:],
                                           headers: [Self.key: "center-accept-000001"])
            #expect(accept1.status == .ok)
            #expect(accept2.status == .ok)  // not 409: the repeat is answered, not re-applied
            #expect(accept2.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            let timeline = try #require(accept2.json["timeline"] as? [[String: Any]])
            #expect(timeline.filter { $0["action"] as? String == "accept" }.count == 1)
            let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0]
            for _ in 0..<2 {
                let up = try await h.send(.post, "/api/v1/events/\(id)/attachments", token: street, body: Data(png),
                                          headers: [.contentType: "image/png", Self.key: "photo-upload-0000001"])
                #expect(up.status == .created)
            }
            #expect(try await h.get("/api/v1/events/\(id)/attachments", as: street).items.count == 1)
        }
    }
}

@Suite("HTTP: citizens' reports without an account")
struct CitizenAPITests {
    static let key = HTTPField.Name("Idempotency-Key")!

    @Test("report, follow by tracking number, rate when closed; nothing personal in the answers", arguments: TestEngines.all)
    func loop(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let catalog = try await h.send(.get, "/api/v1/public/catalog")
            #expect((catalog.json["items"] as? [[String: Any]])?.strings("code") == ["0401", "0701"])
            // Reported from the phone with a verified number.
            #expect(try await h.send(.post, "/api/v1/public/phone-codes", json: ["phone": "13912345678"]).status == .noContent)
            let again = try await h.send(.post, "/api/v1/public/phone-codes", json: ["phone": "13912345678"])
            #expect(again.status == .tooManyRequests)
            let wrong = try await h.send(.post, "/api/v1/public/reports", json: [
                "itemCode": "0401", "description": "路边垃圾没人清", "lon": 106.15, "lat": 28.05, "phone": "13912345678", "code": "000000"])
            #expect(wrong.errorField == "code")
            let code = try #require(h.sms.code(for: "13912345678"))
            // A report refused for another reason does not use the code up.
            let outside = try await h.send(.post, "/api/v1/public/reports", json: [
                "itemCode": "0401", "description": "路边垃圾没人清", "lon": 110.0, "lat": 30.0, "phone": "13912345678", "code": code])
            #expect(outside.errorField == "lat")
            let body: [String: Any] = ["itemCode": "0401", "description": "路边垃圾没人清", "lon": 106.15, "lat": 28.05,
                                       "phone": "13912345678", "code": code]
            let made = try await h.send(.post, "/api/v1/public/reports", json: body, headers: [Self.key: "citizen-form-00001"])
            #expect(made.status == .created, "\(made.text)")
            let tracking = try #require(made.json["trackingNumber"] as? String)
            #expect(made.json["place"] as? String == "红旗社区")
            // The code was used up, but the idempotent repeat is answered from the key, not re-verified.
            let repeated = try await h.send(.post, "/api/v1/public/reports", json: body, headers: [Self.key: "citizen-form-00001"])
            #expect(repeated.json["trackingNumber"] as? String == tracking, "\(repeated.text)")
            #expect(try await h.send(.post, "/api/v1/public/reports", json: body).errorField == "code")
            #expect(try await h.send(.post, "/api/v1/public/reports", json: ["itemCode": "0101", "description": "邻里纠纷", "lon": 106.15,
                                                                            "lat": 28.05]).errorField == "itemCode")

            // It is in the command center's queue like any other report.
            let street = try await h.login(.jiedao)
            let queue = try await h.get("/api/v1/events?source=citizen", as: street)
            let id = Int64(try #require(queue.items.first?["id"] as? Int))
            try await h.act(id, "accept", as: street)
            let cg = try await h.departmentID("chengguan")
            try await h.act(id, "dispatch", as: street, ["to": "department:\(cg)"])
            let dept = try await h.login(.chengguan)
            try await h.act(id, "sign", as: dept)
            try await h.act(id, "handle", as: dept, ["note": "已派环卫工人清理，联系人王师傅13800000000"])
            #expect(try await h.send(.post, "/api/v1/public/reports/\(tracking)/rating", json: ["satisfaction": 5]).status == .conflict)
            try await h.act(id, "verify_pass", as: street)

            let followed = try await h.send(.get, "/api/v1/public/reports/\(tracking.lowercased())")
            #expect(followed.json["statusLabel"] as? String == "已办结")
            #expect(followed.json["canRate"] as? Bool == true)
            #expect((followed.json["timeline"] as? [[String: Any]])?.strings("label")
                    == ["已收到您的诉求", "已受理", "已派遣至责任部门", "已处置", "已办结"])
            for secret in ["13912345678", "13800000000", "王师傅", "刘洋", "东城坐席", "reporter", "note", "actor", "description"] {
                #expect(!followed.text.contains(secret), "the public answer shows \(secret)")
            }
            let rated = try await h.send(.post, "/api/v1/public/reports/\(tracking)/rating", json: ["satisfaction": 5])
            #expect(rated.json["satisfaction"] as? Int == 5)
            #expect(rated.json["statusLabel"] as? String == "已评价")
            #expect(try await h.send(.get, "/api/v1/public/reports/ZZZZZZZZZZZZ").status == .notFound)

            let near = try await h.send(.get, "/api/v1/public/nearby?lat=28.05&lon=106.15")
            #expect((near.json["items"] as? [[String: Any]])?.strings("itemName") == ["暴露垃圾"])
            #expect(try await h.send(.get, "/api/v1/public/nearby?lat=28.05").errorField == "lon")
        }
    }

    @Test("photos: images only, five at most, within a day", arguments: TestEngines.all)
    func photos(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let made = try await h.send(.post, "/api/v1/public/reports", json: ["itemCode": "0401", "description": "垃圾", "lon": 106.15, "lat": 28.05])
            let tracking = try #require(made.json["trackingNumber"] as? String)
            let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0]
            #expect(try await h.send(.post, "/api/v1/public/reports/\(tracking)/photos", body: Data("%PDF-1".utf8),
                                     headers: [.contentType: "application/pdf"]).errorField == "contentType")
            for i in 0..<5 {
                let up = try await h.send(.post, "/api/v1/public/reports/\(tracking)/photos", body: Data(jpeg + [UInt8(i)]),
                                          headers: [.contentType: "image/jpeg"])
                #expect(up.status == .created)
            }
            #expect(try await h.send(.post, "/api/v1/public/reports/\(tracking)/photos", body: Data(jpeg),
                                     headers: [.contentType: "image/jpeg"]).status == .conflict)
        }
    }
}

@Suite("Rate limiter")
struct RateLimiterTests {
    @Test("a client gets its requests per window, then waits for the next window")
    func window() async {
        let limiter = RateLimiter(limit: 2, windowSeconds: 60)
        #expect(await limiter.allow("1.2.3.4", now: 0))
        #expect(await limiter.allow("1.2.3.4", now: 10))
        #expect(await !limiter.allow("1.2.3.4", now: 20))
        #expect(await limiter.allow("5.6.7.8", now: 20))
        #expect(await limiter.allow("1.2.3.4", now: 61))
    }
}
