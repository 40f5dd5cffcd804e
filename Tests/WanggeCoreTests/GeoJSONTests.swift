import Foundation
import Testing
@testable import WanggeCore

private func code(_ s: String) -> GridCode { try! GridCode(s) }

private func square(_ lon: Double, _ lat: Double, _ size: Double) -> [Position] {
    [
        Position(lon: lon, lat: lat), Position(lon: lon + size, lat: lat), Position(lon: lon + size, lat: lat + size),
        Position(lon: lon, lat: lat + size), Position(lon: lon, lat: lat),
    ]
}

/// A feature as loose JSON, so that tests can break any part of it.
private func feature(_ properties: [String: Any], geometry: Any = NSNull()) -> [String: Any] {
    ["type": "Feature", "geometry": geometry, "properties": properties]
}

private func collection(_ features: [Any]) -> Data {
    try! JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features])
}

private var goodProperties: [String: Any] {
    [
        "code": "370102001001001", "parent": "370102001001", "name": "第一网格", "level": "grid", "type": "estate",
    ]
}

private var goodPolygon: [String: Any] {
    [
        "type": "Polygon", "coordinates": [[[117.0, 36.0], [117.1, 36.0], [117.1, 36.1], [117.0, 36.0]]],
    ]
}

private func errors(_ data: Data) -> [FeatureError] {
    switch GridGeoJSON.decode(data) {
    case .success(let grids): Issue.record("expected errors, decoded \(grids.count) grids"); return []
    case .failure(let e): return Array(e)
    }
}

private func grids(_ data: Data) throws -> [Grid] {
    try GridGeoJSON.decode(data).get()
}

