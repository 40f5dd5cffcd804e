import SQLKit
import WanggeCore

/// A register import, from upload to summary; its rejected rows are kept for the error report.
public struct ImportJob: Hashable, Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        case running
        case done
        /// Nothing applied: all-or-nothing with rejected rows, an unreadable file, or a failure.
        case failed
    }

    public var id: Int64?
    /// `RegisterSheetKind` id, e.g. `people`, `roles:correction`.
    public var sheet: String
    public var filename: String
    public var allOrNothing: Bool
    public var status: Status
    public var accountID: Int64?
    public var scope: GridCode?
    public var total: Int
    public var processed: Int
    public var created: Int
    public var updated: Int
    public var unchanged: Int
    public var rejected: Int
    public var message: String?
    public var startedAt: Int64
    public var finishedAt: Int64?

    public init(id: Int64? = nil, sheet: String, filename: String, allOrNothing: Bool, status: Status = .running, accountID: Int64?,
                scope: GridCode?, total: Int = 0, processed: Int = 0, created: Int = 0, updated: Int = 0, unchanged: Int = 0,
                rejected: Int = 0, message: String? = nil, startedAt: Int64, finishedAt: Int64? = nil) {
        self.id = id
        self.sheet = sheet
        self.filename = filename
        self.allOrNothing = allOrNothing
        self.status = status
        self.accountID = accountID
        self.scope = scope
        self.total = total
        self.processed = processed
        self.created = created
        self.updated = updated
        self.unchanged = unchanged
        self.rejected = rejected
        self.message = message
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }
}

public protocol ImportJobRepository: Sendable {
    func create(_ job: ImportJob) async throws -> ImportJob
    /// Progress and the final summary; written outside the import's own transaction.
    func update(_ job: ImportJob) async throws
    func find(id: Int64) async throws -> ImportJob?
    func list(in range: CodeRange?, limit: Int) async throws -> [ImportJob]
    func addErrors(_ errors: [RowError], jobID: Int64) async throws
    func errors(jobID: Int64) async throws -> [RowError]
    /// Marks imports left running by a stopped process as failed; their transaction never committed.
    func failInterrupted(at: Int64) async throws -> Int
}

public struct SQLImportJobRepository: ImportJobRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    func job(_ row: any SQLRow) throws -> ImportJob {
        ImportJob(id: try row.int64("id"), sheet: try row.string("sheet"), filename: try row.string("filename"),
                  allOrNothing: try row.bool("all_or_nothing"), status: try row.enumValue("status", as: ImportJob.Status.self),
                  accountID: try row.optionalInt64("account_id"), scope: try row.optionalGridCode("scope_code"),
                  total: try row.int("total"), processed: try row.int("processed"), created: try row.int("created"),
                  updated: try row.int("updated"), unchanged: try row.int("unchanged"), rejected: try row.int("rejected"),
                  message: try row.optionalString("message"), startedAt: try row.int64("started_at"),
                  finishedAt: try row.optionalInt64("finished_at"))
    }

    public func create(_ job: ImportJob) async throws -> ImportJob {
        let row = try await db.transaction { tx in
            try await tx.raw("""
                INSERT INTO import_jobs (sheet, filename, all_or_nothing, status, account_id, scope_code, total, processed, created,
                    updated, unchanged, rejected, message, started_at, finished_at)
                VALUES (\(bind: job.sheet), \(bind: job.filename), \(bind: job.allOrNothing ? 1 : 0), \(bind: job.status.rawValue),
                    \(bind: job.accountID), \(bind: job.scope?.value), \(bind: job.total), \(bind: job.processed), \(bind: job.created),
                    \(bind: job.updated), \(bind: job.unchanged), \(bind: job.rejected), \(bind: job.message), \(bind: job.startedAt),
                    \(bind: job.finishedAt))
                RETURNING id
                """).first()
        }
        var saved = job
        saved.id = try row?.int64("id")
        return saved
    }

    public func update(_ job: ImportJob) async throws {
        guard let id = job.id else { return }
        try await db.transaction { tx in
            try await tx.raw("""
                UPDATE import_jobs SET status = \(bind: job.status.rawValue), total = \(bind: job.total), processed = \(bind: job.processed),
                    created = \(bind: job.created), updated = \(bind: job.updated), unchanged = \(bind: job.unchanged),
                    rejected = \(bind: job.rejected), message = \(bind: job.message), finished_at = \(bind: job.finishedAt)
                WHERE id = \(bind: id)
                """).run()
        }
    }

    public func find(id: Int64) async throws -> ImportJob? {
        try await db.sql.raw("SELECT * FROM import_jobs WHERE id = \(bind: id)").first().map(job)
    }

    public func list(in range: CodeRange?, limit: Int) async throws -> [ImportJob] {
        let filter: SQLQueryString = range == nil ? "1 = 1" : rangeCondition("scope_code", range)
        return try await db.sql.raw("SELECT * FROM import_jobs WHERE \(filter) ORDER BY id DESC LIMIT \(bind: limit)").all().map(job)
    }

    public func addErrors(_ errors: [RowError], jobID: Int64) async throws {
        try await db.transaction { tx in
            try await tx.insertBatches(errors, size: 500) { batch in
                let rows: [SQLQueryString] = batch.map { "(\(bind: jobID), \(bind: $0.row), \(bind: $0.column), \(bind: $0.message))" }
                try await tx.raw("INSERT INTO import_errors (job_id, row_number, column_name, message) VALUES \(rows.joined(separator: ", "))").run()
            }
        }
    }

    public func failInterrupted(at: Int64) async throws -> Int {
        try await db.transaction { tx in
            try await tx.raw("""
                UPDATE import_jobs SET status = 'failed', finished_at = \(bind: at),
                    message = '服务在导入过程中停止，未写入任何数据，请重新导入'
                WHERE status = 'running' RETURNING id
                """).all().count
        }
    }

    public func errors(jobID: Int64) async throws -> [RowError] {
        try await db.sql.raw("SELECT * FROM import_errors WHERE job_id = \(bind: jobID) ORDER BY row_number, column_name").all().map {
            RowError(row: try $0.int("row_number"), column: try $0.optionalString("column_name"), try $0.string("message"))
        }
    }
}
