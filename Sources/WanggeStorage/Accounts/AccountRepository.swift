import SQLKit
import WanggeCore

/// An account with what login needs and lists never show.
public struct StoredAccount: Sendable {
    public var account: Account
    public var passwordHash: String
    public var loginState: LoginPolicy.State
}

/// Persistence of accounts and their sessions.
public protocol AccountRepository: Sendable {
    func find(id: Int64) async throws -> StoredAccount?
    func find(username: String) async throws -> StoredAccount?
    /// Accounts whose scope lies in the range, plus department accounts of departments serving in it.
    func list(in range: CodeRange?) async throws -> [Account]
    func insert(_ account: Account, passwordHash: String, in tx: any SQLDatabase) async throws -> Account
    func update(_ account: Account, in tx: any SQLDatabase) async throws
    func setPassword(id: Int64, hash: String, in tx: any SQLDatabase) async throws
    func setLoginState(id: Int64, _ state: LoginPolicy.State, in tx: any SQLDatabase) async throws

    func createSession(tokenHash: String, accountID: Int64, now: Int64, in tx: any SQLDatabase) async throws
    /// The session's account and times, if the session exists.
    func session(tokenHash: String) async throws -> (accountID: Int64, createdAt: Int64, lastSeenAt: Int64)?
    func touchSession(tokenHash: String, now: Int64) async throws
    func deleteSession(tokenHash: String) async throws
    func deleteSessions(accountID: Int64, in tx: any SQLDatabase) async throws
}

public struct SQLAccountRepository: AccountRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func find(id: Int64) async throws -> StoredAccount? {
        try await db.sql.raw("SELECT * FROM accounts WHERE id = \(bind: id)").first().map(Self.stored)
    }

    public func find(username: String) async throws -> StoredAccount? {
        try await db.sql.raw("SELECT * FROM accounts WHERE username = \(bind: username)").first().map(Self.stored)
    }

    public func list(in range: CodeRange?) async throws -> [Account] {
        try await db.sql.raw("""
            SELECT a.* FROM accounts a LEFT JOIN departments d ON d.id = a.department_id
            WHERE (\(rangeCondition("a.scope_code", range))) OR (\(rangeCondition("d.serves_code", range)))
            ORDER BY a.id
            """).all().map { try Self.stored($0).account }
    }

    public func insert(_ account: Account, passwordHash: String, in tx: any SQLDatabase) async throws -> Account {
        let now = Clock.nowSeconds()
        let row = try await tx.raw("""
            INSERT INTO accounts (username, display_name, role, scope_code, department_id, password_hash, disabled,
                                  failed_logins, created_at, updated_at)
            VALUES (\(bind: account.username), \(bind: account.displayName), \(bind: account.role.rawValue),
                    \(bind: account.scope?.value), \(bind: account.departmentID), \(bind: passwordHash),
                    \(bind: account.disabled ? 1 : 0), 0, \(bind: now), \(bind: now))
            RETURNING id
            """).first()
        var saved = account
        saved.id = try row?.int64("id")
        return saved
    }

    public func update(_ account: Account, in tx: any SQLDatabase) async throws {
        guard let id = account.id else { return }
        try await tx.raw("""
            UPDATE accounts SET display_name = \(bind: account.displayName), role = \(bind: account.role.rawValue),
                scope_code = \(bind: account.scope?.value), department_id = \(bind: account.departmentID),
                disabled = \(bind: account.disabled ? 1 : 0), updated_at = \(bind: Clock.nowSeconds())
            WHERE id = \(bind: id)
            """).run()
    }

    public func setPassword(id: Int64, hash: String, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            UPDATE accounts SET password_hash = \(bind: hash), failed_logins = 0, locked_until = NULL,
                updated_at = \(bind: Clock.nowSeconds())
            WHERE id = \(bind: id)
            """).run()
    }

    public func setLoginState(id: Int64, _ state: LoginPolicy.State, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            UPDATE accounts SET failed_logins = \(bind: state.failures), locked_until = \(bind: state.lockedUntil)
            WHERE id = \(bind: id)
            """).run()
    }

    public func createSession(tokenHash: String, accountID: Int64, now: Int64, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at)
            VALUES (\(bind: tokenHash), \(bind: accountID), \(bind: now), \(bind: now))
            """).run()
    }

    public func session(tokenHash: String) async throws -> (accountID: Int64, createdAt: Int64, lastSeenAt: Int64)? {
        guard let row = try await db.sql.raw("SELECT * FROM sessions WHERE token_hash = \(bind: tokenHash)").first() else {
            return nil
        }
        return (try row.int64("account_id"), try row.int64("created_at"), try row.int64("last_seen_at"))
    }

    public func touchSession(tokenHash: String, now: Int64) async throws {
        try await db.sql.raw("UPDATE sessions SET last_seen_at = \(bind: now) WHERE token_hash = \(bind: tokenHash)").run()
    }

    public func deleteSession(tokenHash: String) async throws {
        try await db.sql.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    public func deleteSessions(accountID: Int64, in tx: any SQLDatabase) async throws {
        try await tx.raw("DELETE FROM sessions WHERE account_id = \(bind: accountID)").run()
    }

    static func stored(_ row: any SQLRow) throws -> StoredAccount {
        StoredAccount(
            account: Account(
                id: try row.int64("id"), username: try row.string("username"), displayName: try row.string("display_name"),
                role: try row.enumValue("role", as: Role.self), scope: try row.optionalGridCode("scope_code"),
                departmentID: try row.optionalInt64("department_id"), disabled: try row.bool("disabled")),
            passwordHash: try row.string("password_hash"),
            loginState: LoginPolicy.State(failures: try row.int("failed_logins"), lockedUntil: try row.optionalInt64("locked_until")))
    }
}
