import Crypto
import Foundation
import HTTPTypes
import WanggeCore
import WanggeStorage

/// Verifies a citizen's mobile number with a 6-digit code sent by SMS: valid 10 minutes, one use,
/// five wrong tries, one code a minute and five an hour per number. Only a keyed hash of the code is stored.
struct PhoneCodeService: Sendable {
    let repos: Repositories
    let sms: any SMSGateway
    let secret: [UInt8]
    let now: @Sendable () -> Int64

    static let lifetime: Int64 = 600
    static let maxAttempts = 5
    static let perHour = 5

    func send(to phone: String) async throws {
        try validatePhone(phone)
        guard phone.count == 11, phone.hasPrefix("1") else { throw AppError.badRequest("请填写手机号码", field: "phone") }
        let at = now()
        let previous = try await repos.phoneCodes.find(phone: phone)
        if let previous, at - previous.sentAt < 60 {
            throw AppError(.tooManyRequests, code: "too_many_codes", "验证码已发送，请\(60 - (at - previous.sentAt))秒后再试", field: "phone")
        }
        var windowStart = previous?.windowStart ?? at
        var windowCount = previous?.windowCount ?? 0
        if at - windowStart >= 3_600 {
            windowStart = at
            windowCount = 0
        }
        guard windowCount < Self.perHour else {
            throw AppError(.tooManyRequests, code: "too_many_codes", "该号码一小时内获取验证码次数过多，请稍后再试", field: "phone")
        }
        var generator = SystemRandomNumberGenerator()
        let code = String(format: "%06d", Int.random(in: 0..<1_000_000, using: &generator))
        let record = PhoneCode(phone: phone, codeHash: hash(phone, code), expiresAt: at + Self.lifetime, attempts: 0, sentAt: at,
                               windowStart: windowStart, windowCount: windowCount + 1)
        try await repos.database.transaction { tx in try await repos.phoneCodes.save(record, in: tx) }
        do {
            try await sms.send(to: phone, text: "【网格化服务管理平台】您的验证码为\(code)，10分钟内有效。如非本人操作请忽略。")
        } catch {
            throw AppError(.serviceUnavailable, code: "sms_failed", "短信发送失败，请稍后再试")
        }
    }

    /// Succeeds for the right code (which the report then deletes in its own transaction); every
    /// failure says why, on the field `code`, and counts against the five tries.
    func check(phone: String, code: String) async throws {
        try validatePhone(phone)
        let at = now()
        guard let stored = try await repos.phoneCodes.find(phone: phone), stored.expiresAt > at else {
            throw AppError.badRequest("验证码已过期或尚未获取，请先获取验证码", field: "code")
        }
        guard stored.attempts < Self.maxAttempts else {
            throw AppError.badRequest("验证码错误次数过多，请重新获取", field: "code")
        }
        guard hash(phone, code) == stored.codeHash else {
            var record = stored
            record.attempts += 1
            let tried = record
            try await repos.database.transaction { tx in try await repos.phoneCodes.save(tried, in: tx) }
            throw AppError.badRequest("验证码不正确", field: "code")
        }
    }

    private func hash(_ phone: String, _ code: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data("\(phone):\(code)".utf8), using: SymmetricKey(data: secret))
            .map { String(format: "%02x", $0) }.joined()
    }
}
