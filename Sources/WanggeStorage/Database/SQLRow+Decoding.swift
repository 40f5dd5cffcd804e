import SQLKit
import WanggeCore

extension SQLRow {
    func string(_ column: String) throws -> String { try decode(column: column, as: String.self) }
    func optionalString(_ column: String) throws -> String? { try decodeNil(column: column) ? nil : string(column) }
    func int(_ column: String) throws -> Int { try decode(column: column, as: Int.self) }
    func int64(_ column: String) throws -> Int64 { try decode(column: column, as: Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try decodeNil(column: column) ? nil : int64(column) }
    func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    func gridCode(_ column: String) throws -> GridCode {
        let raw = try string(column)
        do { return try GridCode(raw) } catch { throw StoredDataError("\(column) 中的编码无效：\(raw)") }
    }

    func optionalGridCode(_ column: String) throws -> GridCode? {
        try decodeNil(column: column) ? nil : gridCode(column)
    }

    func enumValue<E: RawRepresentable>(_ column: String, as: E.Type) throws -> E where E.RawValue == String {
        let raw = try string(column)
        guard let value = E(rawValue: raw) else { throw StoredDataError("\(column) 中的取值无效：\(raw)") }
        return value
    }
}

/// A row that no longer satisfies the domain's rules (edited by hand, or written by a newer version).
public struct StoredDataError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension SQLDatabase {
    /// Rows of a multi-row INSERT are sent in batches that stay under both engines' bind limits.
    func insertBatches<T: Sendable>(_ items: [T], size: Int, _ body: ([T]) async throws -> Void) async throws {
        var start = 0
        while start < items.count {
            let end = min(start + size, items.count)
            try await body(Array(items[start..<end]))
            start = end
        }
    }
}

/// `WHERE column >= lower AND column < upper` for a subtree, or nothing for the whole tree.
func rangeCondition(_ column: String, _ range: CodeRange?) -> SQLQueryString {
    guard let range else { return "1 = 1" }
    if let upper = range.upper {
        return "\(unsafeRaw: column) >= \(bind: range.lower) AND \(unsafeRaw: column) < \(bind: upper)"
    }
    return "\(unsafeRaw: column) >= \(bind: range.lower)"
}

extension SQLRow {
    func optionalInt(_ column: String) throws -> Int? { try decodeNil(column: column) ? nil : int(column) }
    func double(_ column: String) throws -> Double { try decode(column: column, as: Double.self) }
    func optionalDouble(_ column: String) throws -> Double? { try decodeNil(column: column) ? nil : double(column) }
}
