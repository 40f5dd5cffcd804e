import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

struct AttachmentDTO: ResponseCodable {
    var id: Int64
    var eventId: Int64
    var filename: String
    var contentType: String
    var size: Int
    var createdAt: Int64
}

/// Photos and documents of events: `POST /api/v1/events/{id}/attachments`, `GET …/attachments`,
/// `GET /api/v1/attachments/{id}`. Files live under `<data>/attachments/<event id>/`.
struct AttachmentsController {
    let service: EventService
    let dataDirectory: String

    static let maxBytes = 10 * 1024 * 1024
    static let maxPerEvent = 50
    /// Accepted types, each with the bytes its files start with: the declared type must match the content.
    static let kinds: [(type: String, ext: String, magic: [UInt8])] = [
        ("image/jpeg", "jpg", [0xFF, 0xD8, 0xFF]),
        ("image/png", "png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("image/webp", "webp", Array("RIFF".utf8)),
        ("application/pdf", "pdf", Array("%PDF-".utf8)),
    ]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("events/{id}/attachments", use: upload)
        group.get("events/{id}/attachments", use: list)
        group.get("attachments/{id}", use: download)
    }

    @Sendable func upload(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<AttachmentDTO> {
        let caller = EventCaller(try context.requireCaller())
        let event = try await service.event(try context.parameters.id("事件"), for: caller)
        let eventID = event.id ?? 0
        // Whoever may act on the event, or reported it, may add photos to it.
        guard !EventRules.allowedActions(event.state, by: caller.actor).isEmpty || event.reporterAccountID == caller.accountID else {
            throw AppError.forbidden("您不能为此事件上传附件")
        }
        let declared = request.headers[.contentType]?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let body = try await request.body.collect(upTo: Self.maxBytes)
        let idempotent = try IdempotentRequest.from(request, body: body, scope: "account:\(caller.accountID ?? 0)")
        if let idempotent, let replayed = try await replay(idempotent) { return replayed }
        let filename = request.uri.queryParameters.get("filename")
        let write = {
            EditedResponse(status: .created, response: Self.dto(
                try await store(body, declared: declared, eventID: eventID, filename: filename, idempotent: idempotent)))
        }
        guard let idempotent else { return try await write() }
        return try await idempotent.perform(service.repos.idempotency, write: write, replay: { _ in
            guard let replayed = try await replay(idempotent) else { throw AppError.conflict("该 Idempotency-Key 对应的附件已不存在") }
            return replayed
        })
    }

    /// The answer an earlier upload with the same key got, if there was one.
    func replay(_ idempotent: IdempotentRequest) async throws -> EditedResponse<AttachmentDTO>? {
        guard let resource = try await idempotent.earlier(service.repos.idempotency),
              let id = IdempotentRequest.id(of: resource, kind: "attachment"),
              let earlier = try await service.repos.attachments.find(id: id) else { return nil }
        return EditedResponse(status: .created, headers: [.idempotencyReplayed: "true"], response: Self.dto(earlier))
    }

    /// Checks a file against its declared type and the limits, writes it under the data directory and records it.
    func store(_ body: ByteBuffer, declared: String?, eventID: Int64, filename: String?,
               idempotent: IdempotentRequest?) async throws -> Attachment {
        guard let kind = Self.kinds.first(where: { $0.type == declared }) else {
            throw AppError.badRequest("只接受 JPEG、PNG、WebP 图片或 PDF 文件", field: "contentType")
        }
        let bytes = Array(body.readableBytesView)
        guard !bytes.isEmpty else { throw AppError.badRequest("文件为空", field: "file") }
        guard bytes.starts(with: kind.magic), kind.type != "image/webp" || bytes.count > 12 && bytes[8..<12].elementsEqual("WEBP".utf8) else {
            throw AppError.badRequest("文件内容与声明的类型\(kind.type)不符", field: "contentType")
        }
        let existing = try await service.repos.attachments.list(eventID: eventID)
        guard existing.count < Self.maxPerEvent else {
            throw AppError.conflict("每个事件最多\(Self.maxPerEvent)个附件")
        }
        let filename = Self.cleanName(filename, ext: kind.ext)
        let relative = "attachments/\(eventID)/\(UUID().uuidString.lowercased()).\(kind.ext)"
        let url = URL(fileURLWithPath: dataDirectory).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url, options: .atomic)
        let attachment = Attachment(eventID: eventID, filename: filename, contentType: kind.type, size: bytes.count, path: relative,
                                    createdAt: service.now())
        do {
            // The row and the key together: a second copy racing this one fails here and is answered with this one.
            return try await service.repos.database.transaction { tx in
                let saved = try await service.repos.attachments.insert(attachment, in: tx)
                try await idempotent?.record("attachment:\(saved.id ?? 0)", at: saved.createdAt, in: tx, service.repos.idempotency)
                return saved
            }
        } catch {
            try? FileManager.default.removeItem(at: url)
            throw error
        }
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListResponse<AttachmentDTO> {
        let caller = EventCaller(try context.requireCaller())
        let event = try await service.event(try context.parameters.id("事件"), for: caller)
        return ListResponse(items: try await service.repos.attachments.list(eventID: event.id ?? 0).map(Self.dto))
    }

    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = EventCaller(try context.requireCaller())
        let id = try context.parameters.id("附件")
        guard let attachment = try await service.repos.attachments.find(id: id),
              (try? await service.event(attachment.eventID, for: caller)) != nil else {
            throw AppError.notFound("没有找到附件\(id)")
        }
        let url = URL(fileURLWithPath: dataDirectory).appendingPathComponent(attachment.path)
        guard let data = try? Data(contentsOf: url) else { throw AppError.notFound("附件\(id)的文件已不存在") }
        let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(status: .ok, headers: [.contentType: attachment.contentType,
                                               .contentDisposition: "inline; filename*=UTF-8''\(encoded)",
                                               .cacheControl: "private, max-age=3600"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A display name without paths or control characters, ending in the type's extension.
    static func cleanName(_ raw: String?, ext: String) -> String {
        let base = (raw ?? "").split(separator: "/").last.map(String.init) ?? ""
        let clean = String(base.unicodeScalars.filter { $0.properties.generalCategory != .control && $0 != "\\" }.prefix(100))
        if clean.isEmpty { return "附件.\(ext)" }
        return clean.lowercased().hasSuffix(".\(ext)") ? clean : clean + ".\(ext)"
    }

    static func dto(_ a: Attachment) -> AttachmentDTO {
        AttachmentDTO(id: a.id ?? 0, eventId: a.eventID, filename: a.filename, contentType: a.contentType, size: a.size,
                      createdAt: a.createdAt)
    }
}