@Suite("GeoJSON codec of the grid tree")
struct GeoJSONTests {
    @Test func decodesAHandWrittenThreeLevelCollection() throws {
        let text = """
        {"type":"FeatureCollection","name":"解放路","features":[
          {"type":"Feature","id":"370102001000","geometry":{"type":"Polygon","coordinates":[[[117,36],[117.2,36],[117.2,36.2],[117,36.2],[117,36]]]},
           "properties":{"code":"370102001000","parent":null,"name":"解放路街道","level":"township","type":"urban","households":1200,"population":3400}},
          {"type":"Feature","geometry":{"type":"MultiPolygon","coordinates":[[[[117,36],[117.1,36],[117.1,36.1],[117,36.1],[117,36]]],[[[117.15,36.15],[117.2,36.15],[117.2,36.2],[117.15,36.15]]]]},
           "properties":{"code":"370102001001","parent":"370102001000","name":"青年社区","level":"community","type":"urban"}},
          {"type":"Feature","geometry":null,
           "properties":{"code":"370102001001001","parent":"370102001001","name":"第一网格","level":"grid","type":"小区型","households":280,"population":900,"color":"red"}},
          {"type":"Feature",
           "properties":{"code":"370102001000001","parent":"370102001000","name":"实验中学","level":"网格","type":"special","specialKind":"学校"}}
        ]}
        """
        let decoded = try grids(Data(text.utf8))
        #expect(decoded == [
            Grid(code: code("370102001000"), parent: nil, name: "解放路街道", type: .urban,
                 boundary: .polygon(Polygon(rings: [[
                     Position(lon: 117, lat: 36), Position(lon: 117.2, lat: 36), Position(lon: 117.2, lat: 36.2),
                     Position(lon: 117, lat: 36.2), Position(lon: 117, lat: 36),
                 ]])),
                 households: 1200, population: 3400),
            Grid(code: code("370102001001"), parent: code("370102001000"), name: "青年社区", type: .urban,
                 boundary: .multiPolygon([
                     Polygon(rings: [[Position(lon: 117, lat: 36), Position(lon: 117.1, lat: 36), Position(lon: 117.1, lat: 36.1),
                                      Position(lon: 117, lat: 36.1), Position(lon: 117, lat: 36)]]),
                     Polygon(rings: [[Position(lon: 117.15, lat: 36.15), Position(lon: 117.2, lat: 36.15),
                                      Position(lon: 117.2, lat: 36.2), Position(lon: 117.15, lat: 36.15)]]),
                 ])),
            Grid(code: code("370102001001001"), parent: code("370102001001"), name: "第一网格", type: .estate,
                 boundary: nil, households: 280, population: 900),
            Grid(code: code("370102001000001"), parent: code("370102001000"), name: "实验中学", type: .special,
                 specialKind: .school, boundary: nil),
        ])
    }

    @Test func roundTripsExactlyAndDeterministically() throws {
        var rng = SystemRandomNumberGenerator()
        let jagged = (0..<50).map { _ in Position(lon: Double.random(in: 73...135, using: &rng), lat: Double.random(in: 18...53, using: &rng)) }
        let tree: [Grid] = [
            Grid(code: code("370102001001001"), parent: code("370102001001"), name: "名称带\"引号\"\\反斜杠\n换行\t制表\u{1}",
                 type: .lane, boundary: .polygon(Polygon(rings: [jagged + [jagged[0]]])), households: 12, population: 34),
            Grid(code: code("370102000000"), parent: code("370100000000"), name: "历下区", type: .urban,
                 boundary: .polygon(Polygon(rings: [square(106.3, 0.1 + 0.2, 1e-7), square(106.3000001, 0.3000001, 1e-8)]))),
            Grid(code: code("370100000000"), parent: nil, name: "济南市", type: .urban, boundary: nil),
            Grid(code: code("370102001000"), parent: code("370102000000"), name: "解放路街道", type: .urban,
                 boundary: .multiPolygon([Polygon(rings: [square(-0.0, -33.5, 1)]), Polygon(rings: [square(Double.leastNonzeroMagnitude, 1e15, 2.5)])])),
            Grid(code: code("370102001001"), parent: code("370102001000"), name: "青年社区", type: .urban,
                 boundary: .polygon(Polygon(rings: [square(117.123456789012345, 36.987654321098765, 0.001)]))),
            Grid(code: code("370102001000002"), parent: code("370102001000"), name: "商务楼", type: .special,
                 specialKind: .officeBuilding, boundary: nil, households: 0, population: 7),
        ]
        let data = GridGeoJSON.encode(tree)
        let parentsFirst = ["370100000000", "370102000000", "370102001000", "370102001001", "370102001000002", "370102001001001"]
        let back = try grids(data)
        #expect(back.map(\.code.value) == parentsFirst)
        #expect(back == parentsFirst.map { c in tree.first { $0.code.value == c }! })
        #expect(GridGeoJSON.encode(tree) == data)
        #expect(GridGeoJSON.encode(tree.reversed()) == data)
        #expect(GridGeoJSON.encode(back) == data)

        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("\n") && !text.contains(": "))
        #expect(text.contains("[106.3,0.30000000000000004]"))
        #expect(!text.contains("106.30000000000001"))
        #expect(text.contains("\"specialKind\":\"office_building\""))
        #expect(text.hasPrefix("""
            {"type":"FeatureCollection","features":[{"type":"Feature","id":"370100000000","geometry":null,\
            "properties":{"code":"370100000000","parent":null,"name":"济南市","level":"city","type":"urban",\
            "households":0,"population":0}},
            """))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect((json?["features"] as? [Any])?.count == 6)
    }

    @Test func geometryCodableMatchesTheCollectionFormat() throws {
        let g = Geometry.multiPolygon([
            Polygon(rings: [square(117, 36, 1), square(117.25, 36.25, 0.5)]),
            Polygon(rings: [square(120, 30, 0.125)]),
        ])
        let data = try JSONEncoder().encode(g)
        #expect(try JSONDecoder().decode(Geometry.self, from: data) == g)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["type"] as? String == "MultiPolygon")
    }

    @Test func holesAndMultipolygonsArePreserved() throws {
        let holed = Geometry.polygon(Polygon(rings: [square(0, 0, 10), square(2, 2, 2), square(6, 6, 2)]))
        let multi = Geometry.multiPolygon([Polygon(rings: [square(0, 0, 1)]), Polygon(rings: [square(5, 5, 1), square(5.25, 5.25, 0.5)])])
        let tree = [
            Grid(code: code("370102001001001"), parent: nil, name: "甲", type: .estate, boundary: holed),
            Grid(code: code("370102001001002"), parent: nil, name: "乙", type: .estate, boundary: multi),
        ]
        let back = try grids(GridGeoJSON.encode(tree))
        #expect(back[0].boundary?.polygons.first?.rings.count == 3)
        #expect(back[1].boundary?.polygons.count == 2)
        #expect(back == tree)
    }

    @Test func altitudeIsDropped() throws {
        let geometry: [String: Any] = [
            "type": "Polygon", "coordinates": [[[117.0, 36.0, 12.5], [117.1, 36.0, 13], [117.1, 36.1, 0], [117.0, 36.0, 12.5]]],
        ]
        let g = try grids(collection([feature(goodProperties, geometry: geometry)]))
        #expect(g[0].boundary == .polygon(Polygon(rings: [[
            Position(lon: 117, lat: 36), Position(lon: 117.1, lat: 36), Position(lon: 117.1, lat: 36.1), Position(lon: 117, lat: 36),
        ]])))
    }

    @Test func chineseLabelsAreAccepted() throws {
        var p = goodProperties
        p["code"] = "370102001000003"
        p["parent"] = "370102001000"
        p["type"] = "专属网格"
        p["specialKind"] = "商圈市场"
        p["level"] = "网格"
        let g = try grids(collection([feature(p)]))
        #expect(g[0].type == .special)
        #expect(g[0].specialKind == .market)
        #expect(g[0].level == .grid)
    }

    @Test func emptyCollectionDecodesToNoGrids() throws {
        #expect(try grids(Data(#"{"type":"FeatureCollection","features":[]}"#.utf8)).isEmpty)
        #expect(String(decoding: GridGeoJSON.encode([]), as: UTF8.self) == #"{"type":"FeatureCollection","features":[]}"#)
    }

    @Test func documentLevelProblemsHaveIndexMinusOne() {
        let notJSON = errors(Data("{\"type\":\"FeatureCollection\",".utf8))
        #expect(notJSON == [FeatureError(index: -1, message: "不是有效的JSON文件")])

        let notCollection = errors(Data(#"{"type":"Feature","properties":{}}"#.utf8))
        #expect(notCollection.count == 1)
        #expect(notCollection.first?.index == -1)
        #expect(notCollection.first?.message.contains("FeatureCollection") == true)

        let array = errors(Data("[1,2]".utf8))
        #expect(array.map(\.index) == [-1])

        let noFeatures = errors(Data(#"{"type":"FeatureCollection"}"#.utf8))
        #expect(noFeatures.first?.message == "FeatureCollection缺少features数组")
    }

    /// One bad feature among good ones, with the expected error's field and a message fragment.
    private func single(_ properties: [String: Any], geometry: Any = NSNull()) -> FeatureError? {
        let all = errors(collection([feature(goodProperties), feature(properties, geometry: geometry)]))
        #expect(all.count == 1)
        #expect(all.first?.index == 1)
        return all.first
    }

    private func with(_ key: String, _ value: Any?) -> [String: Any] {
        var p = goodProperties
        p[key] = value
        return p
    }

    @Test func missingCode() {
        let e = single(with("code", nil))
        #expect(e?.field == "code")
        #expect(e?.code == nil)
        #expect(e?.message == "缺少编码code")
        #expect(single(with("code", 370102001001001))?.message == "编码code必须是字符串(加引号)")
    }

    @Test func badCode() {
        let e = single(with("code", "37010200100100"))
        #expect(e?.field == "code")
        #expect(e?.code == "37010200100100")
        #expect(e?.message.contains("12位区划代码或15位网格编码") == true)
        #expect(single(with("code", "370102001001000"))?.message.contains("000") == true)
    }

    @Test func badParent() {
        let e = single(with("parent", "12"))
        #expect(e?.field == "parent")
        #expect(e?.code == "370102001001001")
        #expect(e?.message.hasPrefix("上级编码无效") == true)
    }

    @Test func missingName() {
        let e = single(with("name", nil))
        #expect(e?.field == "name")
        #expect(e?.message == "缺少名称name")
    }

    @Test func levelMismatch() {
        let e = single(with("level", "community"))
        #expect(e?.field == "level")
        #expect(e?.code == "370102001001001")
        #expect(e?.message == "层级“community”与编码不符：15位编码370102001001001是网格(grid)")
        #expect(single(with("level", "village"))?.message.hasPrefix("未知层级“village”") == true)
        #expect(single(with("level", nil))?.message == "缺少层级level")
    }

    @Test func unknownType() {
        let e = single(with("type", "apartment"))
        #expect(e?.field == "type")
        #expect(e?.message.hasPrefix("未知类型“apartment”，应为urban(城市)、") == true)
        #expect(single(with("specialKind", "zoo"))?.field == "specialKind")
    }

    @Test func negativeOrFractionalCounts() {
        let e = single(with("households", -3))
        #expect(e?.field == "households")
        #expect(e?.message == "户数households必须是非负整数")
        #expect(single(with("population", 2.5))?.field == "population")
        #expect(single(with("population", "120"))?.field == "population")
    }

    @Test func badGeometryType() {
        let point: [String: Any] = ["type": "Point", "coordinates": [117.0, 36.0]]
        let e = single(goodProperties, geometry: point)
        #expect(e?.field == "geometry")
        #expect(e?.code == "370102001001001")
        #expect(e?.message == "不支持的几何类型“Point”：网格边界只能是Polygon或MultiPolygon")
        let line: [String: Any] = ["type": "LineString", "coordinates": [[117.0, 36.0], [118.0, 36.0]]]
        #expect(single(goodProperties, geometry: line)?.message.contains("LineString") == true)
        #expect(single(goodProperties, geometry: "POLYGON((0 0))")?.message.hasPrefix("几何必须是GeoJSON几何对象") == true)
    }

    @Test func nonNumericCoordinate() {
        let geometry: [String: Any] = [
            "type": "Polygon", "coordinates": [[[117.0, 36.0], [117.1, 36.0], [117.1, "36.1"], [117.0, 36.0]]],
        ]
        let e = single(goodProperties, geometry: geometry)
        #expect(e?.field == "geometry")
        #expect(e?.message == "coordinates[0][2][1]应为数字，实际为字符串“36.1”")
    }

    @Test func wrongNesting() {
        let flat: [String: Any] = ["type": "Polygon", "coordinates": [[117.0, 36.0], [117.1, 36.0], [117.1, 36.1], [117.0, 36.0]]]
        #expect(single(goodProperties, geometry: flat)?.message
            == "coordinates[0][0]应为坐标[经度,纬度]，实际为数字117.0(Polygon的coordinates应嵌套3层数组)")
        let polygonAsMulti: [String: Any] = ["type": "MultiPolygon", "coordinates": goodPolygon["coordinates"]!]
        #expect(single(goodProperties, geometry: polygonAsMulti)?.message.hasPrefix("coordinates[0][0][0]应为坐标") == true)
        let short: [String: Any] = ["type": "Polygon", "coordinates": [[[117.0], [117.1, 36.0], [117.1, 36.1], [117.0, 36.0]]]]
        #expect(single(goodProperties, geometry: short)?.message == "coordinates[0][0]应为[经度,纬度]或[经度,纬度,高程]，实际有1个数")
        let empty: [String: Any] = ["type": "Polygon", "coordinates": [Any]()]
        #expect(single(goodProperties, geometry: empty)?.message == "coordinates：多边形至少需要一个外环")
        let missing: [String: Any] = ["type": "Polygon"]
        #expect(single(goodProperties, geometry: missing)?.message == "Polygon缺少coordinates")
    }

    @Test func featureWithoutPropertiesOrNotAFeature() {
        let all = errors(collection([["type": "Feature", "geometry": NSNull()], 42, ["type": "Fish", "properties": goodProperties]]))
        #expect(all.map(\.index) == [0, 1, 2])
        #expect(all.map(\.field) == ["properties", nil, nil])
    }

    @Test func severalBadFeaturesAreReportedTogether() {
        var child = goodProperties
        child["code"] = "370102001001002"
        let all = errors(collection([
            feature(goodProperties, geometry: goodPolygon),
            feature(with("households", -1)),
            feature(child, geometry: ["type": "Point", "coordinates": [1.0, 2.0]]),
            feature(with("code", "abc")),
            feature(child),
            feature(with("type", "城中村")),
        ]))
        #expect(all.map(\.index) == [1, 2, 3, 5])
        #expect(all.map(\.field) == ["households", "geometry", "code", "type"])
        #expect(all.map(\.code) == ["370102001001001", "370102001001002", "abc", "370102001001001"])
        #expect(all[1].description == "第2个要素(370102001001002) geometry：不支持的几何类型“Point”：网格边界只能是Polygon或MultiPolygon")
    }
}
