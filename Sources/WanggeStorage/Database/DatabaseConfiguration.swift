import Foundation

/// Where the data lives: an SQLite file (the embedded default) or a PostgreSQL server.
public enum DatabaseConfiguration: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    /// `schema`, when given, becomes the search path: several installations (or test runs) can share one database.
    case postgres(url: String, schema: String? = nil)

    /// Reads `DATABASE_URL`: `postgres://user:pass@host:port/db` (or `postgresql://`),
    /// `sqlite:///absolute/path.sqlite`, or nothing for `data/wangge.sqlite` under `workingDirectory`.
    public static func parse(_ url: String?, workingDirectory: String) throws -> DatabaseConfiguration {
        guard let url, !url.isEmpty else {
            return .sqlite(path: (workingDirectory as NSString).appendingPathComponent("data/wangge.sqlite"))
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return .postgres(url: url)
        }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else {
                throw ConfigurationError("DATABASE_URL 的 SQLite 路径必须是绝对路径，例如 sqlite:///srv/wangge/wangge.sqlite")
            }
            return .sqlite(path: path)
        }
        throw ConfigurationError("DATABASE_URL 必须以 postgres://、postgresql:// 或 sqlite:// 开头")
    }

    public var engine: DatabaseEngine {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres
        }
    }

    /// Safe to print: the password of a PostgreSQL URL is replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path):
            return "sqlite://\(path)"
        case .postgres(let url, let schema):
            guard var parts = URLComponents(string: url) else { return "postgres://(unparsable)" }
            if parts.password != nil { parts.password = "***" }
            let shown = parts.string ?? "postgres://(unparsable)"
            return schema.map { "\(shown) (schema \($0))" } ?? shown
        }
    }
}

public enum DatabaseEngine: String, Sendable, CaseIterable {
    case sqlite
    case postgres
}

/// A setting that cannot be used, with the reason in words an operator can act on.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
