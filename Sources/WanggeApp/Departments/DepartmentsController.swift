import Hummingbird
import WanggeCore
import WanggeStorage

struct DepartmentDTO: ResponseCodable {
    var id: Int64
    var key: String
    var name: String
    var kind: String
    var kindLabel: String
    var serves: String
    var servesName: String?
    var staff: [DepartmentMemberDTO]?
}

struct DepartmentMemberDTO: ResponseCodable {
    var id: Int64
    var name: String
    var post: String?
    var phone: String?
}

struct DepartmentRequest: Decodable {
    var key: String
    var name: String
    var kind: DepartmentKind
    var serves: String
}

struct DepartmentMemberRequest: Decodable {
    var name: String
    var post: String?
    var phone: String?
}

/// `/api/v1/departments`: functional departments and their staff.
struct DepartmentsController {
    let repos: Repositories

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("departments", use: list)
        group.post("departments", use: create)
        group.get("departments/{id}", use: detail)
        group.post("departments/{id}/staff", use: addMember)
    }

    /// Departments serving the caller's territory, and those above it that serve it (a township
    /// operator works with the county's departments).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> ListResponse<DepartmentDTO> {
        let caller = try context.requireCaller()
        try caller.require(.readDepartments)
        let all = try await repos.departments.list(servingIn: nil)
        let visible = all.filter { caller.territory.contains($0.serves) || $0.serves.contains(caller.territory.root) }
        let names = try await gridNames(visible.map(\.serves))
        return ListResponse(items: visible.map { dto($0, names: names, staff: nil) })
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> DepartmentDTO {
        let caller = try context.requireCaller()
        try caller.require(.readDepartments)
        let department = try await visibleDepartment(context, caller)
        let staff = try await repos.departments.members(of: department.id ?? 0)
        return dto(department, names: try await gridNames([department.serves]), staff: staff)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<DepartmentDTO> {
        let caller = try context.requireCaller()
        try caller.require(.manageDepartments)
        let body = try await request.decodeJSON(DepartmentRequest.self, context: context)
        let serves = try GridCode.parse(body.serves, field: "serves")
        let department = Department(key: body.key, name: body.name, kind: body.kind, serves: serves)
        try department.validate()
        guard caller.territory.contains(serves), try await repos.grids.find(serves) != nil else {
            throw AppError.badRequest("\(serves)不存在或不在您的管辖范围内", field: "serves")
        }
        if try await repos.departments.find(key: department.key, serves: serves) != nil {
            throw AppError.conflict("\(serves)下已有标识为\(department.key)的部门", field: "key")
        }
        let saved = try await repos.database.transaction { tx in
            let saved = try await repos.departments.insert(department, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "department_created", target: "department:\(saved.id ?? 0)", detail: "\(department.name)(\(serves))"), in: tx)
            return saved
        }
        return EditedResponse(status: .created, response: dto(saved, names: try await gridNames([serves]), staff: []))
    }

    @Sendable func addMember(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<DepartmentMemberDTO> {
        let caller = try context.requireCaller()
        let department = try await visibleDepartment(context, caller)
        try caller.require(.manageDepartments)
        guard caller.territory.contains(department.serves) else { throw AppError.forbidden("只能管理本级及下级的部门") }
        let body = try await request.decodeJSON(DepartmentMemberRequest.self, context: context)
        try validatePersonName(body.name)
        if let phone = body.phone, !phone.isEmpty { try validatePhone(phone) }
        let member = DepartmentMember(departmentID: department.id ?? 0, name: body.name, post: body.post,
                                      phone: body.phone.flatMap { $0.isEmpty ? nil : $0 })
        let saved = try await repos.database.transaction { tx in
            let saved = try await repos.departments.insert(member, in: tx)
            try await repos.audit.append(caller.actor(context).entry(
                "department_staff_added", target: "department:\(department.id ?? 0)", detail: body.name), in: tx)
            return saved
        }
        return EditedResponse(status: .created, response: DepartmentMemberDTO(id: saved.id ?? 0, name: saved.name, post: saved.post,
                                                                              phone: saved.phone))
    }

    private func visibleDepartment(_ context: AppRequestContext, _ caller: Caller) async throws -> Department {
        let id = try context.parameters.id("部门")
        guard let department = try await repos.departments.find(id: id),
              caller.territory.contains(department.serves) || department.serves.contains(caller.territory.root) else {
            throw AppError.notFound("没有找到部门\(id)")
        }
        return department
    }

    private func gridNames(_ codes: [GridCode]) async throws -> [GridCode: String] {
        Dictionary(try await repos.grids.find(Array(Set(codes))).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    private func dto(_ d: Department, names: [GridCode: String], staff: [DepartmentMember]?) -> DepartmentDTO {
        DepartmentDTO(id: d.id ?? 0, key: d.key, name: d.name, kind: d.kind.rawValue, kindLabel: d.kind.label, serves: d.serves.value,
                      servesName: names[d.serves],
                      staff: staff?.map { DepartmentMemberDTO(id: $0.id ?? 0, name: $0.name, post: $0.post, phone: $0.phone) })
    }
}
