import Foundation
import Hummingbird
import WanggeCore
import WanggeStorage

/// `/api/v1/grids` and `/api/v1/norms`: the territory tree, its map, point→grid, norms and staffing.
struct GridsController {
    let repos: Repositories
    let index: GridIndexCache

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("grids", use: roots)
        group.get("grids/locate", use: locate)
        group.get("grids/outside-norms", use: outsideNorms)
        group.get("grids/staffing", use: staffing)
        group.get("grids/export", use: export)
        group.post("grids/import", use: importTree)
        group.get("grids/{code}", use: detail)
        group.patch("grids/{code}", use: update)
        group.get("grids/{code}/children", use: children)
        group.get("grids/{code}/map", use: map)
        group.get("norms/{county}", use: norms)
        group.put("norms/{county}", use: setNorms)
    }

    /// The caller's own root: the top of what they may browse.
    @Sendable func roots(_ request: Request, context: AppRequestContext) async throws -> ListResponse<GridSummaryDTO> {
        let caller = try context.requireCaller()
        guard let root = try await repos.grids.find(caller.territory.root) else { return ListResponse(items: []) }
        let childCount = try await repos.grids.children(of: root.code).count
        return ListResponse(items: [GridSummaryDTO(root, childCount: childCount)])
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> GridDetailDTO {
        let caller = try context.requireCaller()
        let code = try context.parameters.gridCode()
        try caller.requireVisible(code)
        guard let grid = try await repos.grids.find(code) else { throw AppError.notFound("没有找到网格\(code)") }
        let children = try await repos.grids.children(of: code)
        let staff = try await repos.staff.roster(of: code)
        var norm: NormStatusDTO?
        if grid.level == .grid, let normClass = grid.type.normClass {
            let norms = try await repos.grids.norms(county: code.countyCode) ?? .standard
            let (h, p) = normClass == .urban ? (norms.urbanHouseholds, norms.urbanPopulation) : (norms.ruralHouseholds, norms.ruralPopulation)
            let violation = norms.violation(of: grid)
            norm = NormStatusDTO(normClass: normClass.rawValue, maxHouseholds: h, maxPopulation: p, within: violation == nil,
                                 message: violation?.message ?? "\(grid.households)户/\(grid.population)人，符合标准")
        }
        return GridDetailDTO(
            grid: GridSummaryDTO(grid, childCount: children.count),
            ancestors: try await ancestors(of: grid, within: caller.territory),
            roster: grid.level == .grid || !staff.isEmpty ? RosterDTO(RosterSummary(roles: staff.map(\.role))) : nil,
            staff: staff.map(StaffDTO.init), norm: norm, boundary: grid.boundary)
    }

    @Sendable func children(_ request: Request, context: AppRequestContext) async throws -> ListResponse<GridSummaryDTO> {
        let caller = try context.requireCaller()
        let code = try context.parameters.gridCode()
        try caller.requireVisible(code)
        guard try await repos.grids.find(code) != nil else { throw AppError.notFound("没有找到网格\(code)") }
        return ListResponse(items: try await repos.grids.children(of: code).map { GridSummaryDTO($0.grid, childCount: $0.childCount) })
    }

    /// The node and its direct children as GeoJSON, for drawing one level of the map.
    @Sendable func map(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let code = try context.parameters.gridCode()
        try caller.requireVisible(code)
        guard let grid = try await repos.grids.find(code) else { throw AppError.notFound("没有找到网格\(code)") }
        let childCodes = try await repos.grids.children(of: code).map(\.grid.code)
        let children = try await repos.grids.find(childCodes)
        return geoJSONResponse(GridGeoJSON.encode([grid] + children))
    }

    @Sendable func locate(_ request: Request, context: AppRequestContext) async throws -> LocateDTO {
        let caller = try context.requireCaller()
        let lat = try request.query("lat", "−90到90之间的纬度", { Double($0).flatMap { (-90...90).contains($0) ? $0 : nil } })
        let lon = try request.query("lon", "−180到180之间的经度", { Double($0).flatMap { (-180...180).contains($0) ? $0 : nil } })
        let snapshot = try await index.current()
        guard let code = snapshot.index.locate(lon: lon, lat: lat), caller.territory.contains(code), let grid = snapshot.nodes[code] else {
            throw AppError.notFound("坐标(\(lat), \(lon))不在您管辖范围内的任何网格中")
        }
        var chain: [Grid] = []
        var parent = grid.parent
        while let p = parent, let node = snapshot.nodes[p], caller.territory.contains(p) {
            chain.append(node)
            parent = node.parent
        }
        return LocateDTO(grid: GridSummaryDTO(grid), ancestors: chain.reversed().map { GridSummaryDTO($0) })
    }

    @Sendable func outsideNorms(_ request: Request, context: AppRequestContext) async throws -> ListResponse<NormViolationDTO> {
        let caller = try context.requireCaller()
        let root = try request.optionalCode("root", caller: caller) ?? caller.territory.root
        var normsByCounty: [String: SizeNorms] = [:]
        var items: [NormViolationDTO] = []
        for grid in try await repos.grids.subtree(root.range, withBoundaries: false) where grid.level == .grid {
            let county = grid.code.countyCode
            if normsByCounty[county] == nil {
                normsByCounty[county] = try await repos.grids.norms(county: county) ?? .standard
            }
            if let v = normsByCounty[county]!.violation(of: grid) {
                items.append(NormViolationDTO(grid: GridSummaryDTO(grid), message: v.message, maxHouseholds: v.maxHouseholds,
                                              maxPopulation: v.maxPopulation))
            }
        }
        return ListResponse(items: items)
    }

    /// "一长N员" of every unit grid in a subtree; `missing=leader|worker` keeps only the gaps.
    @Sendable func staffing(_ request: Request, context: AppRequestContext) async throws -> StaffingDTO {
        let caller = try context.requireCaller()
        try caller.require(.readStaff)
        let root = try request.optionalCode("root", caller: caller) ?? caller.territory.root
        let missing = request.uri.queryParameters.get("missing")
        guard missing == nil || missing == "leader" || missing == "worker" else {
            throw AppError.badRequest("missing 只能是 leader 或 worker", field: "missing")
        }
        let roles = try await repos.staff.roles(in: root.range)
        var rows: [StaffingRowDTO] = []
        var withoutLeader = 0, withoutWorker = 0, total = 0
        for grid in try await repos.grids.subtree(root.range, withBoundaries: false) where grid.level == .grid {
            total += 1
            let roster = RosterSummary(roles: roles[grid.code] ?? [])
            if !roster.hasLeader { withoutLeader += 1 }
            if !roster.hasWorker { withoutWorker += 1 }
            if missing == "leader" && roster.hasLeader || missing == "worker" && roster.hasWorker { continue }
            rows.append(StaffingRowDTO(grid: GridSummaryDTO(grid), roster: RosterDTO(roster)))
        }
        return StaffingDTO(grids: total, withoutLeader: withoutLeader, withoutWorker: withoutWorker, items: rows)
    }

    @Sendable func export(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let root = try request.optionalCode("root", caller: caller) ?? caller.territory.root
        var response = geoJSONResponse(try await GridImporter(repos: repos).export(root.range))
        response.headers[.contentDisposition] = "attachment; filename=\"grids-\(root).geojson\""
        return response
    }

    @Sendable func importTree(_ request: Request, context: AppRequestContext) async throws -> ImportResultDTO {
        let caller = try context.requireCaller()
        try caller.require(.editGrids)
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        do {
            let summary = try await GridImporter(repos: repos).importCollection(
                Data(buffer: body), territory: caller.territory, actor: caller.actor(context))
            await index.invalidate()
            return ImportResultDTO(created: summary.created, updated: summary.updated)
        } catch let rejected as GridImporter.Rejected {
            throw AppError(.badRequest, code: "invalid_features",
                           "\(rejected.errors.count)处错误，未导入任何网格。第一处：\(rejected.errors[0])", items: rejected.errors)
        }
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> GridSummaryDTO {
        let caller = try context.requireCaller()
        let code = try context.parameters.gridCode()
        try caller.requireVisible(code)
        try caller.require(.editGrids)
        guard var grid = try await repos.grids.find(code) else { throw AppError.notFound("没有找到网格\(code)") }
        let body = try await request.decodeJSON(UpdateGridRequest.self, context: context)
        if let v = body.name { grid.name = v }
        if let v = body.households { grid.households = v }
        if let v = body.population { grid.population = v }
        let parent = try await grid.parent.asyncMap { try await repos.grids.find($0) }
        try grid.validate(parent: parent ?? nil)
        let updated = grid
        try await repos.database.transaction { tx in
            try await repos.grids.updateAttributes(code, name: updated.name, households: updated.households,
                                                   population: updated.population, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "grid_updated", target: "grid:\(code)", detail: "\(updated.name)，\(updated.households)户，\(updated.population)人"), in: tx)
        }
        return GridSummaryDTO(updated)
    }

    @Sendable func norms(_ request: Request, context: AppRequestContext) async throws -> SizeNormsDTO {
        let caller = try context.requireCaller()
        let county = try countyCode(context, caller)
        let stored = try await repos.grids.norms(county: county)
        return SizeNormsDTO(county: county, norms: stored ?? .standard, isDefault: stored == nil)
    }

    @Sendable func setNorms(_ request: Request, context: AppRequestContext) async throws -> SizeNormsDTO {
        let caller = try context.requireCaller()
        let county = try countyCode(context, caller)
        try caller.require(.editNorms)
        // Reading a county's norms is fine from inside it; changing them belongs to whoever holds the county.
        guard caller.territory.contains(try GridCode(county + "000000")) else { throw AppError.forbidden("只有县级及以上管理员可以修改规模标准") }
        let norms = try await request.decodeJSON(SizeNorms.self, context: context)
        try norms.validate()
        try await repos.database.transaction { tx in
            try await repos.grids.setNorms(norms, county: county, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "norms_updated", target: "county:\(county)",
                detail: "城市\(norms.urbanHouseholds)户/\(norms.urbanPopulation)人，农村\(norms.ruralHouseholds)户/\(norms.ruralPopulation)人"), in: tx)
        }
        return SizeNormsDTO(county: county, norms: norms, isDefault: false)
    }

    /// `{county}` is the 6-digit county code; it must exist and be visible (or contain the caller's territory).
    private func countyCode(_ context: AppRequestContext, _ caller: Caller) throws -> String {
        let raw = context.parameters.get("county") ?? ""
        guard raw.count == 6, let code = try? GridCode(raw + "000000"), code.level == .county else {
            throw AppError.notFound("没有找到县(区)\(raw)")
        }
        guard caller.territory.contains(code) || code.contains(caller.territory.root) else {
            throw AppError.notFound("没有找到县(区)\(raw)")
        }
        return raw
    }

    /// Ancestors from the top of the caller's territory down to the grid's parent.
    private func ancestors(of grid: Grid, within territory: Territory) async throws -> [GridSummaryDTO] {
        var chain: [Grid] = []
        var parent = grid.parent
        while let code = parent, territory.contains(code), let node = try await repos.grids.find(code) {
            chain.append(node)
            parent = node.parent
        }
        return chain.reversed().map { GridSummaryDTO($0) }
    }
}

func geoJSONResponse(_ data: Data) -> Response {
    Response(status: .ok, headers: [.contentType: "application/geo+json; charset=utf-8"],
             body: .init(byteBuffer: ByteBuffer(bytes: data)))
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
