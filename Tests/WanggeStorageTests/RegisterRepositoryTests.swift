import SQLKit
import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

/// Registers on both engines: sealed personal data, upserts that leave unchanged rows alone,
/// subtree filters, residence history, roles and the 底数清 counts.
@Suite("Register repositories")
struct RegisterRepositoryTests {
    static let cipher = try! PersonalDataCipher(key: Array(repeating: 7, count: 32))

    static func person(_ name: String, _ id: String, sex: Sex, born: String, grid: GridCode, phone: String? = nil,
                       kind: PersonKind = .registered) -> Person {
        Person(name: name, certificateNumber: id, sex: sex, birthDate: try! Day(born), ethnicity: "01", phone: phone,
               grid: grid, kind: kind, inflowReason: kind == .floating ? "01" : nil)
    }

    static let people = [
        person("张三", "52039919850312001X", sex: .male, born: "1985-03-12", grid: TestTerritory.east1, phone: "13800001111"),
        person("张丽", "520399199001010026", sex: .female, born: "1990-01-01", grid: TestTerritory.east2),
        person("李四", "510102197809090048", sex: .female, born: "1978-09-09", grid: TestTerritory.west1, phone: "13900002222",
               kind: .floating),
    ]

    @Test("people are sealed at rest, found by number, phone and name prefix, and upserts report what changed", arguments: TestEngines.all)
    func people(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let store = RegisterStore(db, cipher: Self.cipher)
            let first = try await db.transaction { try await store.people.upsert(Self.people, now: 1, in: $0) }
            #expect(first.map(\.outcome) == [.created, .created, .created])

            // Nothing in the table gives the numbers or phones away.
            for row in try await db.sql.raw("SELECT * FROM persons").all() {
                let cipherText = try row.decode(column: "cert_cipher", as: String.self)
                #expect(!cipherText.contains("5203") && !cipherText.contains("5101"))
                #expect(try row.decode(column: "cert_hash", as: String.self).count == 32)
            }
            let dump = try await db.sql.raw("SELECT * FROM persons").all().map { row in
                try ["cert_cipher", "cert_hash", "phone_cipher", "phone_hash"].map { try row.decodeNil(column: $0) ? "" : row.decode(column: $0, as: String.self) }.joined()
            }.joined()
            #expect(!dump.contains("52039919850312001X") && !dump.contains("13800001111"))

            let found = try #require(try await store.people.find(certificateNumber: "52039919850312001X"))
            let born = try Day("1985-03-12")
            #expect(found.name == "张三" && found.phone == "13800001111" && found.birthDate == born)
            #expect(try await store.people.search(PersonQuery(range: nil, phone: "13900002222")).people.map(\.name) == ["李四"])
            let zhang = try await store.people.search(PersonQuery(range: nil, namePrefix: "张"))
            #expect(zhang.total == 2 && Set(zhang.people.map(\.name)) == ["张三", "张丽"])

            // The same again changes nothing; one edit is an update.
            let again = try await db.transaction { try await store.people.upsert(Self.people, now: 2, in: $0) }
            #expect(again.map(\.outcome) == [.unchanged, .unchanged, .unchanged])
            #expect(again.map(\.id) == first.map(\.id))
            var changed = Self.people
            changed[1].phone = "13700003333"
            let moved = changed
            let third = try await db.transaction { try await store.people.upsert(moved, now: 3, in: $0) }
            #expect(third.map(\.outcome) == [.unchanged, .updated, .unchanged])
            #expect(try await store.people.find(id: third[1].id)?.phone == "13700003333")
        }
    }

    @Test("territory: a subtree query sees only its own people", arguments: TestEngines.all)
    func subtree(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let store = RegisterStore(db, cipher: Self.cipher)
            _ = try await db.transaction { try await store.people.upsert(Self.people, now: 1, in: $0) }
            let east = try await store.people.search(PersonQuery(range: TestTerritory.east.range))
            #expect(east.total == 2 && Set(east.people.map(\.name)) == ["张三", "张丽"])
            let west = try await store.people.search(PersonQuery(range: TestTerritory.west.range, namePrefix: "张"))
            #expect(west.total == 0)
            let floating = try await store.people.search(PersonQuery(range: nil, kind: .floating))
            #expect(floating.people.map(\.name) == ["李四"])
        }
    }

    @Test("buildings and houses upsert by code; residents keep their history; roles and counts", arguments: TestEngines.all)
    func places(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let store = RegisterStore(db, cipher: Self.cipher)
            let building = Building(code: "B001", name: "红旗小区1栋", address: "红旗路1号1栋", grid: TestTerritory.east1, use: "01",
                                    floors: 6, units: 2, lon: 106.05, lat: 28.1)
            let b = try await db.transaction { try await store.places.upsertBuildings([building], now: 1, in: $0) }
            #expect(b.map(\.outcome) == [.created])
            let houses = [
                House(code: "H0001", buildingID: b[0].id, grid: TestTerritory.east1, unit: "1", floor: 1, room: "101",
                      address: "红旗路1号1栋1单元101", use: "01", area: 88.5),
                House(code: "H0002", buildingID: b[0].id, grid: TestTerritory.east1, unit: "1", floor: 1, room: "102",
                      address: "红旗路1号1栋1单元102", use: "01", rentalUse: "02", area: 60),
            ]
            let h = try await db.transaction { try await store.places.upsertHouses(houses, now: 1, in: $0) }
            #expect(h.map(\.outcome) == [.created, .created])
            let same = try await db.transaction { try await store.places.upsertHouses(houses, now: 2, in: $0) }
            #expect(same.map(\.outcome) == [.unchanged, .unchanged])
            #expect(try await store.places.house(code: "H0002")?.isRented == true)
            #expect(try await store.places.houses(buildingID: b[0].id).map(\.room) == ["101", "102"])
            let rented = try await store.places.houses(in: TestTerritory.east.range, addressContains: "102", rentedOnly: true, offset: 0, limit: 10)
            #expect(rented.total == 1)

            let p = try await db.transaction { try await store.people.upsert(Self.people, now: 1, in: $0) }
            let tie = Residence(personID: p[0].id, houseID: h[0].id, role: .owner, movedIn: try Day("2015-05-01"))
            #expect(try await db.transaction { try await store.residences.record([tie], in: $0) } == [.created])
            #expect(try await db.transaction { try await store.residences.record([tie], in: $0) } == [.unchanged])
            var leaving = tie
            leaving.movedOut = try Day("2024-06-30")
            let out = leaving
            #expect(try await db.transaction { try await store.residences.record([out], in: $0) } == [.updated])
            let back = Residence(personID: p[0].id, houseID: h[0].id, role: .tenant, movedIn: try Day("2025-01-01"))
            #expect(try await db.transaction { try await store.residences.record([back], in: $0) } == [.created])
            let history = try await store.residences.residences(houseID: h[0].id)
            #expect(history.map(\.role) == [.tenant, .owner])
            #expect(history.map(\.isCurrent) == [true, false])

            let role = PopulationRole(personID: p[2].id, kind: "correction", grid: TestTerritory.west1, attention: "01",
                                      visitEveryDays: 7, fields: ["category": "02"], since: try Day("2026-01-05"))
            #expect(try await db.transaction { try await store.roles.upsert([role], now: 1, in: $0) }.map(\.outcome) == [.created])
            #expect(try await db.transaction { try await store.roles.upsert([role], now: 2, in: $0) }.map(\.outcome) == [.unchanged])
            #expect(try await store.roles.list(in: TestTerritory.east.range, kind: nil, offset: 0, limit: 10).total == 0)
            #expect(try await store.roles.roles(personID: p[2].id).first?.fields == ["category": "02"])

            let counts = try await store.counts.counts(in: TestTerritory.county.range, groupLength: 9)
            func count(_ node: GridCode, _ category: String) -> Int {
                counts.first { $0.node == node.value.prefix(9) && $0.category == category }?.count ?? 0
            }
            #expect(count(TestTerritory.east, "person:registered") == 2)
            #expect(count(TestTerritory.west, "person:floating") == 1)
            #expect(count(TestTerritory.east, "house") == 2 && count(TestTerritory.east, "house:rented") == 1)
            #expect(count(TestTerritory.east, "building") == 1)
            #expect(count(TestTerritory.west, "role:correction") == 1)
        }
    }

    @Test("the audit chain verifies, and an edited, deleted or out-of-chain entry is named", arguments: TestEngines.all)
    func auditChain(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            for i in 1...5 {
                try await db.transaction { tx in
                    try await repos.audit.append(AuditEntry(at: Int64(i), actorID: 1, actor: "admin", action: "person_revealed",
                                                            target: "person:\(i)", detail: "身份证号：核查", ip: "127.0.0.1",
                                                            scope: TestTerritory.county), in: tx)
                }
            }
            let intact = try await AuditChain.verify(db.sql)
            #expect(intact.isIntact && intact.checked == 5)

            let ids = try await db.sql.raw("SELECT id FROM audit_log ORDER BY id").all().map { try $0.decode(column: "id", as: Int64.self) }
            try await db.sql.raw("UPDATE audit_log SET detail = '改过' WHERE id = \(bind: ids[2])").run()
            let edited = try await AuditChain.verify(db.sql)
            #expect(edited.broken?.id == ids[2] && edited.checked == 2)
            #expect(edited.broken?.reason.contains("改动") == true)

            try await db.sql.raw("DELETE FROM audit_log WHERE id = \(bind: ids[2])").run()
            let deleted = try await AuditChain.verify(db.sql)
            #expect(deleted.broken?.id == ids[3])

            try await db.sql.raw("DELETE FROM audit_log").run()
            try await db.sql.raw("INSERT INTO audit_log (at, action) VALUES (1, 'forged')").run()
            #expect(try await AuditChain.verify(db.sql).broken != nil)
        }
    }
}
