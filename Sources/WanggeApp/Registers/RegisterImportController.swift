import Foundation
import Hummingbird
import WanggeCore
import WanggeSheets
import WanggeStorage

/// Imports that are running in this process, with their live counts. The database learns the
/// counts when an import ends: the import's own transaction holds SQLite's single writer, so
/// progress cannot be written beside it.
actor ImportBoard {
    private var running: [Int64: ImportJob] = [:]

    func start(_ job: ImportJob) { if let id = job.id { running[id] = job } }
    func update(_ id: Int64, _ progress: RegisterImporter.Progress) {
        running[id]?.processed = progress.processed
        running[id]?.created = progress.created
        running[id]?.updated = progress.updated
        running[id]?.unchanged = progress.unchanged
        running[id]?.rejected = progress.rejected
    }
    func finish(_ id: Int64) { running[id] = nil }
    func job(_ id: Int64) -> ImportJob? { running[id] }
}

struct ImportJobDTO: ResponseCodable {
    var id: Int64
    var sheet: String
    var sheetTitle: String?
    var filename: String
    var allOrNothing: Bool
    var status: String
    var processed: Int
    var created: Int
    var updated: Int
    var unchanged: Int
    var rejected: Int
    var message: String?
    var startedAt: Int64
    var finishedAt: Int64?
    /// Where the error report of the rejected rows can be downloaded.
    var errorsURL: String?

    init(_ job: ImportJob) {
        id = job.id ?? 0
        sheet = job.sheet
        sheetTitle = RegisterSheetKind(id: job.sheet).flatMap { RegisterSheet.of($0)?.title }
        filename = job.filename
        allOrNothing = job.allOrNothing
        status = job.status.rawValue
        processed = job.processed
        created = job.created
        updated = job.updated
        unchanged = job.unchanged
        rejected = job.rejected
        message = job.message
        startedAt = job.startedAt
        finishedAt = job.finishedAt
        errorsURL = job.rejected > 0 || job.status == .failed ? "/api/v1/registers/imports/\(id)/errors.csv" : nil
    }
}

struct SheetListDTO: ResponseCodable {
    struct Sheet: Codable, Sendable {
        var id: String
        var title: String
        var columns: [String]
        var templateXLSX: String
        var templateCSV: String
    }
    var items: [Sheet]
}

