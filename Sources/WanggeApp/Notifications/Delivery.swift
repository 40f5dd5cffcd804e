import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import WanggeStorage

/// A delivery that did not go through. Its description is what administrators see as the error.
public struct DeliveryError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Posts signed webhook bodies to departments.
public protocol WebhookSender: Sendable {
    /// Sends `body` unchanged to `url`; throws unless the receiver answers 2xx.
    /// - Parameters:
    ///   - kind: the notification's kind, sent as `X-Wangge-Event`.
    ///   - deliveryID: the notification's id, sent as `X-Wangge-Delivery`; the same on every retry,
    ///     so a receiver that got a delivery whose answer was lost can tell it has seen it.
    ///   - secret: the department's key for `X-Wangge-Signature`.
    func send(url: String, body: String, kind: String, deliveryID: Int64, secret: String) async throws
}

/// Sends text messages.
public protocol SMSGateway: Sendable {
    /// Sends `text` to `phone`; throws when the gateway does not accept it.
    func send(to phone: String, text: String) async throws
}

/// `X-Wangge-Signature: sha256=<hex>`: HMAC-SHA256 of the exact body bytes under the department's secret.
public enum WebhookSignature {
    public static func sign(_ body: some DataProtocol, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + code.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// Constant-time comparison, for receivers written in Swift.
    public static func isValid(_ signature: String, body: some DataProtocol, secret: String) -> Bool {
        let expected = Array(sign(body, secret: secret).utf8), given = Array(signature.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// Webhooks over AsyncHTTPClient.
public struct HTTPWebhookSender: WebhookSender {
    let client: HTTPClient
    let timeout: TimeAmount

    /// - Parameter timeout: for the whole exchange; a receiver slower than this counts as failed.
    public init(client: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    public func send(url: String, body: String, kind: String, deliveryID: Int64, secret: String) async throws {
        let bytes = Array(body.utf8)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Wangge-Webhook/1")
        request.headers.add(name: "X-Wangge-Event", value: kind)
        request.headers.add(name: "X-Wangge-Delivery", value: String(deliveryID))
        request.headers.add(name: "X-Wangge-Signature", value: WebhookSignature.sign(bytes, secret: secret))
        request.body = .bytes(ByteBuffer(bytes: bytes))
        try await HTTPDelivery.execute(request, client: client, timeout: timeout)
    }
}

/// An SMS gateway reached over HTTP: `POST url` with `{"to": phone, "text": text}` and
/// `Authorization: Bearer key`. Any answer but 2xx is a failure, retried by the outbox.
public struct HTTPSMSGateway: SMSGateway {
    public let url: String
    let key: String
    let client: HTTPClient
    let timeout: TimeAmount

    public init(url: String, key: String, client: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.url = url
        self.key = key
        self.client = client
        self.timeout = timeout
    }

    public func send(to phone: String, text: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(["to": phone, "text": text])
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(key)")
        request.body = .bytes(ByteBuffer(bytes: body))
        try await HTTPDelivery.execute(request, client: client, timeout: timeout)
    }
}

/// For deployments without a gateway, and the demo: the message goes to the log (with the phone
/// masked) and counts as sent.
public struct LoggingSMSGateway: SMSGateway {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func send(to phone: String, text: String) async throws {
        logger.notice("短信(未配置网关，仅记录) → \(maskPhone(phone))：\(text)")
    }
}

/// Which SMS gateway to use: an HTTP one when `WANGGE_SMS_URL` is set (with `WANGGE_SMS_KEY`),
/// the log otherwise.
public struct SMSConfiguration: Sendable, CustomStringConvertible {
    public let url: String?
    let key: String?

    /// Messages are only logged.
    public static let logging = SMSConfiguration(checkedURL: nil, key: nil)

    /// Checks that `url` is an http(s) address and that a key comes with it; no URL means the log.
    public init(url: String?, key: String?) throws(ConfigurationError) {
        guard let url, !url.isEmpty else {
            self.init(checkedURL: nil, key: nil)
            return
        }
        guard let components = URLComponents(string: url), ["http", "https"].contains(components.scheme?.lowercased() ?? ""),
              !(components.host ?? "").isEmpty else {
            throw ConfigurationError("WANGGE_SMS_URL 须为 http:// 或 https:// 开头的完整网址，收到“\(url)”")
        }
        guard let key, !key.isEmpty else { throw ConfigurationError("设置了 WANGGE_SMS_URL 时须同时设置 WANGGE_SMS_KEY") }
        self.init(checkedURL: url, key: key)
    }

    private init(checkedURL: String?, key: String?) {
        self.url = checkedURL
        self.key = key
    }

    /// Reads `WANGGE_SMS_URL` and `WANGGE_SMS_KEY`.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigurationError)
        -> SMSConfiguration {
        try SMSConfiguration(url: env["WANGGE_SMS_URL"], key: env["WANGGE_SMS_KEY"])
    }

    public func gateway(logger: Logger) -> any SMSGateway {
        guard let url, let key else { return LoggingSMSGateway(logger: logger) }
        return HTTPSMSGateway(url: url, key: key)
    }

    /// For the start-up summary: never the key.
    public var description: String { url.map { "HTTP 网关 \($0)" } ?? "未配置(短信仅写入日志)" }
}

/// The part both HTTP deliveries share: send, read a little of the answer, judge it.
enum HTTPDelivery {
    static func execute(_ request: HTTPClientRequest, client: HTTPClient, timeout: TimeAmount) async throws {
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: timeout)
        } catch let error as HTTPClientError where [.deadlineExceeded, .readTimeout, .connectTimeout].contains(error) {
            throw DeliveryError("超时：\(timeout.nanoseconds / 1_000_000_000)秒内没有应答")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw DeliveryError("无法连接：\(String(describing: error))")
        }
        // Read (at most) a little of the answer, both for the error text and to free the connection.
        let answer = try? await response.body.collect(upTo: 4096)
        guard (200..<300).contains(response.status.code) else {
            let text = answer.map { String(buffer: $0) }.map { String($0.prefix(200)) } ?? ""
            throw DeliveryError("HTTP \(response.status.code)" + (text.isEmpty ? "" : "：\(text)"))
        }
    }
}
