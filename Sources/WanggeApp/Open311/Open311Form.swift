import Foundation
import Hummingbird

/// The parameters of an Open311 POST: those of the query string, then those of the
/// `application/x-www-form-urlencoded` body (which win). Clients differ in where they put
/// `api_key`, so both places are read.
struct Open311Form: Sendable {
    /// Name and value, decoded, in the order sent.
    var pairs: [(name: String, value: String)]

    /// The last value of a plain parameter. An empty value means "not given", as the spec says.
    subscript(_ name: String) -> String? {
        guard let value = pairs.last(where: { $0.name == name })?.value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `attribute[CODE]=v` and `attribute[CODE][]=v` (several times for a multivaluelist), by
    /// code; empty values are dropped like any other empty parameter.
    var attributes: [String: [String]] {
        var result: [String: [String]] = [:]
        for (name, value) in pairs where name.hasPrefix("attribute[") {
            var rest = name.dropFirst("attribute[".count)
            guard let close = rest.firstIndex(of: "]") else { continue }
            let code = String(rest[..<close])
            rest = rest[rest.index(after: close)...]
            guard !code.isEmpty, rest.isEmpty || rest == "[]" else { continue }
            let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !v.isEmpty { result[code, default: []].append(v) }
        }
        return result
    }

    /// Reads the query and the body; a body in another format is refused with a 400.
    static func read(_ request: Request, context: AppRequestContext) async throws -> Open311Form {
        var pairs = try decode(request.uri.query ?? "")
        let buffer = try await request.body.collect(upTo: 256 * 1024)
        if buffer.readableBytes > 0 {
            let type = request.headers[.contentType]?.lowercased() ?? "application/x-www-form-urlencoded"
            guard type.hasPrefix("application/x-www-form-urlencoded") else {
                throw AppError.badRequest("请求体应为 application/x-www-form-urlencoded，收到 \(type)")
            }
            pairs += try decode(String(decoding: buffer.readableBytesView, as: UTF8.self))
        }
        return Open311Form(pairs: pairs)
    }

    /// `a=1&b=x+y&c=%E4%B8%AD` → pairs; a malformed escape is a 400 rather than a silent loss.
    static func decode(_ text: String) throws -> [(name: String, value: String)] {
        func unescape(_ s: Substring) throws -> String {
            let spaced = s.replacingOccurrences(of: "+", with: " ")
            guard let decoded = spaced.removingPercentEncoding else {
                throw AppError.badRequest("参数“\(s.prefix(50))”的百分号编码无效")
            }
            return decoded
        }
        return try text.split(separator: "&", omittingEmptySubsequences: true).map { part in
            if let eq = part.firstIndex(of: "=") {
                return (try unescape(part[..<eq]), try unescape(part[part.index(after: eq)...]))
            }
            return (try unescape(part), "")
        }
    }
}
