import Foundation
import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("HTTP: grids, map, point→grid, norms, staffing, territory")
struct GridsAPITests {
    @Test("browse: root, children, detail with ancestors, roster, norm and boundary", arguments: TestEngines.all)
    func browse(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.admin)
            let roots = try await h.get("/api/v1/grids", as: t)
            #expect(roots.items.strings("code") == [TestTerritory.county.value])
            #expect(roots.items.first?["childCount"] as? Int == 2)
            let children = try await h.get("/api/v1/grids/\(TestTerritory.county)/children", as: t)
            #expect(children.items.strings("name") == ["东城街道", "西山镇"])

            let detail = try await h.get("/api/v1/grids/\(TestTerritory.east1)", as: t)
            #expect(detail.status == .ok)
            #expect((detail.json["ancestors"] as? [[String: Any]])?.strings("code")
                    == [TestTerritory.county, TestTerritory.east, TestTerritory.eastCommunity].map(\.value))
            let roster = try #require(detail.json["roster"] as? [String: Any])
            #expect(roster["label"] as? String == "一长二员")
            #expect((detail.json["staff"] as? [[String: Any]])?.strings("roleLabel") == ["网格长", "专职网格员", "网格警务员"])
            let norm = try #require(detail.json["norm"] as? [String: Any])
            #expect(norm["within"] as? Bool == false)
            #expect(norm["message"] as? String == "420户/1300人，超过城市网格标准300户或1000人")
            #expect((detail.json["boundary"] as? [String: Any])?["type"] as? String == "Polygon")

            let west2 = try await h.get("/api/v1/grids/\(TestTerritory.west2)", as: t)
            #expect((west2.json["norm"] as? [String: Any])?["within"] as? Bool == true)
            #expect((west2.json["roster"] as? [String: Any])?["hasLeader"] as? Bool == false)

            #expect(try await h.get("/api/v1/grids/520399999999001", as: t).status == .notFound)
            #expect(try await h.get("/api/v1/grids/not-a-code", as: t).status == .notFound)
        }
    }

    @Test("map: the node and its children as GeoJSON", arguments: TestEngines.all)
    func map(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.admin)
            let res = try await h.get("/api/v1/grids/\(TestTerritory.eastCommunity)/map", as: t)
            #expect(res.headers[.contentType]?.hasPrefix("application/geo+json") == true)
            #expect(res.json["type"] as? String == "FeatureCollection")
            let features = try #require(res.json["features"] as? [[String: Any]])
            let codes = features.compactMap { ($0["properties"] as? [String: Any])?["code"] as? String }
            #expect(codes == [TestTerritory.eastCommunity, TestTerritory.east1, TestTerritory.east2].map(\.value))
        }
    }

    @Test("locate: deepest grid with ancestors; edges; gaps; outside; bad input", arguments: TestEngines.all)
    func locate(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.admin)
            let inside = try await h.get("/api/v1/grids/locate?lat=28.05&lon=106.35", as: t)
            #expect((inside.json["grid"] as? [String: Any])?["code"] as? String == TestTerritory.west2.value)
            #expect((inside.json["ancestors"] as? [[String: Any]])?.strings("code")
                    == [TestTerritory.county, TestTerritory.west, TestTerritory.westVillage].map(\.value))
            // On the shared edge of 东1 and 东2: the lower code.
            let edge = try await h.get("/api/v1/grids/locate?lat=28.05&lon=106.1", as: t)
            #expect((edge.json["grid"] as? [String: Any])?["code"] as? String == TestTerritory.east1.value)
            // In the gap of 红旗社区: the community itself.
            let gap = try await h.get("/api/v1/grids/locate?lat=28.15&lon=106.15", as: t)
            #expect((gap.json["grid"] as? [String: Any])?["code"] as? String == TestTerritory.eastCommunity.value)
            let outside = try await h.get("/api/v1/grids/locate?lat=30&lon=110", as: t)
            #expect(outside.status == .notFound)
            #expect((outside.error["message"] as? String)?.contains("不在") == true)
            let missing = try await h.get("/api/v1/grids/locate?lon=106.1", as: t)
            #expect(missing.status == .badRequest)
            #expect(missing.errorField == "lat")
            #expect(try await h.get("/api/v1/grids/locate?lat=abc&lon=106.1", as: t).errorField == "lat")
            #expect(try await h.get("/api/v1/grids/locate?lat=28&lon=181", as: t).errorField == "lon")
        }
    }

    @Test("territory: a street operator sees only his street, and 404 for the rest", arguments: TestEngines.all)
    func territory(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let east = try await h.login(.jiedao)
            let west = try await h.login(.xiangzhen)
            #expect(try await h.get("/api/v1/grids", as: east).items.strings("code") == [TestTerritory.east.value])
            #expect(try await h.get("/api/v1/grids", as: west).items.strings("code") == [TestTerritory.west.value])
            for path in ["/api/v1/grids/\(TestTerritory.west1)", "/api/v1/grids/\(TestTerritory.west1)/children",
                         "/api/v1/grids/\(TestTerritory.west1)/map", "/api/v1/grids/\(TestTerritory.west1)/staff",
                         "/api/v1/grids/\(TestTerritory.county)", "/api/v1/grids/staffing?root=\(TestTerritory.west)",
                         "/api/v1/grids/export?root=\(TestTerritory.county)"] {
                let res = try await h.get(path, as: east)
                #expect(res.status == .notFound, "\(path) answered \(res.status)")
                #expect(!res.text.contains("西山"), "\(path) revealed a name")
            }
            #expect(try await h.get("/api/v1/grids/\(TestTerritory.east1)", as: west).status == .notFound)
            // Point→grid stops at the territory, and ancestors above it are not shown.
            #expect(try await h.get("/api/v1/grids/locate?lat=28.05&lon=106.35", as: east).status == .notFound)
            let mine = try await h.get("/api/v1/grids/locate?lat=28.05&lon=106.05", as: east)
            #expect((mine.json["ancestors"] as? [[String: Any]])?.strings("code")
                    == [TestTerritory.east, TestTerritory.eastCommunity].map(\.value))
            let detail = try await h.get("/api/v1/grids/\(TestTerritory.east1)", as: east)
            #expect((detail.json["ancestors"] as? [[String: Any]])?.first?["code"] as? String == TestTerritory.east.value)
            // Lists are filtered.
            let norms = try await h.get("/api/v1/grids/outside-norms", as: east)
            #expect(norms.items.compactMap { ($0["grid"] as? [String: Any])?["code"] as? String } == [TestTerritory.east1.value])
            let exported = try await h.get("/api/v1/grids/export", as: east)
            let features = try #require(exported.json["features"] as? [[String: Any]])
            #expect(features.count == 4)
            // Grid leaders see their own grid only.
            let leader = try await h.login(.wangzhang)
            #expect(try await h.get("/api/v1/grids/\(TestTerritory.east2)", as: leader).status == .notFound)
            #expect(try await h.get("/api/v1/grids/\(TestTerritory.east1)", as: leader).status == .ok)
            // Department staff see the territory their department serves.
            let police = try await h.login(.gongan)
            #expect(try await h.get("/api/v1/grids/\(TestTerritory.west1)", as: police).status == .ok)
        }
    }

    @Test("outside-norms follows the county's own norms", arguments: TestEngines.all)
    func norms(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            let before = try await h.get("/api/v1/grids/outside-norms", as: admin)
            #expect(before.items.compactMap { ($0["grid"] as? [String: Any])?["code"] as? String }
                    == [TestTerritory.east1, TestTerritory.west1].map(\.value))
            let defaults = try await h.get("/api/v1/norms/520399", as: admin)
            #expect(defaults.json["isDefault"] as? Bool == true)
            let loose = ["urbanHouseholds": 500, "urbanPopulation": 1500, "ruralHouseholds": 400, "ruralPopulation": 1000]
            #expect(try await h.send(.put, "/api/v1/norms/520399", token: admin, json: loose).status == .ok)
            #expect(try await h.get("/api/v1/grids/outside-norms", as: admin).items.isEmpty)
            #expect(try await h.get("/api/v1/norms/520399", as: admin).json["isDefault"] as? Bool == false)
            let bad = try await h.send(.put, "/api/v1/norms/520399", token: admin, json: loose.merging(["ruralHouseholds": 0]) { $1 })
            #expect(bad.status == .badRequest)
            #expect(bad.errorField == "ruralHouseholds")
            let op = try await h.login(.jiedao)
            #expect(try await h.get("/api/v1/norms/520399", as: op).status == .ok)
            #expect(try await h.send(.put, "/api/v1/norms/520399", token: op, json: loose).status == .forbidden)
            #expect(try await h.get("/api/v1/norms/110101", as: admin).status == .notFound)
        }
    }

    @Test("staffing: 一长N员 and the grids missing a leader or a worker", arguments: TestEngines.all)
    func staffing(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.admin)
            let all = try await h.get("/api/v1/grids/staffing", as: t)
            #expect(all.json["grids"] as? Int == 4)
            #expect(all.json["withoutLeader"] as? Int == 2)
            #expect(all.json["withoutWorker"] as? Int == 2)
            let noLeader = try await h.get("/api/v1/grids/staffing?missing=leader", as: t)
            #expect(noLeader.items.compactMap { ($0["grid"] as? [String: Any])?["code"] as? String }
                    == [TestTerritory.east2, TestTerritory.west2].map(\.value))
            let noWorker = try await h.get("/api/v1/grids/staffing?missing=worker&root=\(TestTerritory.west)", as: t)
            #expect(noWorker.items.compactMap { ($0["roster"] as? [String: Any])?["label"] as? String } == ["一长零员", "无网格长·零员"])
            #expect(try await h.get("/api/v1/grids/staffing?missing=cat", as: t).errorField == "missing")
        }
    }

    @Test("edit a grid's name and figures: admin only, validated, audited", arguments: TestEngines.all)
    func patch(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let admin = try await h.login(.admin)
            let ok = try await h.send(.patch, "/api/v1/grids/\(TestTerritory.east2)", token: admin,
                                      json: ["name": "红旗社区二网格", "households": 100, "population": 300])
            #expect(ok.status == .ok)
            #expect(try await h.repos.grids.find(TestTerritory.east2)?.name == "红旗社区二网格")
            let negative = try await h.send(.patch, "/api/v1/grids/\(TestTerritory.east2)", token: admin, json: ["households": -1])
            #expect(negative.status == .badRequest)
            #expect(negative.errorField == "households")
            let wrongType = try await h.send(.patch, "/api/v1/grids/\(TestTerritory.east2)", token: admin, json: ["households": "many"])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.errorField == "households")
            let op = try await h.login(.jiedao)
            #expect(try await h.send(.patch, "/api/v1/grids/\(TestTerritory.east2)", token: op, json: ["name": "x"]).status == .forbidden)
            #expect(try await h.send(.patch, "/api/v1/grids/\(TestTerritory.west2)", token: op, json: ["name": "x"]).status == .notFound)
            #expect(try await h.repos.audit.list(in: nil, action: "grid_updated", before: nil, limit: 5).count == 1)
        }
    }
}
