import SQLKit

/// The state of one phone number's verification code.
public struct PhoneCode: Hashable, Sendable {
    public var phone: String
    public var codeHash: String
    public var expiresAt: Int64
    /// Wrong guesses so far; the code dies after a few.
    public var attempts: Int
    public var sentAt: Int64
    /// Codes sent in the current hour, for the rate limit.
    public var windowStart: Int64
    public var windowCount: Int

    public init(phone: String, codeHash: String, expiresAt: Int64, attempts: Int, sentAt: Int64, windowStart: Int64, windowCount: Int) {
        self.phone = phone
        self.codeHash = codeHash
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.sentAt = sentAt
        self.windowStart = windowStart
        self.windowCount = windowCount
    }
}

public protocol PhoneCodeRepository: Sendable {
    func find(phone: String) async throws -> PhoneCode?
    func save(_ code: PhoneCode, in tx: any SQLDatabase) async throws
    func delete(phone: String, in tx: any SQLDatabase) async throws
}

public struct SQLPhoneCodeRepository: PhoneCodeRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func find(phone: String) async throws -> PhoneCode? {
        try await db.sql.raw("SELECT * FROM phone_codes WHERE phone = \(bind: phone)").first().map {
            PhoneCode(phone: try $0.string("phone"), codeHash: try $0.string("code_hash"), expiresAt: try $0.int64("expires_at"),
                      attempts: try $0.int("attempts"), sentAt: try $0.int64("sent_at"), windowStart: try $0.int64("window_start"),
                      windowCount: try $0.int("window_count"))
        }
    }

    public func save(_ c: PhoneCode, in tx: any SQLDatabase) async throws {
        try await tx.raw("""
            INSERT INTO phone_codes (phone, code_hash, expires_at, attempts, sent_at, window_start, window_count)
            VALUES (\(bind: c.phone), \(bind: c.codeHash), \(bind: c.expiresAt), \(bind: c.attempts), \(bind: c.sentAt),
                    \(bind: c.windowStart), \(bind: c.windowCount))
            ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
                attempts = excluded.attempts, sent_at = excluded.sent_at, window_start = excluded.window_start,
                window_count = excluded.window_count
            """).run()
    }

    public func delete(phone: String, in tx: any SQLDatabase) async throws {
        try await tx.raw("DELETE FROM phone_codes WHERE phone = \(bind: phone)").run()
    }
}
