import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WanggeApp
import WanggeCore
import WanggeStorage
import WanggeTestSupport

/// A settable clock, so lockouts and session expiry can be tested without waiting.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int64 = 1_800_000_000

    func now() -> Int64 { lock.withLock { value } }
    func advance(_ seconds: Int64) { lock.withLock { value += seconds } }
}

/// An SMS gateway that keeps what it was asked to send, so tests can read verification codes.
final class CapturingSMS: SMSGateway, @unchecked Sendable {
    private let lock = NSLock()
    private var sent: [(phone: String, text: String)] = []

    func send(to phone: String, text: String) async throws { lock.withLock { sent.append((phone, text)) } }
    var messages: [(phone: String, text: String)] { lock.withLock { sent } }

    /// The 6-digit code of the last message to `phone`.
    func code(for phone: String) -> String? {
        guard let text = messages.last(where: { $0.phone == phone })?.text,
              let range = text.range(of: "[0-9]{6}", options: .regularExpression) else { return nil }
        return String(text[range])
    }
}

/// The fixture's logins, all with the same password.
enum Login: String, CaseIterable {
    case admin, jiedao, xiangzhen, wangzhang, wanggeyuan, gongan, chengguan, lingdao
    static let password = "Test@2026x"
}

/// One test's world: the app over a fresh database holding `TestTerritory`, staff, a department and one account per role.
struct Harness {
    let client: any TestClientProtocol
    let services: AppServices
    let clock: TestClock
    let sms: CapturingSMS
    var repos: Repositories { services.repos }

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func run(_ engine: DatabaseEngine, _ body: @escaping @Sendable (Harness) async throws -> Void) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            let clock = TestClock()
            let config = AppConfiguration(database: db.configuration, secret: Array(repeating: 7, count: 32),
                                          publicDirectory: repositoryRoot + "/Public", bcryptCost: 4,
                                          dataDirectory: NSTemporaryDirectory() + "wangge-data-" + UUID().uuidString,
                                          dataKey: String(repeating: "5a", count: 32))
            let sms = CapturingSMS()
            let services = try AppServices(configuration: config, repos: repos, sms: sms, now: { clock.now() })
            try await seed(repos, auth: services.auth)
            let app = Application(router: buildRouter(services))
            try await app.test(.router) { client in
                try await body(Harness(client: client, services: services, clock: clock, sms: sms))
            }
        }
    }

    static func seed(_ repos: Repositories, auth: AuthService) async throws {
        let (police, cityManagement) = try await repos.database.transaction { tx in
            try await repos.grids.upsert(TestTerritory.grids, in: tx)
            _ = try await repos.staff.insert([
                StaffMember(gridCode: TestTerritory.east1, name: "王芳", role: .leader, phone: "13800000001"),
                StaffMember(gridCode: TestTerritory.east1, name: "李明", role: .fullTime, phone: "13800000002"),
                StaffMember(gridCode: TestTerritory.east1, name: "周杰", role: .police, phone: nil),
                StaffMember(gridCode: TestTerritory.east2, name: "赵强", role: .partTime, phone: "13800000003"),
                StaffMember(gridCode: TestTerritory.west1, name: "孙丽", role: .leader, phone: "13800000004"),
            ], in: tx)
            try await repos.catalog.replace(with: TestTerritory.catalog, in: tx)
            let police = try await repos.departments.insert(
                Department(key: "gongan", name: "清溪县公安局", kind: .publicSecurity, serves: TestTerritory.county), in: tx)
            let cityManagement = try await repos.departments.insert(
                Department(key: "chengguan", name: "清溪县城管局", kind: .urbanManagement, serves: TestTerritory.county), in: tx)
            return (police, cityManagement)
        }
        let hash = try await auth.hashPassword(Login.password)
        let accounts: [Account] = [
            Account(username: "admin", displayName: "管理员", role: .admin, scope: TestTerritory.county),
            Account(username: "jiedao", displayName: "东城坐席", role: .operator, scope: TestTerritory.east),
            Account(username: "xiangzhen", displayName: "西山坐席", role: .operator, scope: TestTerritory.west),
            Account(username: "wangzhang", displayName: "王芳", role: .gridLeader, scope: TestTerritory.east1),
            Account(username: "wanggeyuan", displayName: "李明", role: .gridWorker, scope: TestTerritory.east1),
            Account(username: "gongan", displayName: "陈刚", role: .department, scope: nil, departmentID: police.id),
            Account(username: "chengguan", displayName: "刘洋", role: .department, scope: nil, departmentID: cityManagement.id),
            Account(username: "lingdao", displayName: "县领导", role: .leader, scope: TestTerritory.county),
        ]
        try await repos.database.transaction { tx in
            for a in accounts { _ = try await repos.accounts.insert(a, passwordHash: hash, in: tx) }
        }
    }

    /// Logs in and returns the bearer token.
    func login(_ who: Login) async throws -> String {
        let res = try await send(.post, "/api/v1/auth/login", json: ["username": who.rawValue, "password": Login.password])
        #expect(res.status == .ok, "login \(who) failed: \(res.text)")
        return try #require(res.json["token"] as? String)
    }

    @discardableResult
    func send(_ method: HTTPRequest.Method, _ path: String, token: String? = nil, json: Any? = nil, body: Data? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        return try await client.execute(uri: path, method: method, headers: headers, body: buffer) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    func get(_ path: String, as who: String) async throws -> Reply {
        try await send(.get, path, token: who)
    }
}

struct Reply: Sendable {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let body: Data

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    var error: [String: Any] { json["error"] as? [String: Any] ?? [:] }
    var errorCode: String? { error["code"] as? String }
    var errorField: String? { error["field"] as? String }
}

extension [[String: Any]] {
    func strings(_ key: String) -> [String] { compactMap { $0[key] as? String } }
}
