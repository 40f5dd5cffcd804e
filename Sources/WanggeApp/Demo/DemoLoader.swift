import Foundation
import WanggeCore
import WanggeDemo
import WanggeStorage

/// Writes the synthetic county into a database. Running it again changes nothing that exists:
/// grids are upserted, and staff, departments and accounts are only added where missing.
public struct DemoLoader: Sendable {
    let repos: Repositories
    let auth: AuthService
    let services: AppServices

    public init(services: AppServices) {
        self.repos = services.repos
        self.auth = services.auth
        self.services = services
    }

    public struct Result: Sendable {
        public var territory: DemoTerritory
        public var gridsWritten: Int
        public var staffAdded: Int
        public var accountsAdded: [String]
        public var eventsAdded: Int
        /// People added to the registers (0 when they existed already).
        public var peopleAdded: Int
        public var housesAdded: Int
        public var rolesAdded: Int
    }

    /// - Parameter events: how many events to play through the loop when the database has none.
    /// - Parameter registers: whether to fill the registers (buildings, houses, people …) when they are empty.
    public func load(_ territory: DemoTerritory, password: String, events: Int = 0, registers: Bool = false) async throws -> Result {
        try validatePassword(password)
        let existing = Set(try await repos.grids.subtree(nil, withBoundaries: false).map(\.code))
        let newGrids = territory.grids.filter { !existing.contains($0.code) }
        let staffed = Set(try await repos.staff.roles(in: nil).keys)
        let newStaff = territory.staff.filter { !staffed.contains($0.gridCode) }
        let staffAdded = try await repos.database.transaction { tx in
            try await repos.grids.upsert(newGrids, in: tx)
            return try await repos.staff.insert(newStaff, in: tx).count
        }

        var departmentIDs: [String: Int64] = [:]
        for department in territory.departments {
            if let found = try await repos.departments.find(key: department.key, serves: department.serves) {
                departmentIDs[department.key] = found.id
                continue
            }
            try department.validate()
            let members = territory.departmentStaff[department.key] ?? []
            departmentIDs[department.key] = try await repos.database.transaction { tx in
                let saved = try await repos.departments.insert(department, in: tx)
                for person in members {
                    _ = try await repos.departments.insert(
                        DepartmentMember(departmentID: saved.id ?? 0, name: person.name, post: person.post, phone: person.phone), in: tx)
                }
                return saved.id
            }
        }

        var accountsAdded: [String] = []
        for demo in territory.accounts where try await repos.accounts.find(username: demo.username) == nil {
            let account = Account(username: demo.username, displayName: demo.displayName, role: demo.role, scope: demo.scope,
                                  departmentID: demo.departmentKey.flatMap { departmentIDs[$0] })
            try account.validate()
            let hash = try await auth.hashPassword(password)
            try await repos.database.transaction { tx in
                _ = try await repos.accounts.insert(account, passwordHash: hash, in: tx)
                try await repos.audit.append(AuditActor.commandLine().entry(
                    "account_created", target: "account:\(account.username)", detail: "演示账号"), in: tx)
            }
            accountsAdded.append(demo.username)
        }
        _ = try await services.seedCatalogIfEmpty()
        let eventsAdded = events > 0
            ? try await DemoEvents(repos: repos, index: services.index, calendars: services.events.calendars).load(territory: territory, count: events)
            : 0
        let registered = registers
            ? try await DemoRegistersLoader(store: services.registers, now: services.events.now())
                .load(DemoRegisters.generate(for: territory))
            : nil
        return Result(territory: territory, gridsWritten: newGrids.count, staffAdded: staffAdded, accountsAdded: accountsAdded,
                      eventsAdded: eventsAdded, peopleAdded: registered?.people ?? 0, housesAdded: registered?.houses ?? 0,
                      rolesAdded: registered?.roles ?? 0)
    }
}
