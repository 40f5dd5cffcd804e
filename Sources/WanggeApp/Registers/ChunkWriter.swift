import SQLKit
import WanggeCore
import WanggeSheets
import WanggeStorage

/// Validates and writes one chunk of an import inside the import's transaction, checking what
/// each row names against the territory and the database, and remembering the keys seen so far
/// so that a key repeated in the file is reported with the row that had it first.
struct ChunkWriter {
    let store: RegisterStore
    let tx: any SQLDatabase
    let scope: ImportScope
    let now: Int64
    /// No person of the import is stored yet (the register was empty when it began): see
    /// `PersonRepository.upsert(prepared:now:assumingNew:in:)`.
    let assumingNew: Bool
    /// Key → the row that had it first.
    private var seen: [String: Int] = [:]

    init(store: RegisterStore, tx: any SQLDatabase, scope: ImportScope, now: Int64, assumingNew: Bool) {
        self.store = store
        self.tx = tx
        self.scope = scope
        self.now = now
        self.assumingNew = assumingNew
    }

    struct Result {
        var created = 0
        var updated = 0
        var unchanged = 0
        var errors: [RowError] = []

        mutating func count(_ outcomes: [UpsertOutcome]) {
            for o in outcomes {
                switch o {
                case .created: created += 1
                case .updated: updated += 1
                case .unchanged: unchanged += 1
                }
            }
        }
    }

