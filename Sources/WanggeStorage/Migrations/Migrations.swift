/// Every migration of the schema, in order. Add new ones at the end with the next number, in a
/// file of their own named after the number (e.g. `M0004_Registers.swift`).
public enum Migrations {
    public static let all: [Migration] = [
        m0001Grids,
        m0002StaffAndDepartments,
        m0003AccountsAndAudit,
        m0004Events,
        m0005Notifications,
        m0006Open311,
        m0007Mobile,
        m0008Registers,
        m0009AuditChain,
    ]
}
