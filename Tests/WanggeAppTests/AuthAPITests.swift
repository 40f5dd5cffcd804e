import Foundation
import HTTPTypes
import Testing
import WanggeStorage
import WanggeApp
import WanggeCore
import WanggeTestSupport

@Suite("HTTP: auth, sessions, lockout")
struct AuthAPITests {
    @Test("health and meta need no login; the API does", arguments: TestEngines.all)
    func publicEndpoints(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let health = try await h.send(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.json["database"] as? String == engine.rawValue)
            #expect(try await h.send(.get, "/api/v1/meta").json["tileURL"] == nil)
            let denied = try await h.send(.get, "/api/v1/grids")
            #expect(denied.status == .unauthorized)
            #expect(denied.errorCode == "unauthorized")
            #expect(try await h.send(.get, "/api/v1/grids", token: "not-a-token").status == .unauthorized)
            let openapi = try await h.send(.get, "/openapi.yaml")
            #expect(openapi.status == .ok)
            #expect(openapi.headers[.contentType] == "application/yaml")
            #expect(openapi.text.hasPrefix("openapi: 3.1"))
            // Leaflet: the gzip copy Debian ships to a browser that takes gzip, the plain file otherwise.
            let plain = try await h.send(.get, "/vendor/leaflet/leaflet.min.js")
            #expect(plain.status == .ok)
            #expect(plain.headers[.contentEncoding] == nil)
            let zipped = try await h.send(.get, "/vendor/leaflet/leaflet.min.js", headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.contentType] == "application/javascript")
            #expect(zipped.body.count < plain.body.count / 2 && zipped.body.starts(with: [0x1F, 0x8B]))
            let page = try await h.send(.get, "/center/")
            #expect(page.status == .ok)
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
            #expect(try await h.send(.get, "/").headers[.location] == "/citizen/")
            let unknown = try await h.send(.get, "/api/v1/no-such-thing")
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "not_found")
        }
    }

    @Test("login answers a token and a secure cookie; me tells role and territory", arguments: TestEngines.all)
    func login(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let res = try await h.send(.post, "/api/v1/auth/login", json: ["username": "jiedao", "password": Login.password])
            #expect(res.status == .ok)
            let cookie = try #require(res.headers[.setCookie])
            #expect(cookie.contains("wangge_session="))
            #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
            let token = try #require(res.json["token"] as? String)
            let me = try await h.get("/api/v1/auth/me", as: token)
            #expect(me.status == .ok)
            let account = try #require(me.json["account"] as? [String: Any])
            #expect(account["role"] as? String == "operator")
            #expect((me.json["territory"] as? [String: Any])?["name"] as? String == "东城街道")
            #expect((me.json["permissions"] as? [String])?.contains("editStaff") == true)
            #expect((me.json["permissions"] as? [String])?.contains("editGrids") == false)
        }
    }

    @Test("bad logins: wrong password, unknown user, missing fields, not JSON", arguments: TestEngines.all)
    func badLogins(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let wrong = try await h.send(.post, "/api/v1/auth/login", json: ["username": "admin", "password": "nope12345"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "invalid_credentials")
            let unknown = try await h.send(.post, "/api/v1/auth/login", json: ["username": "nobody", "password": "nope12345"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.error["message"] as? String == wrong.error["message"] as? String)
            let missing = try await h.send(.post, "/api/v1/auth/login", json: ["username": "admin"])
            #expect(missing.status == .badRequest)
            #expect(missing.errorField == "password")
            let empty = try await h.send(.post, "/api/v1/auth/login", json: ["username": "", "password": "x"])
            #expect(empty.errorField == "username")
            let garbage = try await h.send(.post, "/api/v1/auth/login", body: Data("{not json".utf8),
                                           headers: [.contentType: "application/json"])
            #expect(garbage.status == .badRequest)
            let audit = try await h.repos.audit.list(in: nil, action: "login_failed", before: nil, limit: 10)
            #expect(audit.count == 2)
        }
    }

    @Test("five failures lock the account for 15 minutes, then it opens again", arguments: TestEngines.all)
    func lockout(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            for attempt in 1...5 {
                let res = try await h.send(.post, "/api/v1/auth/login", json: ["username": "wangzhang", "password": "wrong-\(attempt)"])
                #expect(res.status.code == (attempt < 5 ? 401 : 423), "attempt \(attempt)")
            }
            let locked = try await h.send(.post, "/api/v1/auth/login", json: ["username": "wangzhang", "password": Login.password])
            #expect(locked.status.code == 423)
            #expect(locked.errorCode == "account_locked")
            h.clock.advance(14 * 60)
            #expect(try await h.send(.post, "/api/v1/auth/login",
                                     json: ["username": "wangzhang", "password": Login.password]).status.code == 423)
            h.clock.advance(61)
            _ = try await h.login(.wangzhang)
            #expect(try await h.repos.audit.list(in: nil, action: "account_locked", before: nil, limit: 10).count == 1)
            #expect(try await h.repos.audit.list(in: nil, action: "login_rejected_locked", before: nil, limit: 10).count == 2)
            // A success resets the counter: four more failures do not lock.
            for _ in 1...4 {
                try await h.send(.post, "/api/v1/auth/login", json: ["username": "wangzhang", "password": "wrong"])
            }
            _ = try await h.login(.wangzhang)
        }
    }

    @Test("sessions expire after 30 idle minutes; use keeps them alive", arguments: TestEngines.all)
    func expiry(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let token = try await h.login(.lingdao)
            h.clock.advance(25 * 60)
            #expect(try await h.get("/api/v1/auth/me", as: token).status == .ok)
            h.clock.advance(25 * 60)
            #expect(try await h.get("/api/v1/auth/me", as: token).status == .ok)
            h.clock.advance(31 * 60)
            #expect(try await h.get("/api/v1/auth/me", as: token).status == .unauthorized)
        }
    }

    @Test("logout ends the session and is audited", arguments: TestEngines.all)
    func logout(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let token = try await h.login(.admin)
            let other = try await h.login(.admin)
            #expect(try await h.send(.post, "/api/v1/auth/logout", token: token).status == .noContent)
            #expect(try await h.get("/api/v1/auth/me", as: token).status == .unauthorized)
            #expect(try await h.get("/api/v1/auth/me", as: other).status == .ok)
            let actions = try await h.repos.audit.list(in: nil, action: nil, before: nil, limit: 10).map(\.action)
            #expect(actions.prefix(3) == ["logout", "login", "login"])
        }
    }

    @Test("cookie sessions: reads work, writes need X-Requested-With", arguments: TestEngines.all)
    func cookie(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let token = try await h.login(.admin)
            let cookie: HTTPFields = [.cookie: "wangge_session=\(token)"]
            #expect(try await h.send(.get, "/api/v1/auth/me", headers: cookie).status == .ok)
            let forged = try await h.send(.patch, "/api/v1/grids/\(TestTerritory.east1)", json: ["name": "改名"], headers: cookie)
            #expect(forged.status == .forbidden)
            #expect(forged.errorCode == "csrf")
            var withHeader = cookie
            withHeader[HTTPField.Name("X-Requested-With")!] = "wangge"
            #expect(try await h.send(.patch, "/api/v1/grids/\(TestTerritory.east1)", json: ["name": "改名"], headers: withHeader)
                .status == .ok)
        }
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
}