    /// Writes rows already parsed by `RegisterImporter.parse`, in file order.
    mutating func write(_ rows: [ParsedSheetRow], sheet: RegisterSheet) async throws -> Result {
        var result = Result()
        var records: [(row: Int, record: SheetRecord)] = []
        var persons: [PersonCandidate] = []
        for i in rows.indices {
            switch rows[i].parsed {
            case .empty: continue
            case .rejected(let errors): result.errors += errors
            case .record(.person(let record)):
                persons.append(PersonCandidate(row: rows[i].number, index: i, person: record.person, residence: record.residence))
            case .record(let record): records.append((rows[i].number, record))
            }
        }
        func header(_ field: String) -> String? { sheet.columns.first { $0.field == field }?.header }
        func reject(_ row: Int, _ field: String?, _ message: String) {
            result.errors.append(RowError(row: row, column: field.flatMap(header), message))
        }
        /// False (and the row rejected) when the key was on an earlier row.
        func firstTime(_ key: String, _ row: Int, _ field: String, _ what: String) -> Bool {
            if let earlier = seen[key] {
                reject(row, field, "与第\(earlier)行\(what)重复")
                return false
            }
            seen[key] = row
            return true
        }
        func grid(_ given: GridCode?, lon: Double?, lat: Double?, row: Int) -> GridCode? {
            let code = given ?? lon.flatMap { lon in lat.flatMap { scope.index.locate(lon: lon, lat: $0) } }
            guard let code else {
                reject(row, given == nil && lon != nil ? "lon" : "grid", lon == nil ? "请填写网格编码或经纬度" : "经纬度不在辖区任何网格内")
                return nil
            }
            guard scope.contains(code) else {
                reject(row, "grid", "网格\(code)不存在或不在您的辖区内")
                return nil
            }
            return code
        }

        switch sheet.kind {
        case .people:
            var people: [PersonCandidate] = []
            people.reserveCapacity(persons.count)
            for entry in persons {
                guard firstTime("p:" + entry.person.certificateNumber, entry.row, "certificateNumber", "证件号码") else { continue }
                guard grid(entry.person.grid, lon: nil, lat: nil, row: entry.row) != nil else { continue }
                people.append(entry)
            }
            let houses = try await store.places.houses(codes: people.compactMap(\.residence?.houseCode), in: tx)
            // Only a territory-bound import needs to know where the existing people are registered.
            var registeredAt: [String: GridCode] = [:]
            if scope.territory != nil {
                let existing = try await store.people.ids(certificateNumbers: people.map(\.person.certificateNumber), in: tx)
                for p in try await store.people.people(ids: Array(existing.values)) { registeredAt[p.certificateNumber] = p.grid }
            }
            var accepted: [PersonCandidate] = []
            accepted.reserveCapacity(people.count)
            for entry in people {
                if let code = entry.residence?.houseCode, houses[code].map({ scope.territory?.contains($0.grid) ?? true }) != true {
                    reject(entry.row, "houseCode", "没有找到房屋\(code)(或不在您的辖区内)")
                    continue
                }
                if let territory = scope.territory, let at = registeredAt[entry.person.certificateNumber], !territory.contains(at) {
                    reject(entry.row, "certificateNumber", "该证件号码已在其他辖区登记；人员迁入请联系上级指挥中心办理")
                    continue
                }
                accepted.append(entry)
            }
            // What `RegisterImporter.parse` prepared is taken from the chunk once, here.
            let ready = accepted.map { rows[$0.index].prepared ?? store.people.prepare($0.person) }
            let saved = try await store.people.upsert(prepared: ready, now: now, assumingNew: assumingNew, in: tx)
            result.count(saved.map(\.outcome))
            var ties: [Residence] = []
            for (entry, person) in zip(accepted, saved) {
                if let link = entry.residence, let house = houses[link.houseCode] {
                    ties.append(Residence(personID: person.id, houseID: house.id ?? 0, role: link.role, movedIn: link.movedIn, movedOut: link.movedOut))
                }
            }
            _ = try await store.residences.record(ties, in: tx)

        case .buildings:
            var buildings: [Building] = []
            var rowsOf: [Int] = []
            for case let (row, .building(draft)) in records {
                guard firstTime("b:" + draft.code, row, "code", "楼栋编码"), let code = grid(draft.grid, lon: draft.lon, lat: draft.lat, row: row) else { continue }
                buildings.append(draft.building(in: code))
                rowsOf.append(row)
            }
            let stored = try await store.places.buildings(codes: buildings.map(\.code), in: tx)
            var accepted: [Building] = []
            for (b, row) in zip(buildings, rowsOf) {
                if let old = stored[b.code], let territory = scope.territory, !territory.contains(old.grid) {
                    reject(row, "code", "楼栋编码\(b.code)已被辖区外的楼栋使用")
                } else {
                    accepted.append(b)
                }
            }
            result.count(try await store.places.upsertBuildings(accepted, now: now, in: tx).map(\.outcome))

        case .houses:
            let drafts = records.compactMap { r -> (Int, HouseDraft)? in if case .house(let d) = r.record { (r.row, d) } else { nil } }
            let buildings = try await store.places.buildings(codes: drafts.map(\.1.buildingCode), in: tx)
            var houses: [House] = []
            for (row, draft) in drafts {
                guard let building = buildings[draft.buildingCode], scope.territory?.contains(building.grid) ?? true else {
                    reject(row, "buildingCode", "没有找到楼栋\(draft.buildingCode)(或不在您的辖区内)")
                    continue
                }
                let house = RegisterImporter.house(from: draft, in: building)
                guard firstTime("h:" + house.code, row, draft.code == nil ? "room" : "code", "房屋") else { continue }
                houses.append(house)
            }
            let stored = try await store.places.houses(codes: houses.map(\.code), in: tx)
            let foreign = Set(stored.values.filter { h in !(scope.territory?.contains(h.grid) ?? true) }.map(\.code))
            for code in foreign {
                if let row = seen["h:" + code] { reject(row, "code", "房屋编码\(code)已被辖区外的房屋使用") }
            }
            result.count(try await store.places.upsertHouses(houses.filter { !foreign.contains($0.code) }, now: now, in: tx).map(\.outcome))

        case .residences:
            let drafts = records.compactMap { r -> (Int, ResidenceDraft)? in if case .residence(let d) = r.record { (r.row, d) } else { nil } }
            let houses = try await store.places.houses(codes: drafts.map(\.1.houseCode), in: tx)
            let people = try await visiblePeople(drafts.map(\.1.certificateNumber))
            var ties: [Residence] = []
            for (row, d) in drafts {
                guard let house = houses[d.houseCode], scope.territory?.contains(house.grid) ?? true else {
                    reject(row, "houseCode", "没有找到房屋\(d.houseCode)(或不在您的辖区内)")
                    continue
                }
                guard let person = people[d.certificateNumber] else {
                    reject(row, "certificateNumber", "该证件号码尚未登记为辖区内的实有人口")
                    continue
                }
                guard firstTime("r:\(person.id ?? 0)/\(house.id ?? 0)", row, "houseCode", "人房关系") else { continue }
                ties.append(Residence(personID: person.id ?? 0, houseID: house.id ?? 0, role: d.role, movedIn: d.movedIn, movedOut: d.movedOut))
            }
            result.count(try await store.residences.record(ties, in: tx))

        case .roles:
            let drafts = records.compactMap { r -> (Int, RoleDraft)? in if case .role(let d) = r.record { (r.row, d) } else { nil } }
            let people = try await visiblePeople(drafts.map(\.1.certificateNumber))
            var roles: [PopulationRole] = []
            for (row, d) in drafts {
                guard let person = people[d.certificateNumber] else {
                    reject(row, "certificateNumber", "该证件号码尚未登记为辖区内的实有人口，请先导入实有人口")
                    continue
                }
                if let name = d.name, name != person.name {
                    reject(row, "name", "姓名“\(name)”与该证件号码登记的姓名不符")
                    continue
                }
                guard firstTime("role:\(d.kind)/\(d.certificateNumber)", row, "certificateNumber", "人员") else { continue }
                roles.append(d.role(personID: person.id ?? 0, grid: person.grid))
            }
            result.count(try await store.roles.upsert(roles, now: now, in: tx).map(\.outcome))

        case .organisations:
            var organisations: [Organisation] = []
            for case let (row, .organisation(d)) in records {
                guard firstTime("o:" + d.creditCode, row, "creditCode", "统一社会信用代码"), let code = grid(d.grid, lon: d.lon, lat: d.lat, row: row) else { continue }
                organisations.append(d.organisation(in: code))
            }
            let filedAt = try await store.organisations.grids(creditCodes: organisations.map(\.creditCode), in: tx)
            let outside = Set(filedAt.filter { !(scope.territory?.contains($0.value) ?? true) }.keys)
            for code in outside { if let row = seen["o:" + code] { reject(row, "creditCode", "统一社会信用代码\(code)已登记在您的辖区外") } }
            result.count(try await store.organisations.upsert(organisations.filter { !outside.contains($0.creditCode) }, now: now, in: tx).map(\.outcome))

        case .components:
            var components: [Component] = []
            for case let (row, .component(d)) in records {
                guard firstTime("c:" + d.code, row, "code", "部件编码"), let code = grid(d.grid, lon: d.lon, lat: d.lat, row: row) else { continue }
                components.append(Component(code: d.code, grid: code, state: d.state, owner: d.owner, lon: d.lon, lat: d.lat))
            }
            let filedAt = try await store.organisations.grids(componentCodes: components.map(\.code), in: tx)
            let outside = Set(filedAt.filter { !(scope.territory?.contains($0.value) ?? true) }.keys)
            for code in outside { if let row = seen["c:" + code] { reject(row, "code", "部件编码\(code)已登记在您的辖区外") } }
            result.count(try await store.organisations.upsertComponents(components.filter { !outside.contains($0.code) }, now: now, in: tx).map(\.outcome))
        }
        result.errors.sort { ($0.row, $0.column ?? "") < ($1.row, $1.column ?? "") }
        return result
    }

    /// A person row of a chunk while it is checked: where it is, and what the checks read.
    private struct PersonCandidate {
        var row: Int
        /// In the chunk, where the prepared person waits.
        var index: Int
        var person: Person
        var residence: ResidenceDraft?
    }

    /// People by certificate number, only those inside the territory.
    private func visiblePeople(_ numbers: [String]) async throws -> [String: Person] {
        let ids = try await store.people.ids(certificateNumbers: numbers, in: tx)
        let people = try await store.people.people(ids: Array(ids.values))
        var result: [String: Person] = [:]
        for p in people where scope.territory?.contains(p.grid) ?? true { result[p.certificateNumber] = p }
        return result
    }
}
