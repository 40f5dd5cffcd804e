import Hummingbird
import WanggeCore
import WanggeStorage

/// `/api/v1/organisations` (非公有制经济组织, 社会组织) and `/api/v1/components` (城市部件).
struct OrganisationsController {
    let service: RegisterService
    var store: RegisterStore { service.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("organisations", use: organisations)
        group.post("organisations", use: saveOrganisation)
        group.get("components", use: components)
        group.post("components", use: saveComponent)
    }

    @Sendable func organisations(_ request: Request, context: AppRequestContext) async throws -> PageResponse<OrganisationDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        let (offset, limit) = try request.page()
        var kind: OrganisationKind?
        if let raw = request.uri.queryParameters.get("kind"), !raw.isEmpty {
            guard let k = OrganisationKind(rawValue: raw) else { throw AppError.badRequest("kind 应为 enterprise 或 social", field: "kind") }
            kind = k
        }
        let page = try await store.organisations.list(in: root.range, kind: kind, namePrefix: request.uri.queryParameters.get("q"),
                                                      offset: offset, limit: limit)
        return PageResponse(items: page.organisations.map(OrganisationDTO.init), total: page.total, offset: offset, limit: limit)
    }

    @Sendable func saveOrganisation(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<OrganisationDTO> {
        let caller = try context.requireCaller()
        try caller.require(.editRegisters)
        let input = try await request.decodeJSON(OrganisationInput.self, context: context)
        let draft = try input.validated(tables: .standard).orInvalid()
        let grid = try await service.grid(given: draft.grid, lon: draft.lon, lat: draft.lat, caller: caller)
        if let at = try await store.organisations.grids(creditCodes: [draft.creditCode], in: store.database.sql)[draft.creditCode],
           !caller.territory.contains(at) {
            throw AppError.conflict("统一社会信用代码\(draft.creditCode)已登记在您的辖区外", field: "creditCode")
        }
        let organisation = draft.organisation(in: grid)
        let (stamp, organisations) = (service.now(), store.organisations)
        let saved = try await service.saveAudited("organisation_saved", target: { "organisation:\($0)" }, detail: organisation.name,
                                                  actor: caller.actor(context)) { tx in
            try await organisations.upsert([organisation], now: stamp, in: tx)[0]
        }
        var stored = organisation
        stored.id = saved.id
        return EditedResponse(status: saved.outcome == .created ? .created : .ok, response: OrganisationDTO(stored))
    }

    @Sendable func components(_ request: Request, context: AppRequestContext) async throws -> PageResponse<ComponentDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        let (offset, limit) = try request.page()
        var state: ComponentState?
        if let raw = request.uri.queryParameters.get("state"), !raw.isEmpty {
            guard let s = ComponentState(rawValue: raw) else { throw AppError.badRequest("部件状态“\(raw)”无效", field: "state") }
            state = s
        }
        let page = try await store.organisations.components(in: root.range, state: state, offset: offset, limit: limit)
        return PageResponse(items: page.components.map(ComponentDTO.init), total: page.total, offset: offset, limit: limit)
    }

    @Sendable func saveComponent(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ComponentDTO> {
        let caller = try context.requireCaller()
        try caller.require(.editRegisters)
        let input = try await request.decodeJSON(ComponentInput.self, context: context)
        let draft = try input.validated(tables: .standard).orInvalid()
        let grid = try await service.grid(given: draft.grid, lon: draft.lon, lat: draft.lat, caller: caller)
        if let at = try await store.organisations.grids(componentCodes: [draft.code], in: store.database.sql)[draft.code],
           !caller.territory.contains(at) {
            throw AppError.conflict("部件编码\(draft.code)已登记在您的辖区外", field: "code")
        }
        let component = Component(code: draft.code, grid: grid, state: draft.state, owner: draft.owner, lon: draft.lon, lat: draft.lat)
        let (stamp, organisations) = (service.now(), store.organisations)
        let saved = try await service.saveAudited("component_saved", target: { "component:\($0)" }, detail: component.code,
                                                  actor: caller.actor(context)) { tx in
            try await organisations.upsertComponents([component], now: stamp, in: tx)[0]
        }
        var stored = component
        stored.id = saved.id
        return EditedResponse(status: saved.outcome == .created ? .created : .ok, response: ComponentDTO(stored))
    }
}
