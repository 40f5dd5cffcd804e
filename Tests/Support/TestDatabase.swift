import Foundation
import Logging
import SQLKit
import WanggeStorage

/// The engines every storage suite runs on. PostgreSQL joins when `WANGGE_TEST_POSTGRES_URL` is
/// set — the README's test command starts a server and sets it — and is required under CI, where
/// silently skipping it would hide half the matrix.
public enum TestEngines {
    public static var all: [DatabaseEngine] {
        let env = ProcessInfo.processInfo.environment
        if env["WANGGE_TEST_POSTGRES_URL"].map({ !$0.isEmpty }) == true || env["CI"] == "true" {
            return [.sqlite, .postgres]
        }
        return [.sqlite]
    }
}

public struct TestDatabaseError: Error, CustomStringConvertible {
    public var description: String
}

/// Runs `body` on a fresh, migrated database of `engine`, then throws it away: a temporary file
/// for SQLite, a schema of its own for PostgreSQL (so suites can run side by side on one server).
public func withTestDatabase<R>(_ engine: DatabaseEngine, _ body: (WanggeDatabase) async throws -> R) async throws -> R {
    var logger = Logger(label: "wangge-test")
    logger.logLevel = .warning
    let name = "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
    let configuration: DatabaseConfiguration
    var cleanup: () async throws -> Void
    switch engine {
    case .sqlite:
        let path = NSTemporaryDirectory() + "wangge-\(name).sqlite"
        configuration = .sqlite(path: path)
        cleanup = {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    case .postgres:
        guard let url = ProcessInfo.processInfo.environment["WANGGE_TEST_POSTGRES_URL"], !url.isEmpty else {
            throw TestDatabaseError(description: "WANGGE_TEST_POSTGRES_URL is not set: run the tests with scripts/test, which starts PostgreSQL")
        }
        let admin = try await WanggeDatabase.open(.postgres(url: url), logger: logger, connectionsPerLoop: 1)
        try await admin.sql.raw("CREATE SCHEMA \(unsafeRaw: name)").run()
        try await admin.shutdown()
        configuration = .postgres(url: url, schema: name)
        cleanup = {
            let admin = try await WanggeDatabase.open(.postgres(url: url), logger: logger, connectionsPerLoop: 1)
            try await admin.sql.raw("DROP SCHEMA \(unsafeRaw: name) CASCADE").run()
            try await admin.shutdown()
        }
    }
    // Suites run in parallel; small pools keep PostgreSQL under its connection limit.
    let db = try await WanggeDatabase.open(configuration, logger: logger, connectionsPerLoop: 2)
    do {
        try await Migrator().migrate(db)
        let result = try await body(db)
        try await db.shutdown()
        try await cleanup()
        return result
    } catch {
        try? await db.shutdown()
        try? await cleanup()
        throw error
    }
}
