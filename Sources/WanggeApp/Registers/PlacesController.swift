import Hummingbird
import WanggeCore
import WanggeStorage

/// A house with its building and who lives there, masked: what a QR door plate opens.
struct HouseCardDTO: ResponseCodable {
    var house: HouseDTO
    var building: BuildingDTO?
    /// Current residents first, then those who moved out.
    var residents: [ResidenceDTO]
}

struct BuildingCardDTO: ResponseCodable {
    var building: BuildingDTO
    var houses: [HouseSummaryDTO]
}

struct HouseSummaryDTO: Codable, Sendable {
    var house: HouseDTO
    var residents: Int
}

struct ResidentRequest: Decodable, Sendable {
    var certificateNumber: String
    var role: String?
    var movedIn: String?
    var movedOut: String?
}

/// `/api/v1/buildings` and `/api/v1/houses`: "在单元格中找楼栋、楼栋中找住户、住户中找人".
struct PlacesController {
    let service: RegisterService
    var store: RegisterStore { service.store }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("buildings", use: buildings)
        group.post("buildings", use: saveBuilding)
        group.get("buildings/{id}", use: building)
        group.get("houses", use: houses)
        group.post("houses", use: saveHouse)
        group.get("houses/by-code/{code}", use: houseByCode)
        group.get("houses/{id}", use: house)
        group.get("houses/{id}/plate.svg", use: plate)
        group.post("houses/{id}/residents", use: addResident)
    }

    @Sendable func buildings(_ request: Request, context: AppRequestContext) async throws -> PageResponse<BuildingDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        let (offset, limit) = try request.page()
        let page = try await store.places.buildings(in: root.range, offset: offset, limit: limit)
        return PageResponse(items: page.buildings.map(BuildingDTO.init), total: page.total, offset: offset, limit: limit)
    }

    @Sendable func building(_ request: Request, context: AppRequestContext) async throws -> BuildingCardDTO {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let id = try context.parameters.id("楼栋")
        guard let building = try await store.places.building(id: id), caller.territory.contains(building.grid) else {
            throw AppError.notFound("没有找到楼栋\(id)")
        }
        var houses: [HouseSummaryDTO] = []
        for house in try await store.places.houses(buildingID: id) {
            let current = try await store.residences.residences(houseID: house.id ?? 0).filter(\.isCurrent).count
            houses.append(HouseSummaryDTO(house: HouseDTO(house), residents: current))
        }
        return BuildingCardDTO(building: BuildingDTO(building), houses: houses)
    }

    @Sendable func saveBuilding(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<BuildingDTO> {
        let caller = try context.requireCaller()
        try caller.require(.editRegisters)
        let input = try await request.decodeJSON(BuildingInput.self, context: context)
        let draft = try input.validated(tables: .standard).orInvalid()
        let grid = try await service.grid(given: draft.grid, lon: draft.lon, lat: draft.lat, caller: caller)
        if let existing = try await store.places.buildings(codes: [draft.code], in: store.database.sql)[draft.code],
           !caller.territory.contains(existing.grid) {
            throw AppError.conflict("楼栋编码\(draft.code)已被辖区外的楼栋使用", field: "code")
        }
        let building = Building(code: draft.code, name: draft.name, address: draft.address, grid: grid, use: draft.use,
                                floors: draft.floors, units: draft.units, lon: draft.lon, lat: draft.lat)
        let (stamp, places) = (service.now(), store.places)
        let saved = try await service.saveAudited("building_saved", target: { "building:\($0)" }, detail: building.code,
                                                  actor: caller.actor(context)) { tx in
            try await places.upsertBuildings([building], now: stamp, in: tx)[0]
        }
        var stored = building
        stored.id = saved.id
        return EditedResponse(status: saved.outcome == .created ? .created : .ok, response: BuildingDTO(stored))
    }

    @Sendable func houses(_ request: Request, context: AppRequestContext) async throws -> PageResponse<HouseDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let root = try request.optionalCode("grid", caller: caller) ?? caller.territory.root
        let (offset, limit) = try request.page()
        let rented = request.uri.queryParameters.get("rented") == "true"
        let page = try await store.places.houses(in: root.range, addressContains: request.uri.queryParameters.get("q"),
                                                 rentedOnly: rented, offset: offset, limit: limit)
        return PageResponse(items: page.houses.map(HouseDTO.init), total: page.total, offset: offset, limit: limit)
    }

    @Sendable func house(_ request: Request, context: AppRequestContext) async throws -> HouseCardDTO {
        let caller = try context.requireCaller()
        let id = try context.parameters.id("房屋")
        return try await card(try await store.places.house(id: id), caller: caller, what: "\(id)")
    }

    @Sendable func houseByCode(_ request: Request, context: AppRequestContext) async throws -> HouseCardDTO {
        let caller = try context.requireCaller()
        let code = (context.parameters.get("code") ?? "").trimmingCharacters(in: .whitespaces).uppercased()
        return try await card(try await store.places.house(code: code), caller: caller, what: code)
    }

    func card(_ house: House?, caller: Caller, what: String) async throws -> HouseCardDTO {
        try caller.require(.readRegisters)
        guard let house, caller.territory.contains(house.grid) else { throw AppError.notFound("没有找到房屋\(what)") }
        let ties = try await store.residences.residences(houseID: house.id ?? 0)
        let people = Dictionary(try await store.people.people(ids: ties.map(\.personID)).map { ($0.id ?? 0, $0) }, uniquingKeysWith: { a, _ in a })
        let residents = ties.map { tie in
            // Someone registered outside the caller's territory is counted but not shown.
            ResidenceDTO(tie, person: people[tie.personID].flatMap { caller.territory.contains($0.grid) ? $0 : nil })
        }
        let building = try await store.places.building(id: house.buildingID)
        return HouseCardDTO(house: HouseDTO(house), building: building.map(BuildingDTO.init), residents: residents)
    }

    @Sendable func plate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        try caller.require(.readRegisters)
        let id = try context.parameters.id("房屋")
        guard let house = try await store.places.house(id: id), caller.territory.contains(house.grid) else {
            throw AppError.notFound("没有找到房屋\(id)")
        }
        // The plate carries a link into the phone app rather than data: scanning it without an
        // account shows nothing, and the code alone is typed in where a camera fails.
        let host = request.head.authority ?? "localhost"
        let scheme = request.headers[.init("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        let svg = try DoorPlate.svg(code: house.code, address: house.address, url: "\(scheme)://\(host)/m/#house/\(house.code)")
        var headers = HTTPFields()
        headers[.contentType] = "image/svg+xml; charset=utf-8"
        headers[.contentDisposition] = "inline; filename=\"plate-\(house.code).svg\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: svg)))
    }

    @Sendable func saveHouse(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<HouseDTO> {
        let caller = try context.requireCaller()
        try caller.require(.editRegisters)
        let input = try await request.decodeJSON(HouseInput.self, context: context)
        let draft = try input.validated(tables: .standard).orInvalid()
        guard let building = try await store.places.buildings(codes: [draft.buildingCode], in: store.database.sql)[draft.buildingCode],
              caller.territory.contains(building.grid) else {
            throw AppError.badRequest("没有找到楼栋\(draft.buildingCode)", field: "buildingCode")
        }
        let house = RegisterImporter.house(from: draft, in: building)
        if let existing = try await store.places.house(code: house.code), !caller.territory.contains(existing.grid) {
            throw AppError.conflict("房屋编码\(house.code)已被辖区外的房屋使用", field: "code")
        }
        let (stamp, places) = (service.now(), store.places)
        let saved = try await service.saveAudited("house_saved", target: { "house:\($0)" }, detail: house.code,
                                                  actor: caller.actor(context)) { tx in
            try await places.upsertHouses([house], now: stamp, in: tx)[0]
        }
        var stored = house
        stored.id = saved.id
        return EditedResponse(status: saved.outcome == .created ? .created : .ok, response: HouseDTO(stored))
    }

    @Sendable func addResident(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<ResidenceDTO> {
        let caller = try context.requireCaller()
        try caller.require(.editRegisters)
        let id = try context.parameters.id("房屋")
        guard let house = try await store.places.house(id: id), caller.territory.contains(house.grid) else {
            throw AppError.notFound("没有找到房屋\(id)")
        }
        let body = try await request.decodeJSON(ResidentRequest.self, context: context)
        let input = ResidenceInput(certificateNumber: body.certificateNumber, houseCode: house.code, role: body.role,
                                   movedIn: body.movedIn, movedOut: body.movedOut)
        let draft = try input.validated().orInvalid()
        guard let person = try await store.people.find(certificateNumber: draft.certificateNumber), caller.territory.contains(person.grid) else {
            throw AppError.badRequest("该证件号码尚未登记为辖区内的实有人口，请先登记人员", field: "certificateNumber")
        }
        let tie = Residence(personID: person.id ?? 0, houseID: id, role: draft.role, movedIn: draft.movedIn, movedOut: draft.movedOut)
        let actor = caller.actor(context)
        let outcome = try await store.database.transaction { tx in
            let outcome = try await store.residences.record([tie], in: tx)[0]
            if outcome != .unchanged {
                try await service.repos.audit.append(actor.entry("residence_recorded", target: "house:\(id)",
                                                                 detail: "person:\(tie.personID) \(tie.role.label)"), in: tx)
            }
            return outcome
        }
        // The stored tie, with its id: the current one, or the one just closed by a move-out.
        let stored = try await store.residences.residences(houseID: id).first {
            $0.personID == tie.personID && $0.movedOut == tie.movedOut && $0.movedIn == tie.movedIn
        } ?? tie
        return EditedResponse(status: outcome == .created ? .created : .ok, response: ResidenceDTO(stored, person: person))
    }
}
