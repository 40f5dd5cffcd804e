import Foundation
import HTTPTypes
import Hummingbird
import Logging
import WanggeCore
import WanggeStorage

/// What the routes need, made once per process.
public struct AppServices: Sendable {
    public let configuration: AppConfiguration
    public let repos: Repositories
    public let auth: AuthService
    public let events: EventService
    public let notifications: any NotificationRepository
    /// Sends verification codes at once (notifications go through the outbox instead).
    public let sms: any SMSGateway
    /// The registers, with the key that seals personal data.
    public let registers: RegisterStore
    let index: GridIndexCache
    let registerImports: ImportBoard

    /// Throws when the personal-data key cannot be read or made.
    public init(configuration: AppConfiguration, repos: Repositories, sms: (any SMSGateway)? = nil,
                now: @escaping @Sendable () -> Int64 = Clock.nowSeconds) throws {
        self.registers = RegisterStore(repos.database, cipher: try PersonalDataCipher(key: try configuration.personalDataKey()))
        self.registerImports = ImportBoard()
        self.sms = sms ?? configuration.sms.gateway(logger: Logger(label: "wangge.sms"))
        self.configuration = configuration
        self.repos = repos
        self.auth = AuthService(repos: repos, secret: configuration.secret, bcryptCost: configuration.bcryptCost, now: now)
        let index = GridIndexCache(repos: repos)
        self.index = index
        let notifications = SQLNotificationRepository(repos.database)
        self.notifications = notifications
        self.events = EventService(repos: repos, index: index, calendars: CalendarStore(repos: repos),
                                   notifier: OutboxNotifier(notifications: notifications), now: now)
    }

    var registerService: RegisterService {
        RegisterService(store: registers, repos: repos, index: index, now: events.now)
    }

    var registerImporter: RegisterImporter {
        RegisterImporter(store: registers, repos: repos, now: events.now)
    }

    /// A county can take reports from the first start: an empty catalog gets the built-in one.
    public func seedCatalogIfEmpty() async throws -> Bool {
        guard try await repos.catalog.isEmpty() else { return false }
        try await repos.database.transaction { tx in
            try await repos.catalog.replace(with: CatalogSeed.catalog, in: tx)
        }
        await events.catalogs.invalidate()
        return true
    }
}

/// The whole HTTP surface: JSON API under `/api/v1`, the OpenAPI document, and the web pages.
public func buildRouter(_ services: AppServices) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let config = services.configuration
    router.add(middleware: SecurityHeadersMiddleware())
    // Before the routes, so that a path no route knows is looked up as a file before it becomes a 404.
    router.add(middleware: FileMiddleware(config.publicDirectory, searchForIndexHtml: true)
        .withAdditionalMediaTypes(forFileExtensions: [
            "yaml": MediaType(type: .application, subType: "yaml"),
            "webmanifest": MediaType(type: .application, subType: "manifest+json"),
        ]))
    router.add(middleware: PrecompressedFiles(mounts: [("/vendor/leaflet", config.vendorDirectory + "/leaflet"),
                                                      ("/vendor/chart.js", config.vendorDirectory + "/chart.js")]))
    router.add(middleware: FileMiddleware(config.vendorDirectory + "/leaflet", urlBasePath: "/vendor/leaflet"))
    router.add(middleware: FileMiddleware(config.vendorDirectory + "/chart.js", urlBasePath: "/vendor/chart.js"))
    router.add(middleware: ErrorMiddleware())

    // The public's front door; staff use /center/ and /m/.
    router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/citizen/"]) }
    router.get("healthz") { _, _ -> HealthDTO in
        do {
            try await services.repos.database.sql.raw("SELECT 1").run()
        } catch {
            throw AppError(.serviceUnavailable, code: "database_unavailable", "数据库不可用")
        }
        return HealthDTO(status: "ok", database: services.repos.database.engine.rawValue)
    }

    let api = router.group("api/v1")
    api.get("meta") { _, _ in MetaDTO(name: "网格化服务管理平台", tileURL: config.tileURL) }
    let authController = AuthController(auth: services.auth, repos: services.repos, policy: .standard)
    authController.addPublicRoutes(to: api.group("auth"))

    let protected = api.group().add(middleware: AuthMiddleware(auth: services.auth))
    authController.addRoutes(to: protected.group("auth"))
    AccountsController(auth: services.auth, repos: services.repos).addRoutes(to: protected)
    GridsController(repos: services.repos, index: services.index).addRoutes(to: protected)
    StaffController(repos: services.repos).addRoutes(to: protected)
    DepartmentsController(repos: services.repos).addRoutes(to: protected)
    EventsController(service: services.events).addRoutes(to: protected)
    CatalogController(service: services.events).addRoutes(to: protected)
    AttachmentsController(service: services.events, dataDirectory: config.dataDirectory).addRoutes(to: protected)
    NotificationsController(repos: services.repos, notifications: services.notifications, now: services.events.now)
        .addRoutes(to: protected)
    Open311Controller(service: services.events).addRoutes(open: router.group("open311/v2"), admin: protected)
    PeopleController(service: services.registerService).addRoutes(to: protected)
    PlacesController(service: services.registerService).addRoutes(to: protected)
    OrganisationsController(service: services.registerService).addRoutes(to: protected)
    RegisterOverviewController(service: services.registerService).addRoutes(to: protected)
    RegisterImportController(importer: services.registerImporter, board: services.registerImports).addRoutes(to: protected)
    let phoneCodes = PhoneCodeService(repos: services.repos, sms: services.sms, secret: config.secret, now: services.events.now)
    CitizenController(service: services.events, phoneCodes: phoneCodes, dataDirectory: config.dataDirectory)
        .addRoutes(to: api.group("public"))
    return router
}

/// The server, listening where the configuration says.
public func buildApplication(_ services: AppServices, logger: Logger) -> some ApplicationProtocol {
    let config = services.configuration
    return Application(
        router: buildRouter(services),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "wangge"),
        services: [
            Supervisor(service: services.events, thresholds: config.cardDays, logger: logger),
            DeliveryWorker(database: services.repos.database, sms: config.sms.gateway(logger: logger), logger: logger),
        ],
        logger: logger)
}

struct HealthDTO: ResponseCodable {
    var status: String
    var database: String
}

struct MetaDTO: ResponseCodable {
    var name: String
    var tileURL: String?
}

/// Headers that keep the pages from being framed or sniffed, and API answers from being cached.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Rendered here rather than by the server, so that error answers get the headers too.
            response = try error.response(from: request, context: context)
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.referrerPolicy] = "same-origin"
        if request.uri.path.hasPrefix("/api/") {
            // Answers are personal and change; a handler that knows better (a photo) says so itself.
            if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        } else {
            // The pages load nothing inline and nothing from elsewhere, except map tiles when configured.
            response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: https:; "
                + "style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
}
