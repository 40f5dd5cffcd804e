import Hummingbird
import WanggeCore
import WanggeStorage

struct StaffRequest: Decodable {
    var name: String?
    var role: StaffRole?
    var phone: String?
}

/// `/api/v1/grids/{code}/staff` and `/api/v1/staff/{id}`: a grid's roster.
struct StaffController {
    let repos: Repositories

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("grids/{code}/staff", use: roster)
        group.post("grids/{code}/staff", use: add)
        group.patch("staff/{id}", use: update)
        group.delete("staff/{id}", use: remove)
    }

    @Sendable func roster(_ request: Request, context: AppRequestContext) async throws -> ListResponse<StaffDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readStaff)
        let code = try context.parameters.gridCode()
        try caller.requireVisible(code)
        guard try await repos.grids.find(code) != nil else { throw AppError.notFound("没有找到网格\(code)") }
        return ListResponse(items: try await repos.staff.roster(of: code).map(StaffDTO.init))
    }

    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<StaffDTO> {
        let caller = try context.requireCaller()
        let code = try context.parameters.gridCode()
        try caller.requireVisible(code)
        try caller.require(.editStaff)
        guard try await repos.grids.find(code) != nil else { throw AppError.notFound("没有找到网格\(code)") }
        let body = try await request.decodeJSON(StaffRequest.self, context: context)
        guard let name = body.name else { throw AppError.badRequest("缺少字段 name", field: "name") }
        guard let role = body.role else { throw AppError.badRequest("缺少字段 role", field: "role") }
        let member = StaffMember(gridCode: code, name: name, role: role, phone: body.phone.flatMap { $0.isEmpty ? nil : $0 })
        try member.validate()
        let saved = try await repos.database.transaction { tx in
            let saved = try await repos.staff.insert([member], in: tx)[0]
            try await repos.audit.append(caller.actor(context).entry(
                "staff_added", target: "grid:\(code)", detail: "\(role.label) \(name)"), in: tx)
            return saved
        }
        return EditedResponse(status: .created, response: StaffDTO(saved))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> StaffDTO {
        let caller = try context.requireCaller()
        var member = try await visibleMember(context, caller)
        try caller.require(.editStaff)
        let body = try await request.decodeJSON(StaffRequest.self, context: context)
        if let v = body.name { member.name = v }
        if let v = body.role { member.role = v }
        if let v = body.phone { member.phone = v.isEmpty ? nil : v }
        try member.validate()
        let updated = member
        try await repos.database.transaction { tx in
            try await repos.staff.update(updated, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "staff_updated", target: "grid:\(updated.gridCode)", detail: "\(updated.role.label) \(updated.name)"), in: tx)
        }
        return StaffDTO(updated)
    }

    @Sendable func remove(_ request: Request, context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let member = try await visibleMember(context, caller)
        try caller.require(.editStaff)
        try await repos.database.transaction { tx in
            try await repos.staff.delete(id: member.id ?? 0, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "staff_removed", target: "grid:\(member.gridCode)", detail: "\(member.role.label) \(member.name)"), in: tx)
        }
        return Response(status: .noContent)
    }

    private func visibleMember(_ context: AppRequestContext, _ caller: Caller) async throws -> StaffMember {
        let id = try context.parameters.id("网格工作人员")
        guard let member = try await repos.staff.find(id: id), caller.territory.contains(member.gridCode) else {
            throw AppError.notFound("没有找到网格工作人员\(id)")
        }
        return member
    }
}
