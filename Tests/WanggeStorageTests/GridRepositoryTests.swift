import SQLKit
import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("Grid repository")
struct GridRepositoryTests {
    @Test("upsert, find, children, subtree by range", arguments: TestEngines.all)
    func tree(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            let before = try await repos.grids.version()
            try await db.transaction { try await repos.grids.upsert(TestTerritory.grids, in: $0) }
            #expect(try await repos.grids.version() != before)

            let east1 = try #require(try await repos.grids.find(TestTerritory.east1))
            #expect(east1 == TestTerritory.grids.first { $0.code == TestTerritory.east1 })
            #expect(east1.boundary?.boundingBox == BoundingBox(minLon: 106.0, minLat: 28.0, maxLon: 106.1, maxLat: 28.2))

            let roots = try await repos.grids.roots()
            #expect(roots.map(\.grid.code) == [TestTerritory.county])
            #expect(roots[0].childCount == 2)
            let children = try await repos.grids.children(of: TestTerritory.county)
            #expect(children.map(\.grid.code) == [TestTerritory.east, TestTerritory.west])
            #expect(children.allSatisfy { $0.grid.boundary == nil })

            let eastSubtree = try await repos.grids.subtree(TestTerritory.east.range, withBoundaries: false)
            #expect(eastSubtree.map(\.code) == [TestTerritory.east, TestTerritory.eastCommunity, TestTerritory.east1, TestTerritory.east2])
            #expect(try await repos.grids.subtree(nil, withBoundaries: true).count == TestTerritory.grids.count)
            #expect(try await repos.grids.find([TestTerritory.west2, TestTerritory.county]).map(\.code)
                    == [TestTerritory.county, TestTerritory.west2])
        }
    }

    @Test("upserting again replaces by code; attribute update", arguments: TestEngines.all)
    func update(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            try await db.transaction { try await repos.grids.upsert(TestTerritory.grids, in: $0) }
            var changed = TestTerritory.grids.first { $0.code == TestTerritory.west2 }!
            changed.name = "桃林村第二网格"
            changed.boundary = nil
            let replacement = changed
            try await db.transaction { try await repos.grids.upsert([replacement], in: $0) }
            #expect(try await repos.grids.find(TestTerritory.west2) == replacement)
            try await db.transaction {
                try await repos.grids.updateAttributes(TestTerritory.west2, name: "桃林村2组", households: 12, population: 34, in: $0)
            }
            let g = try #require(try await repos.grids.find(TestTerritory.west2))
            #expect((g.name, g.households, g.population) == ("桃林村2组", 12, 34))
            #expect(try await repos.grids.subtree(nil, withBoundaries: false).count == TestTerritory.grids.count)
        }
    }

    @Test("a failing transaction writes nothing", arguments: TestEngines.all)
    func rollback(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            var orphan = TestTerritory.grids[1]
            orphan.parent = try GridCode("520399999000")  // no such parent: the foreign key refuses it
            let rows = [TestTerritory.grids[0], orphan]
            await #expect(throws: (any Error).self) {
                try await db.transaction { try await repos.grids.upsert(rows, in: $0) }
            }
            #expect(try await repos.grids.subtree(nil, withBoundaries: false).isEmpty)
        }
    }

    @Test("size norms per county", arguments: TestEngines.all)
    func norms(engine: DatabaseEngine) async throws {
        try await withTestDatabase(engine) { db in
            let repos = Repositories(db)
            #expect(try await repos.grids.norms(county: "520399") == nil)
            let norms = SizeNorms(urbanHouseholds: 500, urbanPopulation: 1500, ruralHouseholds: 250, ruralPopulation: 600)
            try await db.transaction { try await repos.grids.setNorms(norms, county: "520399", in: $0) }
            try await db.transaction { try await repos.grids.setNorms(norms, county: "520399", in: $0) }
            #expect(try await repos.grids.norms(county: "520399") == norms)
        }
    }
}
