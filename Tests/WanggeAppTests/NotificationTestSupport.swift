import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WanggeApp
import WanggeCore
import WanggeStorage
import WanggeTestSupport

/// The outbox side of a test: the harness's 城管局 and its catalog item 暴露垃圾 (handled by the
/// township), events put straight into the database, and the notifier called as the event service calls it.
struct World {
    static let item = "0401"
    let h: Harness
    let outbox: SQLNotificationRepository
    /// The id of 清溪县城管局.
    let department: Int64

    static func make(_ h: Harness) async throws -> World {
        let department = try #require(try await h.repos.departments.list(servingIn: nil).first { $0.key == "chengguan" }?.id)
        return World(h: h, outbox: SQLNotificationRepository(h.repos.database), department: department)
    }

    func setEndpoints(webhook: String?, sms: String?) async throws {
        let endpoints = DepartmentEndpoints(departmentID: department, webhookURL: webhook, webhookSecret: webhook == nil ? nil : NotificationTests.secret,
                                            smsPhone: sms)
        try await h.repos.database.transaction { tx in try await outbox.setEndpoints(endpoints, at: h.clock.now(), in: tx) }
    }

    /// An event dispatched by 东城街道 to 城管局, as it is stored after the dispatch.
    func insertEvent(source: EventSource = .gridApp, phone: String? = nil, mergedInto: Int64? = nil) async throws -> Event {
        let now = h.clock.now()
        let event = Event(
            serial: "520399" + UUID().uuidString.prefix(12), trackingNumber: String(UUID().uuidString.prefix(12)), source: source,
            itemCode: Self.item, description: "小区门口垃圾堆积多日", lon: 106.05, lat: 28.1, grid: TestTerritory.east1, address: nil,
            reporterAccountID: nil, reporterName: "张三", reporterPhone: phone, parties: nil, amount: nil, urgent: false,
            status: mergedInto == nil ? .dispatched : .merged, holder: .department(department), dispatcher: .center(TestTerritory.east),
            deadline: now + 3 * 86_400, mergedInto: mergedInto, reportedAt: now, dispatchedAt: now, updatedAt: now)
        return try await h.repos.database.transaction { tx in try await h.repos.events.insert(event, in: tx) }
    }

    func notify(_ event: Event, _ action: String, toUnit: HandlingUnit?) async throws {
        let notifier = OutboxNotifier(notifications: outbox)
        let step = EventStep(eventID: event.id ?? 0, at: h.clock.now(), actorID: nil, actor: "东城坐席", action: action,
                             fromStatus: .accepted, toStatus: event.status, fromUnit: .center(TestTerritory.east), toUnit: toUnit,
                             note: "请核查处理")
        try await h.repos.database.transaction { tx in try await notifier.eventChanged(event, action: action, step: step, in: tx) }
    }

    func worker(policy: RetryPolicy = .standard, sms: any SMSGateway = LoggingSMSGateway(logger: Logger(label: "sms"))) -> DeliveryWorker {
        var logger = Logger(label: "wangge-test-delivery")
        logger.logLevel = .critical
        return DeliveryWorker(database: h.repos.database, sms: sms, policy: policy, logger: logger)
    }
}

/// A webhook receiver (and SMS gateway) on 127.0.0.1: answers 500 to the first `failures`
/// requests, then 200, and checks each webhook's signature against the exact body it received.
final class Receiver: @unchecked Sendable {
    struct Received {
        var path: String
        var headers: HTTPFields
        var body: Data
        var signature: String?
        var signatureValid: Bool
    }

    private let lock = NSLock()
    private var failures: Int
    private var received: [Received] = []

    init(failures: Int) { self.failures = failures }

    var requests: [Received] { lock.withLock { received } }

    /// From now on, every request is accepted.
    func accept() { lock.withLock { failures = 0 } }

    private func record(_ request: Received) -> Bool {
        lock.withLock {
            received.append(request)
            guard failures > 0 else { return false }
            failures -= 1
            return true
        }
    }

    /// Runs `body` while the receiver listens; it gets the base URL (`http://127.0.0.1:PORT`).
    func serve(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { [self] request, _ in
            let bytes = Data(buffer: try await request.body.collect(upTo: 1 << 20))
            let signature = request.headers[HTTPField.Name("X-Wangge-Signature")!]
            let fail = record(Received(path: request.uri.path, headers: request.headers, body: bytes, signature: signature,
                                       signatureValid: signature == Self.expectedSignature(bytes)))
            return Response(status: fail ? .internalServerError : .ok, body: .init(byteBuffer: ByteBuffer(string: fail ? "busy" : "ok")))
        }
        router.post("hook", use: handler)
        router.post("sms", use: handler)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              logger: Logger(label: "receiver") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }

    /// Computed here with swift-crypto directly, not with the code under test.
    static func expectedSignature(_ body: Data) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(NotificationTests.secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }
}

/// Collects what a logger writes, to check what the logging SMS gateway records.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    var lines: [String] { lock.withLock { collected } }
    func append(_ line: String) { lock.withLock { collected.append(line) } }
}

struct CapturingHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    func log(event: LogEvent) { capture.append(event.message.description) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
}

extension Array {
    /// The single element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
