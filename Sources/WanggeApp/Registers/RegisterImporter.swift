import Crypto
import Foundation
import WanggeCore
import WanggeSheets
import WanggeStorage

/// Imports a register spreadsheet (CSV or XLSX) as county offices keep them.
///
/// Every row is validated — check characters, dates, codes, and that what it names (grid,
/// building, house, person) exists inside the importer's territory. By default the valid rows
/// are applied and the others reported; in all-or-nothing mode one rejected row means nothing
/// is applied. Either way the whole import is one transaction, so a crash or a database error
/// leaves nothing half-written, and records are matched by their keys (certificate number,
/// building, house and credit codes), so importing the same file twice changes nothing.
struct RegisterImporter: Sendable {
    let store: RegisterStore
    let repos: Repositories
    let now: @Sendable () -> Int64
    /// Rows validated and written together; large enough to amortise lookups, small enough for progress.
    static let chunkSize = 2_000
    /// Chunks validated ahead of the one being written: enough to keep every core busy while
    /// the database takes one chunk, few enough to bound memory.
    static let lookahead = 4

    struct Progress: Sendable, Equatable {
        var processed = 0
        var created = 0
        var updated = 0
        var unchanged = 0
        var rejected = 0
    }

    struct Outcome: Sendable {
        var progress: Progress
        var errors: [RowError]
        /// False when all-or-nothing refused the file, or the file could not be read.
        var applied: Bool
        var message: String
    }

    /// Thrown inside the transaction to roll it back when all-or-nothing finds rejected rows.
    private struct Refused: Error {
        var progress: Progress
        var errors: [RowError]
    }

    /// - Parameters:
    ///   - territory: the importer's subtree; nil for the command line, which may write anywhere.
    ///   - report: called after each chunk with the running counts.
    func run(_ data: Data, filename: String, sheet kind: RegisterSheetKind, allOrNothing: Bool, territory: Territory?,
             actor: AuditActor, report: @escaping @Sendable (Progress) async -> Void) async throws -> Outcome {
        guard let sheet = RegisterSheet.of(kind) else { throw AppError.badRequest("没有这种登记表：\(kind.id)", field: "sheet") }
        var stream: RowStream
        do {
            stream = try RowStream(data: data, filename: filename)
        } catch {
            return Outcome(progress: Progress(), errors: [RowError(row: 1, "\(error)")], applied: false, message: "文件无法读取：\(error)")
        }
        guard let header = try stream.next() else {
            return Outcome(progress: Progress(), errors: [RowError(row: 1, "文件是空的")], applied: false, message: "文件是空的")
        }
        let columns: ColumnMap
        switch sheet.map(header: header.cells) {
        case .success(let map): columns = map
        case .failure(let errors):
            return Outcome(progress: Progress(), errors: errors.items, applied: false, message: "表头不符合“\(sheet.title)”模板")
        }
        let scope = try await ImportScope.load(repos: repos, territory: territory)
        let stamp = now()
        let today = Day(daysSinceEpoch: Int((stamp + Day.utcOffsetSeconds) / 86_400))
        let (store, audit, opened) = (self.store, repos.audit, stream)
        @Sendable func apply(assumingNew: Bool) async throws -> (Progress, [RowError]) {
            try await store.database.transaction { tx in
                var writer = ChunkWriter(store: store, tx: tx, scope: scope, now: stamp, assumingNew: assumingNew)
                var progress = Progress()
                var errors: [RowError] = []
                // Chunks are validated (pure work, most of an import's) in child tasks up to
                // `lookahead` chunks ahead, on every core, while the chunk before them is checked
                // against the database and written, which is sequential. Rows are read here, in order.
                try await withThrowingTaskGroup(of: (Int, [ParsedSheetRow]).self) { group in
                    var rows = opened
                    var launched = 0
                    var exhausted = false
                    var ready: [Int: [ParsedSheetRow]] = [:]
                    var next = 0
                    while true {
                        while !exhausted && launched < next + 1 + Self.lookahead {
                            var chunk: [SheetRow] = []
                            chunk.reserveCapacity(Self.chunkSize)
                            while chunk.count < Self.chunkSize, let row = try rows.next() { chunk.append(row) }
                            if chunk.isEmpty {
                                exhausted = true
                            } else {
                                let (n, rowsOfChunk) = (launched, chunk)
                                group.addTask { (n, await Self.parse(rowsOfChunk, sheet: sheet, columns: columns, today: today, people: store.people)) }
                                launched += 1
                            }
                        }
                        while ready[next] == nil, next < launched, let (n, parsed) = try await group.next() { ready[n] = parsed }
                        guard let chunk = ready.removeValue(forKey: next) else { break }
                        next += 1
                        let result = try await writer.write(chunk, sheet: sheet)
                        progress.processed += chunk.count
                        progress.created += result.created
                        progress.updated += result.updated
                        progress.unchanged += result.unchanged
                        progress.rejected += result.errors.map(\.row).uniqueCount
                        errors += result.errors
                        await report(progress)
                    }
                }
                if allOrNothing && !errors.isEmpty { throw Refused(progress: progress, errors: errors) }
                try await audit.append(actor.entry(
                    "registers_imported", target: "sheet:\(kind.id)",
                    detail: "\(filename)：新增\(progress.created)，更新\(progress.updated)，未变\(progress.unchanged)，拒绝\(progress.rejected)"), in: tx)
                return (progress, errors)
            }
        }
        // Into an empty register (a county's first load, a million people) nobody need be looked
        // up first. Should someone be stored meanwhile, the insert fails on the unique key, the
        // transaction with it, and the import runs again the ordinary way (progress restarts).
        var empty = false
        if case .people = kind { empty = try await store.people.isEmpty(in: store.database.sql) }
        let summary: (Progress, [RowError])
        do {
            if empty {
                do {
                    summary = try await apply(assumingNew: true)
                } catch let error where !(error is Refused || error is SheetError || error is CancellationError) {
                    summary = try await apply(assumingNew: false)
                }
            } else {
                summary = try await apply(assumingNew: false)
            }
        } catch let refused as Refused {
            return Outcome(progress: Progress(processed: refused.progress.processed, rejected: refused.progress.rejected),
                           errors: refused.errors, applied: false,
                           message: "有\(refused.progress.rejected)行未通过校验，按“全部成功才导入”的要求，未导入任何数据")
        } catch let error as SheetError {
            return Outcome(progress: Progress(), errors: [RowError(row: 1, "\(error)")], applied: false,
                           message: "文件读取失败，未导入任何数据：\(error)")
        }
        let (progress, errors) = summary
        let message = "导入完成：新增\(progress.created)，更新\(progress.updated)，未变\(progress.unchanged)，拒绝\(progress.rejected)行"
        return Outcome(progress: progress, errors: errors, applied: true, message: message)
    }

