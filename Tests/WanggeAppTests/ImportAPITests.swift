import Foundation
import Testing
import WanggeCore
import WanggeStorage
import WanggeTestSupport

@Suite("HTTP: GeoJSON import and export of the grid tree")
struct ImportAPITests {
    static func feature(_ code: String, parent: String?, name: String, level: String, type: String,
                        ring: [[Double]]) -> [String: Any] {
        [
            "type": "Feature",
            "properties": ["code": code, "parent": parent as Any, "name": name, "level": level, "type": type],
            "geometry": ["type": "Polygon", "coordinates": [ring]],
        ]
    }

    static let gapRing: [[Double]] = [[106.1, 28.1], [106.2, 28.1], [106.2, 28.2], [106.1, 28.2], [106.1, 28.1]]

    @Test("export then import round-trips, and a new grid fills the gap", arguments: TestEngines.all)
    func roundTrip(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.admin)
            let exported = try await h.get("/api/v1/grids/export", as: t)
            #expect(exported.status == .ok)
            #expect(exported.headers[.contentDisposition]?.contains("grids-520399000000.geojson") == true)
            let again = try await h.send(.post, "/api/v1/grids/import", token: t, body: exported.body)
            #expect(again.status == .ok, "\(again.text)")
            #expect(again.json["created"] as? Int == 0)
            #expect(again.json["updated"] as? Int == TestTerritory.grids.count)
            #expect(try await h.get("/api/v1/grids/export", as: t).body == exported.body)

            let newGrid = Self.feature(TestTerritory.east3.value, parent: TestTerritory.eastCommunity.value, name: "红旗社区第3网格",
                                       level: "grid", type: "小区型", ring: Self.gapRing)
            let created = try await h.send(.post, "/api/v1/grids/import", token: t,
                                           json: ["type": "FeatureCollection", "features": [newGrid]])
            #expect(created.json["created"] as? Int == 1)
            // The spatial index follows at once.
            let located = try await h.get("/api/v1/grids/locate?lat=28.15&lon=106.15", as: t)
            #expect((located.json["grid"] as? [String: Any])?["code"] as? String == TestTerritory.east3.value)
            #expect(try await h.repos.audit.list(in: nil, action: "grids_imported", before: nil, limit: 5).count == 2)
        }
    }

    @Test("a file with bad features is rejected whole, with each feature's index and reason", arguments: TestEngines.all)
    func rejected(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            let t = try await h.login(.admin)
            let good = Self.feature(TestTerritory.east3.value, parent: TestTerritory.eastCommunity.value, name: "红旗社区第3网格",
                                    level: "grid", type: "estate", ring: Self.gapRing)
            // Overlaps 东1 (106.0–106.1) by half.
            let overlapping = Self.feature("520399001001004", parent: TestTerritory.eastCommunity.value, name: "重叠网格",
                                           level: "grid", type: "estate",
                                           ring: [[106.05, 28.1], [106.1, 28.1], [106.1, 28.2], [106.05, 28.2], [106.05, 28.1]])
            let orphan = Self.feature("520399001009001", parent: "520399001009", name: "无上级", level: "grid", type: "estate",
                                      ring: Self.gapRing)
            let unclosed = Self.feature("520399001001005", parent: TestTerritory.eastCommunity.value, name: "未闭合", level: "grid",
                                        type: "estate", ring: [[106.1, 28.1], [106.2, 28.1], [106.2, 28.2], [106.1, 28.2]])
            let res = try await h.send(.post, "/api/v1/grids/import", token: t,
                                       json: ["type": "FeatureCollection", "features": [good, overlapping, orphan, unclosed]])
            #expect(res.status == .badRequest)
            #expect(res.errorCode == "invalid_features")
            let items = try #require(res.error["items"] as? [[String: Any]])
            #expect(items.compactMap { $0["index"] as? Int } == [1, 2, 3])
            #expect((items[1]["field"] as? String) == "parent")
            // Nothing was written, not even the good feature.
            #expect(try await h.repos.grids.find(TestTerritory.east3) == nil)
            #expect(try await h.repos.audit.list(in: nil, action: "grids_imported", before: nil, limit: 5).isEmpty)

            let notJSON = try await h.send(.post, "/api/v1/grids/import", token: t, body: Data("hello".utf8))
            #expect(notJSON.status == .badRequest)
            #expect((notJSON.error["items"] as? [[String: Any]])?.first?["index"] as? Int == -1)
            let empty = try await h.send(.post, "/api/v1/grids/import", token: t, json: ["type": "FeatureCollection", "features": []])
            #expect(empty.status == .badRequest)
        }
    }

    @Test("only administrators import", arguments: TestEngines.all)
    func permissions(engine: DatabaseEngine) async throws {
        try await Harness.run(engine) { h in
            for who in [Login.jiedao, .lingdao, .gongan, .wangzhang] {
                let t = try await h.login(who)
                let res = try await h.send(.post, "/api/v1/grids/import", token: t, json: ["type": "FeatureCollection", "features": []])
                #expect(res.status == .forbidden, "\(who)")
            }
        }
    }
}
