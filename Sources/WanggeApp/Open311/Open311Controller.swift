import Foundation
import HTTPTypes
import Hummingbird
import WanggeCore
import WanggeStorage

/// Open311 GeoReport v2 under `/open311/v2`: discovery, services and their definitions, requests
/// (posted with an administrator-issued `api_key`, read by anyone), tokens. Every endpoint ends in
/// `.xml` or `.json`; every error is the spec's list of `{code, description}` in that format.
///
/// A request posted here becomes an ordinary event (source `open311`) and runs through the same
/// loop as any other; its status is read back from the event.
struct Open311Controller {
    let service: EventService
    let repository: any Open311Repository

    /// Stated in discovery as the date the API last changed shape.
    static let changeset = "2026-11-22T00:00:00+08:00"
    static let maxResults = 1000
    /// The spec's default window of `GET requests`, and the widest a search may ask for.
    static let windowSeconds: Int64 = 90 * 86_400

    init(service: EventService) {
        self.service = service
        repository = SQLOpen311Repository(service.repos.database)
    }

    /// The public routes on `open` (mounted at `open311/v2`), and the key administration on
    /// `admin` (behind the login).
    func addRoutes(open group: RouterGroup<AppRequestContext>, admin: RouterGroup<AppRequestContext>) {
        // Hummingbird matches whole path components, so `discovery.xml` is one `{file}` whose
        // suffix picks the format.
        group.get("{file}", use: top)
        group.post("{file}", use: post)
        group.get("services/{file}", use: serviceDefinition)
        group.get("requests/{file}", use: oneRequest)
        group.get("tokens/{file}", use: token)
        Open311KeysController(service: service, repository: repository).addRoutes(to: admin)
    }

    @Sendable func top(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (name, format) = Open311Format.split(context.parameters.get("file") ?? "")
        return await respond(format, context) {
            switch name {
            case "discovery": return discovery(request)
            case "services": return try await services()
            case "requests": return try await requests(request.uri.queryParameters)
            default: throw AppError.notFound("没有这个接口：\(name)")
            }
        }
    }

    func discovery(_ request: Request) -> Open311Document {
        let host = request.head.authority
        let scheme = request.headers[.xForwardedProto] ?? "http"
        let url = host.map { "\(scheme)://\($0)/open311/v2" } ?? "/open311/v2"
        return Open311Document(root: "discovery", value: .object([
            ("changeset", .text(Self.changeset)),
            ("contact", .text("县社会治理综合指挥中心（网格化服务管理平台）")),
            ("key_service", .text("提交诉求需要 api_key，由平台系统管理员签发；请联系县社会治理综合指挥中心申请。查询无需密钥。")),
            ("endpoints", .list(item: "endpoint", [.object([
                ("specification", .text("http://wiki.open311.org/GeoReport_v2")),
                ("url", .text(url)),
                ("changeset", .text(Self.changeset)),
                ("type", .text("production")),
                ("formats", .list(item: "format", [.text("text/xml"), .text("application/json")])),
            ])])),
        ]))
    }

    func services() async throws -> Open311Document {
        let catalog = try await service.catalogs.current()
        return Open311Document(root: "services", value: .list(item: "service", Open311Presenter.services(catalog).map { item in
            let category = catalog.category(item.categoryCode)?.name ?? ""
            let departments = item.departments.map(\.label)
            let about = [item.description, "责任部门：\(departments.joined(separator: "、"))；处置时限：\(item.deadline.label)"]
            return .object([
                ("service_code", .text(item.code)),
                ("service_name", .text(item.name)),
                ("description", .text(about.compactMap { $0 }.joined(separator: "。"))),
                ("metadata", .bool(!Open311Attributes.attributes(of: item, in: catalog).isEmpty)),
                ("type", .text("realtime")),
                ("keywords", .text(([category, item.name] + departments).joined(separator: ","))),
                ("group", .text(category)),
            ])
        }))
    }

    @Sendable func serviceDefinition(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (code, format) = Open311Format.split(context.parameters.get("file") ?? "")
        return await respond(format, context) {
            let catalog = try await service.catalogs.current()
            guard let item = catalog.item(code), item.citizenReportable else { throw AppError.notFound("没有服务\(code)") }
            return Open311Document(root: "service_definition", value: Open311Attributes.definition(of: item, in: catalog))
        }
    }

    @Sendable func oneRequest(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (raw, format) = Open311Format.split(context.parameters.get("file") ?? "")
        return await respond(format, context) {
            let catalog = try await service.catalogs.current()
            guard let id = Int64(raw), let event = try await service.repos.events.find(id: id),
                  let item = catalog.item(event.itemCode), item.citizenReportable
            else { throw AppError.notFound("没有编号为\(raw)的诉求") }
            let presenter = try await Open311Presenter.make(service, repository: repository, events: [event])
            return Open311Document(root: "service_requests", value: .list(item: "request", [presenter.request(event)]))
        }
    }

    @Sendable func token(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (raw, format) = Open311Format.split(context.parameters.get("file") ?? "")
        return await respond(format, context) {
            let catalog = try await service.catalogs.current()
            guard raw.count <= 40, let event = try await service.repos.events.find(trackingNumber: raw.uppercased()),
                  let id = event.id, catalog.item(event.itemCode)?.citizenReportable == true
            else { throw AppError.notFound("没有查询码为\(raw)的诉求") }
            return Open311Document(root: "service_requests", value: .list(item: "request", [
                .object([("service_request_id", .int(id)), ("token", .text(event.trackingNumber))]),
            ]))
        }
    }

    /// Renders what `body` answers, or its error as the spec's error list with the matching
    /// status: 404 unknown, 403 a key problem, 400 anything else the client can fix.
    func respond(_ format: Open311Format?, _ context: AppRequestContext, status: HTTPResponse.Status = .ok,
                 _ body: () async throws -> Open311Document) async -> Response {
        guard let format else {
            return Open311Document.errors(.notFound, "地址须以 .xml 或 .json 结尾").response(.xml, status: .notFound)
        }
        do {
            return try await body().response(format, status: status)
        } catch {
            let (status, message) = Self.describe(error, context)
            return Open311Document.errors(status, message).response(format, status: status)
        }
    }

    static func describe(_ error: any Error, _ context: AppRequestContext) -> (HTTPResponse.Status, String) {
        switch error {
        case let e as AppError:
            switch e.status.code {
            case 404: return (.notFound, e.message)
            case 401, 403: return (.forbidden, e.message)
            case 500...: return (.internalServerError, e.message)
            default: return (.badRequest, e.message)
            }
        case let e as ValidationError:
            return (.badRequest, e.message)
        case let e as any HTTPResponseError where e.status.code < 500:
            return (.badRequest, "请求无法处理(\(e.status.code))")
        default:
            context.logger.error("open311: unhandled error: \(String(reflecting: error))")
            return (.internalServerError, "服务器内部错误，已记录日志")
        }
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