    /// `RegisterSheet.parse` over the rows of a chunk. People are also prepared for writing
    /// (hashed, fingerprinted, sealed), the next largest part of an import; a row rejected later
    /// on has had that done for nothing, which is rare and cheap.
    static func parse(_ rows: [SheetRow], sheet: RegisterSheet, columns: ColumnMap, today: Day, people: any PersonRepository) async
        -> [ParsedSheetRow] {
        var out: [ParsedSheetRow] = []
        out.reserveCapacity(rows.count)
        for row in rows {
            let parsed = sheet.parse(row.cells, row: row.number, map: columns, today: today)
            if case .record(.person(let record)) = parsed {
                out.append(ParsedSheetRow(number: row.number, parsed: parsed, prepared: people.prepare(record.person)))
            } else {
                out.append(ParsedSheetRow(number: row.number, parsed: parsed))
            }
            // Every few rows, let the writer's task run if it is ready: it feeds the database,
            // the one stage that cannot be spread over cores, and should not wait for a whole chunk.
            if out.count % 32 == 0 { await Task.yield() }
        }
        return out
    }

    /// A house from a validated row in its building: the door-plate code is the one given, or one
    /// derived from building, unit and room, so that importing the same row again finds the same house.
    static func house(from draft: HouseDraft, in building: Building) -> House {
        let unit = draft.unit ?? ""
        let code = draft.code ?? {
            let digest = SHA256.hash(data: Data("\(building.code)|\(unit)|\(draft.room)".utf8))
            let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
            var bits = 0, value = 0, out = ""
            for byte in digest.prefix(5) {
                value = (value << 8) | Int(byte)
                bits += 8
                while bits >= 5 {
                    out.append(alphabet[(value >> (bits - 5)) & 31])
                    bits -= 5
                }
            }
            return "H" + building.grid.value + out
        }()
        let address = [building.address, draft.unit.map { "\($0)单元" }, draft.room].compactMap { $0 }.joined()
        return House(code: code, buildingID: building.id ?? 0, grid: building.grid, unit: draft.unit, floor: draft.floor,
                     room: draft.room, address: address, use: draft.use ?? building.use, rentalUse: draft.rentalUse, area: draft.area)
    }
}

/// A row of the file as read and validated: its number and what it holds.
struct ParsedSheetRow: Sendable {
    var number: Int
    var parsed: ParsedRow
    /// For a person, ready to be written.
    var prepared: PreparedPerson?
}

/// Rows of either format one at a time, so that a million-row CSV is never held as cells.
/// A copy reads on from where the original was, independently of it.
struct RowStream: Sendable {
    private var csv: CSVReader.Rows?
    private var rows: [SheetRow] = []
    private var index = 0

    init(data: Data, filename: String) throws {
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) { throw SheetError.legacyExcel }
        if SheetReader.format(of: data) == .xlsx {
            rows = try XLSXReader(data: data).rows()
        } else {
            csv = try CSVReader(data: data).makeIterator()
        }
    }

    mutating func next() throws -> SheetRow? {
        if csv != nil { return try csv!.next() }
        guard index < rows.count else { return nil }
        defer { index += 1 }
        return rows[index]
    }
}

/// What an import may refer to: the grids of the territory (or of the whole tree).
struct ImportScope: Sendable {
    let territory: Territory?
    let grids: Set<GridCode>
    let index: SpatialIndex

    static func load(repos: Repositories, territory: Territory?) async throws -> ImportScope {
        let nodes = try await repos.grids.subtree(territory?.range, withBoundaries: true)
        return ImportScope(territory: territory, grids: Set(nodes.map(\.code)), index: SpatialIndex(grids: nodes))
    }

    func contains(_ code: GridCode) -> Bool { grids.contains(code) }
}

extension Array where Element: Hashable {
    var uniqueCount: Int { Set(self).count }
}