/// `/api/v1/registers/…`: templates, uploads that import in the background, progress and error reports.
struct RegisterImportController {
    let importer: RegisterImporter
    let board: ImportBoard

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("registers/sheets", use: sheets)
        group.get("registers/templates/{file}", use: template)
        group.post("registers/imports", use: start)
        group.get("registers/imports", use: list)
        group.get("registers/imports/{id}", use: job)
        group.get("registers/imports/{id}/errors.csv", use: errors)
    }

    @Sendable func sheets(_ request: Request, context: AppRequestContext) async throws -> SheetListDTO {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        return SheetListDTO(items: RegisterSheet.all().map {
            .init(id: $0.kind.id, title: $0.title, columns: $0.templateHeader,
                  templateXLSX: "/api/v1/registers/templates/\($0.kind.id).xlsx", templateCSV: "/api/v1/registers/templates/\($0.kind.id).csv")
        })
    }

    /// `people.xlsx`, `roles:correction.csv`: the template with Chinese headers (`*` marks a
    /// required column). The XLSX has dropdowns of the code tables and a second sheet explaining
    /// each column with an example; the data sheet itself has no example row, because a template
    /// sent back unedited must not import a made-up person.
    @Sendable func template(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let file = context.parameters.get("file") ?? ""
        let isXLSX = file.hasSuffix(".xlsx")
        guard isXLSX || file.hasSuffix(".csv"), let kind = RegisterSheetKind(id: String(file.split(separator: ".").first ?? "")),
              let sheet = RegisterSheet.of(kind) else {
            throw AppError.notFound("没有模板\(file)")
        }
        let data: Data
        if isXLSX {
            let tables = CodeTables.standard
            let columns = sheet.columns.map { column in
                XLSXColumn(column.templateHeader, width: Double(max(10, column.header.count * 2 + 4)),
                           allowedValues: column.table.flatMap { tables[$0] }.map { $0.entries.map { "\($0.code)=\($0.label)" } })
            }
            let guide = XLSXSheet(
                name: "填写说明",
                columns: [XLSXColumn("列名", width: 18), XLSXColumn("必填", width: 6), XLSXColumn("说明", width: 48),
                          XLSXColumn("示例", width: 24), XLSXColumn("代码表", width: 16)],
                rows: sheet.columns.map { [$0.header, $0.required ? "是" : "", $0.note, $0.example, $0.table ?? ""] })
            data = try XLSXWriter(sheets: [XLSXSheet(name: sheet.title, columns: columns), guide]).data()
        } else {
            data = CSVWriter.data(rows: [sheet.templateHeader])
        }
        var headers = HTTPFields()
        headers[.contentType] = isXLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
        let name = "\(sheet.title)导入模板.\(isXLSX ? "xlsx" : "csv")"
        headers[.contentDisposition] = "attachment; filename=\"template.\(isXLSX ? "xlsx" : "csv")\"; filename*=UTF-8''" +
            (name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "template")
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The file is the request body; `sheet`, `filename` and `mode` (`valid` or `all`) are query
    /// parameters. Answers 202 with the job at once and imports in the background.
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ImportJobDTO> {
        let caller = try context.requireCaller()
        try caller.require(.importRegisters)
        let sheetID = try request.query("sheet", "登记表类型(如 people、buildings、roles:correction)") { $0 }
        guard let kind = RegisterSheetKind(id: sheetID), RegisterSheet.of(kind) != nil else {
            throw AppError.badRequest("没有这种登记表：\(sheetID)", field: "sheet")
        }
        let mode = request.uri.queryParameters.get("mode") ?? "valid"
        guard mode == "valid" || mode == "all" else { throw AppError.badRequest("mode 应为 valid(导入有效行) 或 all(全部成功才导入)", field: "mode") }
        let filename = request.uri.queryParameters.get("filename").flatMap { $0.isEmpty ? nil : String($0.prefix(200)) } ?? "upload"
        // A county's people file runs to tens of megabytes; the cap keeps one upload from exhausting memory.
        let body = try await request.body.collect(upTo: 200 * 1024 * 1024)
        guard body.readableBytes > 0 else { throw AppError.badRequest("请求体为空：请上传 CSV 或 XLSX 文件", field: "file") }
        let data = Data(buffer: body)
        let actor = caller.actor(context)
        let job = try await importer.store.imports.create(ImportJob(
            sheet: kind.id, filename: filename, allOrNothing: mode == "all", accountID: caller.id, scope: caller.territory.root,
            startedAt: importer.now()))
        let id = job.id ?? 0
        await board.start(job)
        let territory = caller.territory
        let (importer, board) = (self.importer, self.board)
        Task {
            await Self.perform(importer: importer, board: board, job: job, data: data, kind: kind, territory: territory, actor: actor)
        }
        return EditedResponse(status: .accepted, headers: [.location: "/api/v1/registers/imports/\(id)"], response: ImportJobDTO(job))
    }

    static func perform(importer: RegisterImporter, board: ImportBoard, job: ImportJob, data: Data, kind: RegisterSheetKind,
                        territory: Territory, actor: AuditActor) async {
        let id = job.id ?? 0
        var final = job
        do {
            let outcome = try await importer.run(data, filename: job.filename, sheet: kind, allOrNothing: job.allOrNothing,
                                                 territory: territory, actor: actor) { progress in await board.update(id, progress) }
            final.status = outcome.applied ? .done : .failed
            final.processed = outcome.progress.processed
            final.created = outcome.progress.created
            final.updated = outcome.progress.updated
            final.unchanged = outcome.progress.unchanged
            final.rejected = outcome.progress.rejected
            final.message = outcome.message
            if !outcome.errors.isEmpty { try await importer.store.imports.addErrors(outcome.errors, jobID: id) }
        } catch {
            final.status = .failed
            final.message = "导入失败，未写入任何数据：\(error)"
        }
        final.finishedAt = importer.now()
        try? await importer.store.imports.update(final)
        await board.finish(id)
    }

    func visibleJob(_ context: AppRequestContext) async throws -> ImportJob {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let id = try context.parameters.id("导入任务")
        if let live = await board.job(id), live.scope.map(caller.territory.contains) ?? false { return live }
        guard let job = try await importer.store.imports.find(id: id), job.scope.map(caller.territory.contains) ?? false else {
            throw AppError.notFound("没有找到导入任务\(id)")
        }
        return job
    }

    @Sendable func job(_ request: Request, context: AppRequestContext) async throws -> ImportJobDTO {
        ImportJobDTO(try await visibleJob(context))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListResponse<ImportJobDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        var jobs = try await importer.store.imports.list(in: caller.territory.range, limit: 50)
        for (i, job) in jobs.enumerated() where job.status == .running {
            if let live = await board.job(job.id ?? 0) { jobs[i] = live }
        }
        return ListResponse(items: jobs.map(ImportJobDTO.init))
    }

    /// The rejected rows as a CSV that opens in Excel: row, column, reason.
    @Sendable func errors(_ request: Request, context: AppRequestContext) async throws -> Response {
        let job = try await visibleJob(context)
        let rows = try await importer.store.imports.errors(jobID: job.id ?? 0)
        var writer = CSVWriter()
        writer.append(["行号", "列", "原因"])
        for e in rows { writer.append([String(e.row), e.column ?? "", e.message]) }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"import-\(job.id ?? 0)-errors.csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: writer.data)))
    }
}
