/// A login of the platform.
public struct Account: Hashable, Sendable {
    public var id: Int64?
    public var username: String
    public var displayName: String
    public var role: Role
    /// The root of the subtree this account works in; for department staff, the department's.
    public var scope: GridCode?
    public var departmentID: Int64?
    public var disabled: Bool

    public init(
        id: Int64? = nil, username: String, displayName: String, role: Role, scope: GridCode?,
        departmentID: Int64? = nil, disabled: Bool = false
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.role = role
        self.scope = scope
        self.departmentID = departmentID
        self.disabled = disabled
    }

    /// Checks the account's own fields; whether `scope` exists is the caller's business.
    public func validate() throws(ValidationError) {
        try validateUsername(username)
        try validatePersonName(displayName, field: "displayName")
        if role == .department {
            if departmentID == nil { throw ValidationError(field: "departmentId", "职能部门账号必须指定所属部门") }
        } else {
            guard let scope else { throw ValidationError(field: "scope", "账号必须指定管辖范围(网格树中的节点编码)") }
            if departmentID != nil { throw ValidationError(field: "departmentId", "只有职能部门账号才能指定部门") }
            guard role.allowedScopeLevels.contains(scope.level) else {
                let levels = GridLevel.allCases.filter(role.allowedScopeLevels.contains).map(\.label).joined(separator: "、")
                throw ValidationError(field: "scope", "\(role.label)的管辖范围必须是\(levels)，\(scope)是\(scope.level.label)")
            }
        }
    }
}

/// 3–32 characters of lowercase letters, digits, `.`, `_` or `-`, starting with a letter.
public func validateUsername(_ username: String) throws(ValidationError) {
    let scalars = Array(username.unicodeScalars)
    let ok = (3...32).contains(scalars.count)
        && ("a"..."z").contains(scalars[0])
        && scalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "." || $0 == "_" || $0 == "-" }
    if !ok {
        throw ValidationError(field: "username", "用户名须为3–32位小写字母、数字或._-，以字母开头")
    }
}

/// At least 8 characters with letters and digits; county IT rules usually demand more.
public func validatePassword(_ password: String) throws(ValidationError) {
    guard password.count >= 8, password.count <= 72 else {
        throw ValidationError(field: "password", "密码长度须为8–72位")
    }
    guard password.contains(where: \.isLetter), password.contains(where: \.isNumber) else {
        throw ValidationError(field: "password", "密码须同时包含字母和数字")
    }
}
