import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import WanggeApp
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("HTTP: the notification outbox, its deliveries and its administration")
struct NotificationTests {
    static let secret = "s3cret-key-of-the-city-bureau"

    @Test("a webhook that fails twice is retried after each back-off, then delivered signed", arguments: TestEngines.all)
    func webhookRetry(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let receiver = Receiver(failures: 2)
            try await receiver.serve { url in
                let world = try await World.make(h)
                try await world.setEndpoints(webhook: url + "/hook", sms: nil)
                let event = try await world.insertEvent(phone: "13912345678")
                try await world.notify(event, "dispatch", toUnit: event.holder)
                let queued = try #require(try await world.outbox.list(.init(), limit: 10, offset: 0).only)
                #expect(queued.status == .pending && queued.attempts == 0 && queued.kind == "dispatched" && queued.channel == .webhook)
                #expect(queued.recipient == "department:\(world.department)" && queued.target == url + "/hook")
                #expect(!queued.payload.contains("13912345678"), "the reporter's phone must not reach a webhook")

                let worker = world.worker()
                let t0 = h.clock.now()
                #expect(try await worker.deliverDue(now: t0) == (0, 1))
                var row = try #require(try await world.outbox.find(id: queued.id ?? 0))
                #expect(row.status == .failed && row.attempts == 1 && row.nextAttemptAt == t0 + 30)
                #expect(row.lastError?.hasPrefix("HTTP 500") == true)
                #expect(try await worker.deliverDue(now: t0 + 29) == (0, 0))
                #expect(try await worker.deliverDue(now: t0 + 30) == (0, 1))
                row = try #require(try await world.outbox.find(id: queued.id ?? 0))
                #expect(row.status == .failed && row.attempts == 2 && row.nextAttemptAt == t0 + 30 + 120)
                #expect(try await worker.deliverDue(now: t0 + 149) == (0, 0))
                #expect(try await worker.deliverDue(now: t0 + 150) == (1, 0))
                row = try #require(try await world.outbox.find(id: queued.id ?? 0))
                #expect(row.status == .sent && row.attempts == 3 && row.sentAt == t0 + 150 && row.lastError == nil)
                #expect(try await worker.deliverDue(now: t0 + 100_000) == (0, 0))

                let requests = receiver.requests
                #expect(requests.count == 3)
                for request in requests {
                    #expect(request.path == "/hook")
                    #expect(request.signatureValid, "signature \(request.signature ?? "none") does not match the body")
                    #expect(request.body == Data(queued.payload.utf8), "every attempt sends the exact stored body")
                    #expect(request.headers[HTTPField.Name("X-Wangge-Event")!] == "dispatched")
                    #expect(request.headers[HTTPField.Name("X-Wangge-Delivery")!] == String(queued.id ?? 0))
                    #expect(request.headers[.contentType] == "application/json")
                }
                let json = try #require(try JSONSerialization.jsonObject(with: requests[0].body) as? [String: Any])
                #expect(json["action"] as? String == "dispatch")
                let sent = try #require(json["event"] as? [String: Any])
                #expect(sent["serial"] as? String == event.serial && sent["holder"] as? String == "department:\(world.department)")
                #expect(Set(sent.keys) == ["id", "serial", "status", "itemCode", "description", "grid", "holder", "deadline", "urgent"])
                #expect((json["step"] as? [String: Any])?["note"] as? String == "请核查处理")
            }
        }
    }

    @Test("a notification is dead after its last attempt; administrators see the error and retry it", arguments: TestEngines.all)
    func deadLetter(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let receiver = Receiver(failures: .max)
            try await receiver.serve { url in
                let world = try await World.make(h)
                try await world.setEndpoints(webhook: url + "/hook", sms: nil)
                let event = try await world.insertEvent()
                try await world.notify(event, "card_unsigned_yellow", toUnit: event.holder)
                let worker = world.worker(policy: RetryPolicy(delays: [10, 20], maxAttempts: 3))
                let t0 = h.clock.now()
                #expect(try await worker.deliverDue(now: t0) == (0, 1))
                #expect(try await worker.deliverDue(now: t0 + 10) == (0, 1))
                #expect(try await worker.deliverDue(now: t0 + 30) == (0, 1))
                #expect(try await worker.deliverDue(now: t0 + 1_000_000) == (0, 0))
                let dead = try #require(try await world.outbox.list(.init(status: .dead), limit: 10, offset: 0).only)
                #expect(dead.attempts == 3 && dead.kind == "card")

                let admin = try await h.login(.admin)
                let page = try await h.get("/api/v1/notifications?status=dead", as: admin)
                #expect(page.status == .ok)
                let item = try #require(page.items.only)
                #expect(item["status"] as? String == "dead" && item["attempts"] as? Int == 3)
                #expect((item["lastError"] as? String)?.hasPrefix("HTTP 500") == true)
                #expect((page.json["counts"] as? [String: Int]) == ["pending": 0, "failed": 0, "sent": 0, "dead": 1])
                #expect(try await h.get("/api/v1/notifications?status=sent", as: admin).items.isEmpty)
                #expect(try await h.get("/api/v1/notifications?status=lost", as: admin).errorField == "status")
                #expect(try await h.get("/api/v1/notifications?pageSize=0", as: admin).errorField == "pageSize")
                for who in [Login.jiedao, .chengguan, .lingdao] {
                    let token = try await h.login(who)
                    #expect(try await h.get("/api/v1/notifications", as: token).status == .forbidden)
                    #expect(try await h.send(.post, "/api/v1/notifications/\(dead.id ?? 0)/retry", token: token).status == .forbidden)
                }

                receiver.accept()
                let retried = try await h.send(.post, "/api/v1/notifications/\(dead.id ?? 0)/retry", token: admin)
                #expect(retried.status == .ok && retried.json["status"] as? String == "pending")
                #expect(try await worker.deliverDue(now: h.clock.now()) == (1, 0))
                #expect(try await world.outbox.find(id: dead.id ?? 0)?.status == .sent)
                #expect(try await h.send(.post, "/api/v1/notifications/\(dead.id ?? 0)/retry", token: admin).status == .conflict)
                #expect(try await h.send(.post, "/api/v1/notifications/999999/retry", token: admin).status == .notFound)
                #expect(try await h.repos.audit.list(in: nil, action: "notification_retried", before: nil, limit: 5).count == 1)
            }
        }
    }

    @Test("closure texts the units and the citizens who reported it; the logging gateway masks phones", arguments: TestEngines.all)
    func smsOnClosure(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let world = try await World.make(h)
            try await world.setEndpoints(webhook: nil, sms: "13800000009")
            var event = try await world.insertEvent(source: .citizen, phone: "13912345678")
            _ = try await world.insertEvent(source: .open311, phone: "13700000001", mergedInto: event.id)
            _ = try await world.insertEvent(source: .citizen, phone: "0851-22123456", mergedInto: event.id)
            _ = try await world.insertEvent(source: .gridApp, phone: "13600000002", mergedInto: event.id)
            event.status = .closed
            try await world.notify(event, "verify_pass", toUnit: nil)
            let rows = try await world.outbox.list(.init(), limit: 20, offset: 0).sorted { $0.id ?? 0 < $1.id ?? 0 }
            #expect(rows.map(\.channel) == [.sms, .sms, .sms])
            #expect(rows.map(\.recipient) == ["department:\(world.department)", "reporter", "reporter"])
            #expect(rows.map(\.target) == ["13800000009", "13912345678", "13700000001"])
            #expect(rows.allSatisfy { $0.kind == "closed" })
            #expect(rows[1].payload.hasPrefix("您反映的问题已办结，编号\(event.trackingNumber)"))

            let capture = LogCapture()
            let logger = Logger(label: "sms") { _ in CapturingHandler(capture: capture) }
            let worker = world.worker(sms: LoggingSMSGateway(logger: logger))
            #expect(try await worker.deliverDue(now: h.clock.now()) == (3, 0))
            let lines = capture.lines
            #expect(lines.count == 3)
            #expect(lines.contains { $0.contains("139****5678") && $0.contains("您反映的问题已办结") })
            #expect(!lines.contains { $0.contains("13912345678") }, "the log must not hold full phone numbers")
            #expect(try await world.outbox.list(.init(status: .sent), limit: 20, offset: 0).count == 3)

            let admin = try await h.login(.admin)
            let page = try await h.get("/api/v1/notifications", as: admin)
            #expect(page.items.strings("target").contains("139****5678"), "administrators see reporters' phones masked")
        }
    }

    @Test("the HTTP SMS gateway posts {to, text} with its key; anything but 2xx fails", arguments: TestEngines.all)
    func httpSMSGateway(engine: DatabaseEngine) async throws {
        let receiver = Receiver(failures: 1)
        try await receiver.serve { url in
            let gateway = HTTPSMSGateway(url: url + "/sms", key: "gateway-key")
            await #expect(throws: DeliveryError.self) { try await gateway.send(to: "13800000009", text: "测试") }
            try await gateway.send(to: "13800000009", text: "测试")
            let request = try #require(receiver.requests.last)
            #expect(request.headers[.authorization] == "Bearer gateway-key")
            #expect(try JSONSerialization.jsonObject(with: request.body) as? [String: String] == ["to": "13800000009", "text": "测试"])
        }
        // Nothing listens on port 1: the client keeps trying to connect until its time-out.
        let closed = HTTPSMSGateway(url: "http://127.0.0.1:1/sms", key: "k", timeout: .milliseconds(500))
        let error = await #expect(throws: DeliveryError.self) { try await closed.send(to: "13800000009", text: "x") }
        #expect(error?.description.hasPrefix("无法连接") == true)
        #expect(throws: ConfigurationError.self) { try SMSConfiguration(url: "https://sms.example/send", key: nil) }
        #expect(throws: ConfigurationError.self) { try SMSConfiguration(url: "sms.example", key: "k") }
        let logger = Logger(label: "t")
        #expect(try SMSConfiguration.fromEnvironment([:]).gateway(logger: logger) is LoggingSMSGateway)
        let configured = try SMSConfiguration.fromEnvironment(["WANGGE_SMS_URL": "https://sms.example/send", "WANGGE_SMS_KEY": "k"])
        #expect(configured.gateway(logger: logger) is HTTPSMSGateway && configured.description == "HTTP 网关 https://sms.example/send")
    }

    @Test("department endpoints: administrators only, validated, the secret never shown", arguments: TestEngines.all)
    func endpoints(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let world = try await World.make(h)
            let path = "/api/v1/departments/\(world.department)/endpoints"
            let admin = try await h.login(.admin)
            let empty = try await h.get(path, as: admin)
            #expect(empty.status == .ok && empty.json["hasSecret"] as? Bool == false && !empty.json.keys.contains("webhookUrl"))
            let bad: [([String: Any], String)] = [
                (["webhookUrl": "ftp://example.org/hook", "webhookSecret": Self.secret], "webhookUrl"),
                (["webhookUrl": "not a url", "webhookSecret": Self.secret], "webhookUrl"),
                (["webhookUrl": "https://user:pw@example.org/hook", "webhookSecret": Self.secret], "webhookUrl"),
                (["webhookUrl": "https://example.org/hook"], "webhookSecret"),
                (["webhookUrl": "https://example.org/hook", "webhookSecret": "short"], "webhookSecret"),
                (["smsPhone": "12345"], "smsPhone"),
                (["smsPhone": "0851-22123456"], "smsPhone"),
                (["webhookUrl": 42], "webhookUrl"),
            ]
            for (body, field) in bad {
                let res = try await h.send(.put, path, token: admin, json: body)
                #expect(res.status == .badRequest && res.errorField == field, "\(body): \(res.text)")
            }
            let saved = try await h.send(.put, path, token: admin,
                                         json: ["webhookUrl": "https://hooks.example.org/w?token=abc", "webhookSecret": Self.secret,
                                                "smsPhone": "138-0000-0009"])
            #expect(saved.status == .ok && saved.json["hasSecret"] as? Bool == true && saved.json["smsPhone"] as? String == "13800000009")
            #expect(!saved.text.contains(Self.secret))
            let read = try await h.get(path, as: admin)
            #expect(read.json["webhookUrl"] as? String == "https://hooks.example.org/w?token=abc" && !read.text.contains(Self.secret))
            // Without a new secret the stored one stays.
            #expect(try await h.send(.put, path, token: admin, json: ["webhookUrl": "https://hooks.example.org/v2"]).status == .ok)
            #expect(try await world.outbox.endpoints(departmentID: world.department)?.webhookSecret == Self.secret)
            let audit = try await h.repos.audit.list(in: nil, action: "department_endpoints_updated", before: nil, limit: 5)
            #expect(audit.count == 2 && audit.allSatisfy { !($0.detail ?? "").contains("token=abc") && !($0.detail ?? "").contains(Self.secret) })

            for who in [Login.jiedao, .chengguan, .lingdao] {
                let token = try await h.login(who)
                #expect(try await h.get(path, as: token).status == .forbidden)
                #expect(try await h.send(.put, path, token: token, json: ["smsPhone": "13800000001"]).status == .forbidden)
            }
            #expect(try await h.get("/api/v1/departments/999999/endpoints", as: admin).status == .notFound)
        }
    }

    @Test("dispatching through the event API queues the department's webhook", arguments: TestEngines.all)
    func dispatchThroughAPI(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let world = try await World.make(h)
            let admin = try await h.login(.admin)
            #expect(try await h.send(.put, "/api/v1/departments/\(world.department)/endpoints", token: admin,
                                     json: ["webhookUrl": "http://127.0.0.1:1/hook", "webhookSecret": Self.secret]).status == .ok)
            let op = try await h.login(.jiedao)
            let reported = try await h.send(.post, "/api/v1/events", token: op,
                                            json: ["itemCode": World.item, "description": "路口垃圾堆积无人清运", "lon": 106.05, "lat": 28.1,
                                                   "reporterPhone": "13912345678"])
            #expect(reported.status == .created, "\(reported.text)")
            let id = try #require((reported.json["event"] as? [String: Any])?["id"] as? Int)
            #expect(try await h.send(.post, "/api/v1/events/\(id)/actions/accept", token: op, json: [:]).status == .ok)
            #expect(try await world.outbox.count(.init()) == 0, "accepting concerns nobody outside the center")
            let dispatched = try await h.send(.post, "/api/v1/events/\(id)/actions/dispatch", token: op,
                                              json: ["to": "department:\(world.department)", "note": "请派员处置"])
            #expect(dispatched.status == .ok, "\(dispatched.text)")
            let row = try #require(try await world.outbox.list(.init(), limit: 10, offset: 0).only)
            #expect(row.kind == "dispatched" && row.channel == .webhook && row.eventID == Int64(id) && row.target == "http://127.0.0.1:1/hook")
            #expect(!row.payload.contains("13912345678"))
        }
    }
}
