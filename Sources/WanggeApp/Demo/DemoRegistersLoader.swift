import WanggeCore
import WanggeDemo
import WanggeStorage

/// Writes the demo county's registers: buildings, houses, people with their houses and
/// households, roles, organisations and components. Skipped when people exist already, so
/// that running the demo again changes nothing.
struct DemoRegistersLoader: Sendable {
    let store: RegisterStore
    let now: Int64

    struct Counts: Sendable {
        var buildings = 0
        var houses = 0
        var people = 0
        var roles = 0
        var organisations = 0
        var components = 0
    }

    func load(_ registers: DemoRegisters) async throws -> Counts? {
        guard try await store.people.search(PersonQuery(range: nil, limit: 1)).total == 0 else { return nil }
        // The demo writes role fields by label, as a person would type them; they are stored as codes.
        let kinds = PopulationRoleKinds.standard
        let roles = try registers.roles.map { role -> PopulationRole in
            guard let kind = kinds[role.kind] else { throw StoredDataError("演示数据中的人群类别无效：\(role.kind)") }
            var normalised = role
            switch kind.normalise(fields: role.fields, tables: .standard) {
            case .success(let fields): normalised.fields = fields
            case .failure(let errors): throw StoredDataError("演示数据中的\(kind.label)字段无效：\(errors)")
            }
            return normalised
        }
        let stamp = now
        return try await store.database.transaction { tx in
            let buildingIDs = try await store.places.upsertBuildings(registers.buildings, now: stamp, in: tx).map(\.id)
            let houses = registers.houses.map { h -> House in
                var house = h
                house.buildingID = buildingIDs[Int(h.buildingID)]
                return house
            }
            let houseIDs = try await store.places.upsertHouses(houses, now: stamp, in: tx).map(\.id)
            let personIDs = try await store.people.upsert(registers.people, now: stamp, in: tx).map(\.id)
            _ = try await store.residences.record(registers.residences.map {
                Residence(personID: personIDs[Int($0.personID)], houseID: houseIDs[Int($0.houseID)], role: $0.role,
                          movedIn: $0.movedIn, movedOut: $0.movedOut)
            }, in: tx)
            try await store.residences.insertHouseholds(registers.households.map { h in
                Household(number: h.number, houseID: h.houseID.map { houseIDs[Int($0)] }, grid: h.grid,
                          headPersonID: personIDs[Int(h.headPersonID)],
                          members: h.members.map { HouseholdMember(personID: personIDs[Int($0.personID)], relation: $0.relation) })
            }, in: tx)
            _ = try await store.roles.upsert(roles.map { r in
                var role = r
                role.personID = personIDs[Int(r.personID)]
                return role
            }, now: stamp, in: tx)
            _ = try await store.organisations.upsert(registers.organisations, now: stamp, in: tx)
            _ = try await store.organisations.upsertComponents(registers.components, now: stamp, in: tx)
            return Counts(buildings: buildingIDs.count, houses: houseIDs.count, people: personIDs.count, roles: roles.count,
                          organisations: registers.organisations.count, components: registers.components.count)
        }
    }
}
