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
