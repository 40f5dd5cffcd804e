import WanggeCore

/// A small, hand-checkable tree: one county, two townships (东城街道 urban, 西山镇 rural), one
/// community or village in each, two unit grids in each of those. Every polygon is a rectangle
/// so expected answers can be worked out on paper:
///
///     lon 106.0   106.1   106.2   106.3   106.4
///  lat 28.2 +-------+-------+-------+-------+
///           |       | (gap) |       |       |
///  lat 28.1 | 东1   +-------+ 西1   | 西2   |
///           |       | 东2   |       |       |
///  lat 28.0 +-------+-------+-------+-------+
///           |<- 东城街道/红旗社区 ->|<- 西山镇/桃林村 ->|
///
/// The gap in 红旗社区 leaves room to import a new grid, and answers point→grid with the community.
public enum TestTerritory {
    public static let county = try! GridCode("520399000000")
    public static let east = try! GridCode("520399001000")
    public static let west = try! GridCode("520399101000")
    public static let eastCommunity = try! GridCode("520399001001")
    public static let westVillage = try! GridCode("520399101201")
    public static let east1 = try! GridCode("520399001001001")
    public static let east2 = try! GridCode("520399001001002")
    public static let west1 = try! GridCode("520399101201001")
    public static let west2 = try! GridCode("520399101201002")
    /// Not in the tree: fits the gap of 红旗社区.
    public static let east3 = try! GridCode("520399001001003")

    public static func rectangle(_ minLon: Double, _ minLat: Double, _ maxLon: Double, _ maxLat: Double) -> Geometry {
        .polygon(Polygon(rings: [[
            Position(lon: minLon, lat: minLat), Position(lon: maxLon, lat: minLat), Position(lon: maxLon, lat: maxLat),
            Position(lon: minLon, lat: maxLat), Position(lon: minLon, lat: minLat),
        ]]))
    }

    public static var grids: [Grid] {
        [
            Grid(code: county, parent: nil, name: "清溪县", type: .rural, boundary: rectangle(106.0, 28.0, 106.4, 28.2),
                 households: 1280, population: 3650),
            Grid(code: east, parent: county, name: "东城街道", type: .urban, boundary: rectangle(106.0, 28.0, 106.2, 28.2),
                 households: 750, population: 2300),
            Grid(code: west, parent: county, name: "西山镇", type: .rural, boundary: rectangle(106.2, 28.0, 106.4, 28.2),
                 households: 530, population: 1350),
            Grid(code: eastCommunity, parent: east, name: "红旗社区", type: .urban, boundary: rectangle(106.0, 28.0, 106.2, 28.2),
                 households: 750, population: 2300),
            Grid(code: westVillage, parent: west, name: "桃林村", type: .rural, boundary: rectangle(106.2, 28.0, 106.4, 28.2),
                 households: 530, population: 1350),
            // Over the urban norm on both figures; 桃林村第1网格 is over the rural one.
            Grid(code: east1, parent: eastCommunity, name: "红旗社区第1网格", type: .estate, boundary: rectangle(106.0, 28.0, 106.1, 28.2),
                 households: 420, population: 1300),
            Grid(code: east2, parent: eastCommunity, name: "红旗社区第2网格", type: .lane, boundary: rectangle(106.1, 28.0, 106.2, 28.1),
                 households: 330, population: 1000),
            Grid(code: west1, parent: westVillage, name: "桃林村第1网格", type: .rural, boundary: rectangle(106.2, 28.0, 106.3, 28.2),
                 households: 350, population: 900),
            Grid(code: west2, parent: westVillage, name: "桃林村第2网格", type: .rural, boundary: rectangle(106.3, 28.0, 106.4, 28.2),
                 households: 180, population: 450),
        ]
    }
}

extension TestTerritory {
    /// Three items, one per handling level that the tests need: a dispute for the grid, rubbish
    /// for the township (citizens may report it), a lost manhole cover for the county (urgent, in hours).
    public static var catalog: Catalog {
        Catalog(
            categories: [CatalogCategory(code: "01", name: "矛盾纠纷"), CatalogCategory(code: "04", name: "市容环境"),
                         CatalogCategory(code: "07", name: "突发事件")],
            items: [
                CatalogItem(code: "0101", categoryCode: "01", name: "邻里纠纷", departments: [.justice], level: .grid,
                            deadline: .workingDays(3), priority: .normal, citizenReportable: false, description: nil),
                CatalogItem(code: "0401", categoryCode: "04", name: "暴露垃圾", departments: [.urbanManagement], level: .township,
                            deadline: .workingDays(1), priority: .normal, citizenReportable: true, description: nil),
                CatalogItem(code: "0701", categoryCode: "07", name: "井盖丢失", departments: [.urbanManagement, .housing],
                            level: .county, deadline: .workingHours(4), priority: .urgent, citizenReportable: true, description: nil),
            ])
    }
}
