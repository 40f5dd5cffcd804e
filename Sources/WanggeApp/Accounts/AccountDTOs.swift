import Hummingbird
import WanggeCore

struct LoginRequest: Decodable {
    var username: String
    var password: String
}

struct NodeRef: Codable, Hashable {
    var code: String
    var name: String
    var level: String
}

struct DepartmentRef: Codable, Hashable {
    var id: Int64
    var name: String
}

struct AccountDTO: ResponseCodable {
    var id: Int64
    var username: String
    var displayName: String
    var role: String
    var roleLabel: String
    var scope: NodeRef?
    var department: DepartmentRef?
    var disabled: Bool
}

struct LoginResponse: ResponseCodable {
    var token: String
    var idleTimeoutSeconds: Int64
    var account: AccountDTO
}

struct MeResponse: ResponseCodable {
    var account: AccountDTO
    /// The root of what this caller may see.
    var territory: NodeRef
    /// The actions this role may take, so the web can hide what would be refused.
    var permissions: [String]
}

struct CreateAccountRequest: Decodable {
    var username: String
    var displayName: String
    var role: Role
    var scope: String?
    var departmentId: Int64?
    var password: String
}

struct UpdateAccountRequest: Decodable {
    var displayName: String?
    var role: Role?
    var scope: String?
    var departmentId: Int64?
    var disabled: Bool?
    var password: String?
    /// Clears a lockout before it runs out.
    var unlock: Bool?
}

struct AuditEntryDTO: ResponseCodable {
    var id: Int64
    var at: Int64
    var actor: String?
    var action: String
    var target: String?
    var detail: String?
    var ip: String?
}

struct ListResponse<Item: Codable & Sendable>: ResponseCodable {
    var items: [Item]
}
