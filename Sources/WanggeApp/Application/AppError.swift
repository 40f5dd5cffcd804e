import Foundation
import HTTPTypes
import Hummingbird
import WanggeCore

/// The one error type of the HTTP layer, rendered as `{"error":{"code":…,"message":…,"field":…}}`.
public struct AppError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    /// Per-item problems of a bulk input.
    public var items: [FeatureError]?
    /// Rejected rows of a CSV file (row numbers as a spreadsheet shows them, the header being row 1).
    public var rows: [RowError]?
    /// For an illegal event transition: the actions possible now.
    public var allowed: [String]?
    /// Every invalid field of a form, when there is more than one.
    public var fields: [FieldProblem]?
    /// Extra response headers (e.g. `Retry-After`).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ message: String, field: String? = nil, items: [FeatureError]? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.items = items
    }

    public static func badRequest(_ message: String, field: String? = nil) -> AppError {
        AppError(.badRequest, code: "invalid_request", message, field: field)
    }

    public static func invalid(_ e: ValidationError) -> AppError {
        AppError(.badRequest, code: "invalid", e.message, field: e.field)
    }

    /// All the problems of a form at once; the first also fills `field` and `message`.
    public static func invalid(_ errors: ValidationErrors) -> AppError {
        let first = errors.items.first
        var error = AppError(.badRequest, code: "invalid", errors.items.map(\.message).joined(separator: "；"), field: first?.field)
        error.fields = errors.items.map { FieldProblem(field: $0.field, message: $0.message) }
        return error
    }

    public static let unauthorized = AppError(.unauthorized, code: "unauthorized", "未登录或会话已过期，请重新登录")

    public static func forbidden(_ message: String = "当前账号没有此操作的权限") -> AppError {
        AppError(.forbidden, code: "forbidden", message)
    }

    /// Also used for things outside the caller's territory, so their existence is not revealed.
    public static func notFound(_ message: String) -> AppError {
        AppError(.notFound, code: "not_found", message)
    }

    public static func conflict(_ message: String, field: String? = nil) -> AppError {
        AppError(.conflict, code: "conflict", message, field: field)
    }

    private struct Body: Encodable {
        struct Detail: Encodable {
            var code: String
            var message: String
            var field: String?
            var items: [FeatureError]?
            var rows: [RowError]?
            var allowed: [String]?
            var fields: [FieldProblem]?
        }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(Body(error: .init(code: code, message: message, field: field, items: items, rows: rows, allowed: allowed, fields: fields)))
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// One invalid field of a form.
public struct FieldProblem: Codable, Hashable, Sendable {
    public var field: String?
    public var message: String
}

/// Turns every error that escapes a handler into an `AppError`, so clients always get the same shape.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AppError {
            throw error
        } catch let error as ValidationError {
            throw AppError.invalid(error)
        } catch let error as HTTPError {
            throw AppError(error.status, code: Self.code(for: error.status), error.body ?? Self.message(for: error.status))
        } catch let error as any HTTPResponseError {
            throw AppError(error.status, code: Self.code(for: error.status), Self.message(for: error.status))
        } catch {
            context.logger.error("unhandled error: \(String(reflecting: error))")
            throw AppError(.internalServerError, code: "internal", "服务器内部错误，已记录日志")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "invalid_request"
        case 401: "unauthorized"
        case 403: "forbidden"
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 409: "conflict"
        case 413: "payload_too_large"
        default: "http_\(status.code)"
        }
    }

    static func message(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "没有这个地址"
        case 405: "不支持该请求方法"
        case 413: "请求体过大"
        default: status.reasonPhrase
        }
    }
}
