import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import SQLKit
import SQLiteKit

/// The one handle to storage: a connection pool on SQLite or PostgreSQL, with transactions.
///
/// Reads may run on any pooled connection. Writes go through ``transaction(_:)``, which pins one
/// connection for BEGIN…COMMIT. On SQLite, write transactions are also queued in-process, because
/// SQLite allows one writer at a time and a queue is fairer than busy-waiting on the file lock.
public final class WanggeDatabase: Sendable {
    public let engine: DatabaseEngine
    public let configuration: DatabaseConfiguration
    private let pool: any ConnectionPool
    private let writers = AsyncLock()

    private init(configuration: DatabaseConfiguration, pool: any ConnectionPool) {
        self.configuration = configuration
        self.engine = configuration.engine
        self.pool = pool
    }

    /// Opens the pool and checks that the database answers.
    /// - Parameter connectionsPerLoop: pool size per event loop (there is one loop per core).
    public static func open(_ configuration: DatabaseConfiguration, logger: Logger, connectionsPerLoop: Int = 4) async throws -> WanggeDatabase {
        let group = MultiThreadedEventLoopGroup.singleton
        let pool: any ConnectionPool
        switch configuration {
        case .sqlite(let path):
            let directory = (path as NSString).deletingLastPathComponent
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            pool = Pooled(
                EventLoopGroupConnectionPool(
                    source: SQLiteConnectionSource(configuration: .init(storage: .file(path: path), enableForeignKeys: true)),
                    maxConnectionsPerEventLoop: connectionsPerLoop, pruneInterval: nil, logger: logger, on: group),
                dialect: SQLiteDialect(), logger: logger) { PinnedDatabase(base: $0.sql(), driver: .sqlite($0)) }
        case .postgres(let url, let schema):
            var config: SQLPostgresConfiguration
            do {
                config = try SQLPostgresConfiguration(url: url)
            } catch {
                throw ConfigurationError("DATABASE_URL 无法解析为 PostgreSQL 连接：\(error)")
            }
            if let schema { config.searchPath = [schema] }
            pool = Pooled(
                EventLoopGroupConnectionPool(
                    source: PostgresConnectionSource(sqlConfiguration: config),
                    maxConnectionsPerEventLoop: connectionsPerLoop, pruneInterval: .seconds(60), logger: logger, on: group),
                dialect: PostgresDialect(), logger: logger) { PinnedDatabase(base: $0.sql(), driver: .postgres($0)) }
        }
        let db = WanggeDatabase(configuration: configuration, pool: pool)
        do {
            if configuration.engine == .sqlite {
                // WAL lets readers proceed while a writer commits; it is a property of the file.
                try await db.sql.raw("PRAGMA journal_mode=WAL").run()
            }
            try await db.sql.raw("SELECT 1").run()
        } catch {
            try? await db.shutdown()
            throw ConfigurationError("无法连接数据库 \(configuration)：\(String(reflecting: error))")
        }
        return db
    }

    /// A database for single statements; each runs on whichever pooled connection is free.
    public var sql: any SQLDatabase { pool.database }

    /// Runs `body` inside one transaction on one connection: committed if it returns, rolled back if it throws.
    ///
    /// The database handed to `body` also carries its driver connection (``SQLDatabase/driverConnection``),
    /// for bulk paths that SQL text through SQLKit expresses badly, such as COPY.
    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        switch engine {
        case .sqlite:
            return try await writers.withLock {
                try await pool.withConnection { conn in
                    // In WAL mode NORMAL syncs at checkpoints rather than at every commit: the file stays
                    // consistent, and only the last commits before a power cut can be lost. It is a
                    // per-connection setting that cannot change inside a transaction, hence here.
                    try await conn.raw("PRAGMA synchronous = NORMAL").run()
                    return try await Self.run(body, on: conn, begin: "BEGIN IMMEDIATE")
                }
            }
        case .postgres:
            return try await pool.withConnection { try await Self.run(body, on: $0, begin: "BEGIN") }
        }
    }

    private static func run<R>(_ body: (any SQLDatabase) async throws -> R, on db: any SQLDatabase, begin: String) async throws -> R {
        try await db.raw(SQLQueryString(begin)).run()
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    public func shutdown() async throws {
        try await pool.shutdown()
    }
}

/// The driver connection under a transaction, for what SQLKit cannot do or does slowly: `COPY … FROM STDIN`
/// on PostgreSQL, statements bound with driver values rather than `Encodable`s on SQLite. Whatever
/// runs on it is inside the transaction, exactly like the statements sent through the `SQLDatabase`.
enum DriverConnection: Sendable {
    case sqlite(SQLiteConnection)
    case postgres(PostgresConnection)
}

/// SQLKit over one pinned connection, which it also names.
struct PinnedDatabase: SQLDatabase {
    let base: any SQLDatabase
    let driver: DriverConnection

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await base.execute(sql: query, onRow)
    }
}

extension SQLDatabase {
    /// The connection a transaction runs on; nil for the pool's database, whose statements may
    /// each run on another connection.
    var driverConnection: DriverConnection? { (self as? PinnedDatabase)?.driver }
}

/// The two engines' pools behind one face.
private protocol ConnectionPool: Sendable {
    var database: any SQLDatabase { get }
    func withConnection<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R
    func shutdown() async throws
}

/// AsyncKit's pool guards its state with locks but is not marked `Sendable`; this box says so.
private final class Pooled<Source: ConnectionPoolSource>: ConnectionPool, @unchecked Sendable
where Source.Connection: Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    let dialect: any SQLDialect
    let logger: Logger
    let makeSQL: @Sendable (Source.Connection) -> any SQLDatabase

    init(_ pool: EventLoopGroupConnectionPool<Source>, dialect: any SQLDialect, logger: Logger,
         makeSQL: @escaping @Sendable (Source.Connection) -> any SQLDatabase) {
        self.pool = pool
        self.dialect = dialect
        self.logger = logger
        self.makeSQL = makeSQL
    }

    var database: any SQLDatabase { PoolDatabase(owner: self) }

    func withConnection<R>(_ body: (any SQLDatabase) async throws -> R) async throws -> R {
        let conn = try await pool.requestConnection(logger: logger).get()
        defer { pool.releaseConnection(conn, logger: logger) }
        return try await body(makeSQL(conn))
    }

    func shutdown() async throws { try await pool.shutdownAsync() }

    /// Each statement borrows a connection for its own duration.
    struct PoolDatabase: SQLDatabase {
        let owner: Pooled

        var logger: Logger { owner.logger }
        var eventLoop: any EventLoop { owner.pool.eventLoopGroup.any() }
        var dialect: any SQLDialect { owner.dialect }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
            let owner = self.owner
            return owner.pool.withConnection(logger: owner.logger) { conn in
                owner.makeSQL(conn).execute(sql: query, onRow)
            }
        }

        func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
            try await owner.withConnection { try await $0.execute(sql: query, onRow) }
        }
    }
}

/// A fair async mutex: waiters resume in arrival order.
actor AsyncLock {
    private var locked = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func withLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            locked = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
