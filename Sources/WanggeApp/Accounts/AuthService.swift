import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix
import SQLKit
import WanggeCore
import WanggeStorage

/// Login, sessions and lockout. Tokens are random; only their HMAC under the server secret is
/// stored, so a copy of the database cannot be used to take over a session.
public struct AuthService: Sendable {
    let repos: Repositories
    let secret: [UInt8]
    let policy: LoginPolicy
    let bcryptCost: UInt8
    let now: @Sendable () -> Int64

    public init(repos: Repositories, secret: [UInt8], policy: LoginPolicy = .standard, bcryptCost: UInt8,
                now: @escaping @Sendable () -> Int64 = Clock.nowSeconds) {
        self.repos = repos
        self.secret = secret
        self.policy = policy
        self.bcryptCost = bcryptCost
        self.now = now
    }

    public struct LoginResult: Sendable {
        public var token: String
        public var caller: Caller
    }

    /// A bcrypt hash, computed off the event loops because it is deliberately slow.
    public func hashPassword(_ password: String) async throws -> String {
        let cost = bcryptCost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    private func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash of the right shape to verify against when the user does not exist, so that timing
    /// does not tell which usernames are real.
    private static let decoyHash = Bcrypt.hash("decoy-password-never-matches", cost: 4)

    public func login(username: String, password: String, ip: String?) async throws -> LoginResult {
        let now = now()
        guard let stored = try await repos.accounts.find(username: username), let id = stored.account.id else {
            _ = try await verify(password, hash: Self.decoyHash)
            try await audit(nil, username, "login_failed", detail: "用户不存在", ip: ip, scope: nil)
            throw AppError(.unauthorized, code: "invalid_credentials", "用户名或密码错误")
        }
        if policy.isLocked(stored.loginState, now: now) {
            try await audit(id, username, "login_rejected_locked", detail: nil, ip: ip, scope: stored.account.scope)
            throw Self.lockedError(until: stored.loginState.lockedUntil ?? now)
        }
        guard try await verify(password, hash: stored.passwordHash) else {
            let (state, lockedNow) = policy.afterFailure(stored.loginState, now: now)
            try await repos.database.transaction { tx in
                try await repos.accounts.setLoginState(id: id, state, in: tx)
                try await repos.audit.append(entry(id, username, "login_failed", detail: "密码错误(第\(state.failures)次)", ip: ip,
                                                   scope: stored.account.scope), in: tx)
                if lockedNow {
                    try await repos.audit.append(entry(id, username, "account_locked", detail: "连续\(state.failures)次密码错误", ip: ip,
                                                       scope: stored.account.scope), in: tx)
                }
            }
            if lockedNow { throw Self.lockedError(until: state.lockedUntil ?? now) }
            throw AppError(.unauthorized, code: "invalid_credentials", "用户名或密码错误")
        }
        if stored.account.disabled {
            try await audit(id, username, "login_rejected_disabled", detail: nil, ip: ip, scope: stored.account.scope)
            throw AppError(.unauthorized, code: "account_disabled", "账号已停用，请联系系统管理员")
        }
        let token = Self.newToken()
        let tokenHash = hash(token: token)
        let caller = try await caller(for: stored.account, sessionHash: tokenHash)
        try await repos.database.transaction { tx in
            try await repos.accounts.setLoginState(id: id, policy.afterSuccess(), in: tx)
            try await repos.accounts.createSession(tokenHash: tokenHash, accountID: id, now: now, in: tx)
            try await repos.audit.append(entry(id, username, "login", detail: nil, ip: ip, scope: caller.territory.root), in: tx)
        }
        return LoginResult(token: token, caller: caller)
    }

    /// The caller behind a token, or nil when the token is unknown, expired or its account disabled.
    public func authenticate(token: String) async throws -> Caller? {
        let tokenHash = hash(token: token)
        guard let session = try await repos.accounts.session(tokenHash: tokenHash) else { return nil }
        let now = now()
        guard policy.sessionAlive(createdAt: session.createdAt, lastSeenAt: session.lastSeenAt, now: now) else {
            try await repos.accounts.deleteSession(tokenHash: tokenHash)
            return nil
        }
        guard let stored = try await repos.accounts.find(id: session.accountID), !stored.account.disabled else { return nil }
        // Writing on every request would serialise reads behind SQLite's writer; a minute of slack is harmless.
        if now - session.lastSeenAt >= 60 {
            try await repos.accounts.touchSession(tokenHash: tokenHash, now: now)
        }
        return try await caller(for: stored.account, sessionHash: tokenHash)
    }

    public func logout(_ caller: Caller, ip: String?) async throws {
        try await repos.accounts.deleteSession(tokenHash: caller.sessionHash)
        try await audit(caller.account.id, caller.account.username, "logout", detail: nil, ip: ip, scope: caller.territory.root)
    }

    /// Resolves the territory of an account: its scope, or the unit its department serves.
    public func caller(for account: Account, sessionHash: String) async throws -> Caller {
        if account.role == .department {
            guard let departmentID = account.departmentID, let department = try await repos.departments.find(id: departmentID) else {
                throw AppError.forbidden("部门账号所属部门不存在")
            }
            return Caller(account: account, territory: Territory(root: department.serves), department: department,
                          sessionHash: sessionHash)
        }
        guard let scope = account.scope else { throw AppError.forbidden("账号没有管辖范围") }
        return Caller(account: account, territory: Territory(root: scope), department: nil, sessionHash: sessionHash)
    }

    func hash(token: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(token.utf8), using: SymmetricKey(data: secret)).map { String(format: "%02x", $0) }.joined()
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func lockedError(until: Int64) -> AppError {
        let minutes = max(1, (until - Clock.nowSeconds() + 59) / 60)
        return AppError(.init(code: 423, reasonPhrase: "Locked"), code: "account_locked",
                        "连续登录失败次数过多，账号已锁定，请约\(minutes)分钟后再试")
    }

    private func entry(_ id: Int64?, _ username: String, _ action: String, detail: String?, ip: String?, scope: GridCode?) -> AuditEntry {
        AuditEntry(at: now(), actorID: id, actor: username, action: action, target: "account:\(username)", detail: detail, ip: ip,
                   scope: scope)
    }

    private func audit(_ id: Int64?, _ username: String, _ action: String, detail: String?, ip: String?, scope: GridCode?) async throws {
        try await repos.database.transaction { tx in
            try await repos.audit.append(entry(id, username, action, detail: detail, ip: ip, scope: scope), in: tx)
        }
    }
}
