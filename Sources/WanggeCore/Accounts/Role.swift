/// What an account is for. Every account is scoped to a subtree of the grid tree, or to a
/// department (which in turn serves a subtree).
public enum Role: String, CaseIterable, Codable, Sendable {
    /// 系统管理员: grids, accounts, departments, norms.
    case admin
    /// 坐席员 of a command center; its level (county, township, community) is its scope's level.
    case `operator`
    /// 网格长.
    case gridLeader = "grid_leader"
    /// 网格员.
    case gridWorker = "grid_worker"
    /// 职能部门工作人员.
    case department
    /// 领导: read-only analyst.
    case leader

    public var label: String {
        switch self {
        case .admin: "系统管理员"
        case .operator: "指挥中心坐席员"
        case .gridLeader: "网格长"
        case .gridWorker: "网格员"
        case .department: "职能部门"
        case .leader: "领导"
        }
    }

    /// The levels a scope of this role may sit at.
    public var allowedScopeLevels: Set<GridLevel> {
        switch self {
        case .admin, .leader: [.city, .county, .township, .community]
        case .operator: [.county, .township, .community]
        case .gridLeader, .gridWorker: [.grid, .community]
        case .department: []
        }
    }

    /// Whether this role may do `action`. Territory is checked separately: a permitted action
    /// on something outside the caller's subtree still fails, as "not found".
    public func may(_ action: Action) -> Bool {
        switch action {
        case .readGrids, .readStaff, .readDepartments: true
        case .editStaff: self == .admin || self == .operator
        case .editGrids, .manageDepartments, .manageAccounts, .readAudit, .editNorms, .editCatalog: self == .admin
        // Departments see events, not the population registers of a territory.
        case .readRegisters: self != .department
        case .editRegisters: [.admin, .operator, .gridLeader, .gridWorker].contains(self)
        case .importRegisters: [.admin, .operator, .gridLeader].contains(self)
        // Those who must reach or identify a person in their work: not the system administrator,
        // who keeps the system, nor the leader, who reads figures.
        case .revealPersonalData: [.operator, .gridLeader, .gridWorker].contains(self)
        }
    }
}

/// The things an account may be allowed to do in the foundation.
public enum Action: String, CaseIterable, Sendable {
    case readGrids
    case editGrids
    case readStaff
    case editStaff
    case readDepartments
    case manageDepartments
    case manageAccounts
    case readAudit
    case editNorms
    /// The event catalog and the working calendar.
    case editCatalog
    /// People, houses, buildings, organisations, components and roles (masked).
    case readRegisters
    case editRegisters
    /// Bulk imports of register spreadsheets.
    case importRegisters
    /// Seeing an ID or phone number unmasked, with a reason, in the audit chain.
    case revealPersonalData
}
