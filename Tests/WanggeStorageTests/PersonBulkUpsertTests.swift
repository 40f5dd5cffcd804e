import SQLKit
import Testing
import WanggeCore
import WanggeDemo
import WanggeStorage
import WanggeTestSupport

/// The engines' bulk paths for people (SQLite: ids known before the INSERT; PostgreSQL: ids
/// drawn from the sequence, rows sent by COPY) over more rows than one batch.
@Suite("Person bulk upsert")
struct PersonBulkUpsertTests {
    static let grids = [TestTerritory.east1, TestTerritory.east2, TestTerritory.west1]

    @Test("thousands at once: the ids returned are the stored ones; new, unchanged and changed rows mixed; a duplicate writes nothing",
          arguments: TestEngines.all)
    func bulk(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let store = RegisterStore(db, cipher: RegisterRepositoryTests.cipher)
            let people = DemoRegisters.people(count: 2_600, in: Self.grids, seed: 11)
            let older = Array(people.prefix(1_500))
            let first = try await db.transaction { try await store.people.upsert(older, now: 1, in: $0) }
            #expect(first.count == 1_500 && first.allSatisfy { $0.outcome == .created })
            #expect(Set(first.map(\.id)).count == 1_500)
            for i in stride(from: 0, to: 1_500, by: 149) {
                #expect(try await store.people.find(certificateNumber: older[i].certificateNumber)?.id == first[i].id)
            }

            // The old ones again, every 100th renamed, followed by new ones: the batches mix all three outcomes.
            var mixed = people
            for i in stride(from: 0, to: 1_500, by: 100) { mixed[i].name += "改" }
            let edited = mixed
            let second = try await db.transaction { try await store.people.upsert(edited, now: 2, in: $0) }
            for (i, result) in second.enumerated() {
                let expected: UpsertOutcome = i >= 1_500 ? .created : (i % 100 == 0 ? .updated : .unchanged)
                #expect(result.outcome == expected, "row \(i)")
                if i < 1_500 { #expect(result.id == first[i].id, "row \(i)") }
            }
            for i in stride(from: 0, to: 2_600, by: 211) {
                let stored = try #require(try await store.people.find(certificateNumber: edited[i].certificateNumber))
                #expect(stored.id == second[i].id && stored.name == edited[i].name && stored.phone == edited[i].phone)
            }
            let total = try await store.people.search(PersonQuery(range: nil, limit: 1)).total
            #expect(total == 2_600)

            // A certificate number twice in one call fails, and the transaction leaves nothing behind.
            let twice = Array(DemoRegisters.people(count: 3, in: Self.grids, seed: 99_991).prefix(1))
            let duplicated = twice + twice
            await #expect(throws: (any Error).self) {
                try await db.transaction { try await store.people.upsert(duplicated, now: 3, in: $0) }
            }
            #expect(try await store.people.search(PersonQuery(range: nil, limit: 1)).total == 2_600)

            // Told that all are new, the upsert looks nobody up: a stored one makes it fail, and nothing is written.
            let newcomers = Array(DemoRegisters.people(count: 3, in: Self.grids, seed: 424_242))
            let withAStoredOne = (newcomers + [edited[7]]).map(store.people.prepare)
            await #expect(throws: (any Error).self) {
                try await db.transaction { try await store.people.upsert(prepared: withAStoredOne, now: 3, assumingNew: true, in: $0) }
            }
            #expect(try await store.people.search(PersonQuery(range: nil, limit: 1)).total == 2_600)
            #expect(try await store.people.isEmpty(in: db.sql) == false)
            let onlyNew = newcomers.map(store.people.prepare)
            let assumed = try await db.transaction { try await store.people.upsert(prepared: onlyNew, now: 3, assumingNew: true, in: $0) }
            #expect(assumed.map(\.outcome) == [.created, .created, .created])
            for (p, r) in zip(newcomers, assumed) { #expect(try await store.people.find(certificateNumber: p.certificateNumber)?.id == r.id) }

            // After the bulk paths, an ordinary insert still gets a fresh id.
            let later = try await db.transaction { try await store.people.upsert(twice, now: 4, in: $0) }
            #expect(!assumed.map(\.id).contains(later.first?.id ?? 0))
            #expect(later.first?.outcome == .created && !Set(second.map(\.id)).contains(later.first?.id ?? 0))
        }
    }
}
