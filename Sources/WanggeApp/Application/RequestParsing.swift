import Foundation
import Hummingbird
import WanggeCore

extension Request {
    /// A required query parameter converted by `parse`, with a 400 that names it otherwise.
    func query<T>(_ name: String, _ what: String, _ parse: (String) -> T?) throws -> T {
        guard let raw = uri.queryParameters.get(name), !raw.isEmpty else {
            throw AppError.badRequest("缺少查询参数 \(name)(\(what))", field: name)
        }
        guard let value = parse(raw) else { throw AppError.badRequest("查询参数 \(name) 应为\(what)，收到“\(raw)”", field: name) }
        return value
    }

    /// An optional grid code in the query, checked against the caller's territory.
    func optionalCode(_ name: String, caller: Caller) throws -> GridCode? {
        guard let raw = uri.queryParameters.get(name), !raw.isEmpty else { return nil }
        let code = try GridCode.parse(raw, field: name)
        try caller.requireVisible(code)
        return code
    }
}

extension GridCode {
    /// A code from a request, or a 400 that names the field.
    static func parse(_ raw: String, field: String) throws(AppError) -> GridCode {
        do { return try GridCode(raw) } catch { throw AppError.badRequest(error.message, field: field) }
    }
}

extension Parameters {
    /// The `{code}` of a route, parsed; a malformed code is simply not found.
    func gridCode(_ name: String = "code") throws -> GridCode {
        let raw = get(name) ?? ""
        do { return try GridCode(raw) } catch { throw AppError.notFound("没有找到网格\(raw)") }
    }
}

extension Request {
    /// Decodes a JSON body. Hummingbird's own decoding reports problems in English without the
    /// field; ours names the field and says what is wrong in Chinese.
    func decodeJSON<T: Decodable>(_ type: T.Type, context: AppRequestContext) async throws -> T {
        try JSONProblem.decode(T.self, from: try await body.collect(upTo: context.maxUploadSize))
    }
}

enum JSONProblem {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw AppError.badRequest(describe(error), field: path(of: error))
        }
    }

    static func path(of error: DecodingError) -> String? {
        let context: DecodingError.Context? = switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): c
        case .keyNotFound(let key, let c): .init(codingPath: c.codingPath + [key], debugDescription: c.debugDescription)
        @unknown default: nil
        }
        guard let path = context?.codingPath, !path.isEmpty else { return nil }
        return path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "缺少字段 \(key.stringValue)"
        case .typeMismatch(let type, _): "字段类型不正确，应为 \(type)"
        case .valueNotFound(let type, _): "字段不能为空，应为 \(type)"
        case .dataCorrupted(let c): c.codingPath.isEmpty ? "请求体不是有效的JSON" : "字段取值无效"
        @unknown default: "请求体无法解析"
        }
    }
}

extension Parameters {
    /// A numeric `{id}`; anything else is simply not found.
    func id(_ what: String) throws -> Int64 {
        guard let raw = get("id"), let id = Int64(raw) else { throw AppError.notFound("没有找到\(what)\(get("id") ?? "")") }
        return id
    }
}