@Suite("Configuration from the environment")
struct ConfigurationTests {
    @Test("defaults, overrides, and settings refused with a reason")
    func environment() throws {
        let base = try AppConfiguration.fromEnvironment([:], workingDirectory: "/srv/wangge")
        #expect(base.port == 8080)
        #expect(base.secretIsEphemeral)
        #expect(base.dataDirectory == "/srv/wangge/data")
        #expect(base.cardDays == .standard)
        let set = try AppConfiguration.fromEnvironment(
            ["PORT": "9000", "WANGGE_SECRET": String(repeating: "k", count: 40), "WANGGE_CARD_DAYS": "1, 3, 4, 8",
             "WANGGE_TILE_URL": "https://tiles.example/{z}/{x}/{y}.png"], workingDirectory: "/srv")
        #expect(set.port == 9000)
        #expect(!set.secretIsEphemeral)
        #expect(set.cardDays == SupervisionThresholds(unsignedYellowDays: 1, unsignedRedDays: 3, unfinishedYellowDays: 4, unfinishedRedDays: 8))
        #expect(!set.summary.contains(String(repeating: "k", count: 40)))
        for bad in [["PORT": "http"], ["WANGGE_SECRET": "short"], ["WANGGE_CARD_DAYS": "5,2,5,10"], ["WANGGE_CARD_DAYS": "1,2"],
                    ["DATABASE_URL": "mysql://x"], ["WANGGE_SMS_URL": "ftp://x"]] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try AppConfiguration.fromEnvironment(bad, workingDirectory: "/") }
        }
    }
}
