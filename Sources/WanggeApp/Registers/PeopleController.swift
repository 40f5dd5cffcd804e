import Hummingbird
import WanggeCore
import WanggeStorage

/// The body of `POST /people`: the person, and optionally the house they live in.
struct PersonRequest: Decodable, Sendable {
    var person: PersonInput
    var houseCode: String?
    var residenceRole: String?
    var movedIn: String?
}

struct RevealRequest: Decodable, Sendable {
    var field: RegisterService.RevealField
    var reason: String
}

struct RevealResponse: ResponseCodable {
    var field: String
    var value: String
}

/// A person's card: the person (masked), where they live and have lived, and their roles.
struct PersonCardDTO: ResponseCodable {
    var person: PersonDTO
    var residences: [ResidenceDTO]
    var roles: [RoleDTO]
    /// Whether the caller may reveal the masked numbers.
    var canReveal: Bool
}

/// `/api/v1/people`: search, the card, adding and updating, revealing a number.
struct PeopleController {
    let service: RegisterService

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("people", use: search)
        group.post("people", use: save)
        group.get("people/{id}", use: card)
        group.post("people/{id}/reveal", use: reveal)
        group.post("people/{id}/roles", use: addRole)
    }

    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> PageResponse<PersonDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        let (offset, limit) = try request.page()
        var query = PersonQuery(range: root.range, offset: offset, limit: limit)
        if let raw = request.uri.queryParameters.get("kind"), !raw.isEmpty {
            guard let kind = PersonKind(rawValue: raw) else {
                throw AppError.badRequest("kind 应为 registered、floating 或 foreign", field: "kind")
            }
            query.kind = kind
        }
        if var q = request.uri.queryParameters.get("q")?.trimmingCharacters(in: .whitespaces), !q.isEmpty {
            // Numbers are read out and typed in groups ("520399 1985…", "138-0000-1111").
            let squeezed = q.filter { $0 != " " && $0 != "-" }
            if squeezed.utf8.count >= 6, squeezed.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 88 || $0 == 120 || $0 == 43 }) { q = squeezed }
            // What was typed decides the search: a valid ID number or phone is an exact lookup by
            // its keyed hash, anything else a name prefix.
            if let id = try? IDNumber(q) {
                query.certificateNumber = id.value
            } else if q.utf8.count >= 7, q.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 45 || $0 == 43 }), let phone = try? PhoneNumber.normalise(q) {
                query.phone = phone
            } else if q.count >= 6, q.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 88 || $0 == 120 }) {
                throw AppError.badRequest("“\(q)”不是有效的身份证号或电话号码", field: "q")
            } else {
                query.namePrefix = q
            }
        }
        let page = try await service.store.people.search(query)
        return PageResponse(items: page.people.map { PersonDTO($0) }, total: page.total, offset: offset, limit: limit)
    }

    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PersonDTO> {
        let caller = try context.requireCaller()
        try caller.require(.editRegisters)
        let raw = try await request.body.collect(upTo: context.maxUploadSize)
        let body = try JSONProblem.decode(PersonRequest.self, from: raw)
        // The phone app queues this form offline and may send it twice; the key makes that one write.
        let idempotent = try IdempotentRequest.from(request, body: raw, scope: "account:\(caller.id)")
        let repository = service.repos.idempotency
        if let idempotent, let resource = try await idempotent.earlier(repository) {
            return try await replay(resource, caller: caller)
        }
        var link: (houseCode: String, role: ResidenceRole, movedIn: Day?)?
        if let code = body.houseCode?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
            let role = try body.residenceRole.map { raw throws(AppError) -> ResidenceRole in
                guard let role = ResidenceRole.resolve(raw) else { throw AppError.badRequest("居住关系无效：\(raw)", field: "residenceRole") }
                return role
            } ?? .resident
            let movedIn = try body.movedIn.flatMap { $0.isEmpty ? nil : $0 }.map { raw throws(AppError) -> Day in
                do { return try Day(lenient: raw) } catch { throw AppError.badRequest("入住日期无效：\(raw)", field: "movedIn") }
            }
            link = (code, role, movedIn)
        }
        let actor = caller.actor(context)
        let now = service.now()
        let write = { [link] () async throws -> EditedResponse<PersonDTO> in
            let saved: (person: Person, outcome: UpsertOutcome)
            do {
                saved = try await service.savePerson(body.person, link: link, caller: caller, actor: actor) { id, tx in
                    try await idempotent?.record("person:\(id)", at: now, in: tx, repository)
                }
            } catch let errors as ValidationErrors {
                throw AppError.invalid(errors)
            }
            return EditedResponse(status: saved.outcome == .created ? .created : .ok, response: PersonDTO(saved.person))
        }
        guard let idempotent else { return try await write() }
        return try await idempotent.perform(repository, write: write, replay: { try await replay($0, caller: caller) })
    }

    /// The answer to a repeated request: the person it saved, as they are now.
    func replay(_ resource: String, caller: Caller) async throws -> EditedResponse<PersonDTO> {
        guard let id = IdempotentRequest.id(of: resource, kind: "person") else { throw AppError.notFound("没有找到\(resource)") }
        let person = try await service.visiblePerson(id, caller: caller)
        return EditedResponse(status: .ok, headers: [.idempotencyReplayed: "true"], response: PersonDTO(person))
    }

    @Sendable func card(_ request: Request, context: AppRequestContext) async throws -> PersonCardDTO {
        let caller = try context.requireCaller()
        let person = try await service.visiblePerson(try context.parameters.id("人员"), caller: caller)
        let id = person.id ?? 0
        var residences: [ResidenceDTO] = []
        for r in try await service.store.residences.residences(personID: id) {
            let house = try await service.store.places.house(id: r.houseID)
            residences.append(ResidenceDTO(r, house: house.flatMap { caller.territory.contains($0.grid) ? $0 : nil }))
        }
        let roles = try await service.store.roles.roles(personID: id).map { RoleDTO($0) }
        return PersonCardDTO(person: PersonDTO(person), residences: residences, roles: roles, canReveal: caller.role.may(.revealPersonalData))
    }

    @Sendable func reveal(_ request: Request, context: AppRequestContext) async throws -> RevealResponse {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("人员")
        let body = try await request.decodeJSON(RevealRequest.self, context: context)
        let value = try await service.reveal(personID: id, field: body.field, reason: body.reason, caller: caller, actor: caller.actor(context))
        return RevealResponse(field: body.field.rawValue, value: value)
    }

    @Sendable func addRole(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<RoleDTO> {
        let caller = try context.requireCaller()
        let person = try await service.visiblePerson(try context.parameters.id("人员"), caller: caller)
        try caller.require(.editRegisters)
        var input = try await request.decodeJSON(RoleInput.self, context: context)
        input.certificateNumber = person.certificateNumber
        let draft = try input.validated(kinds: .standard, tables: .standard).orInvalid()
        let role = PopulationRole(personID: person.id ?? 0, kind: draft.kind, grid: person.grid, attention: draft.attention,
                                  visitEveryDays: draft.visitEveryDays, fields: draft.fields, since: draft.since, until: draft.until)
        let (stamp, roles) = (service.now(), service.store.roles)
        let saved = try await service.saveAudited("population_role_saved", target: { _ in "person:\(role.personID)" }, detail: role.kind,
                                                  actor: caller.actor(context)) { tx in
            try await roles.upsert([role], now: stamp, in: tx)[0]
        }
        var stored = role
        stored.id = saved.id
        return EditedResponse(status: saved.outcome == .created ? .created : .ok, response: RoleDTO(stored, person: person))
    }
}

extension Request {
    /// `offset` and `limit` (1–200, default 50) of a list.
    func page() throws -> (offset: Int, limit: Int) {
        let offset = try uri.queryParameters.get("offset").map { raw throws(AppError) -> Int in
            guard let v = Int(raw), v >= 0 else { throw AppError.badRequest("offset 应为非负整数", field: "offset") }
            return v
        } ?? 0
        let limit = try uri.queryParameters.get("limit").map { raw throws(AppError) -> Int in
            guard let v = Int(raw), (1...200).contains(v) else { throw AppError.badRequest("limit 应为1–200的整数", field: "limit") }
            return v
        } ?? 50
        return (offset, limit)
    }
}
