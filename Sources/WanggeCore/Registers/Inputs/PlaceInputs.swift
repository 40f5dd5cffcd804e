/// A building as a form, the phone app or a spreadsheet row gives it.
public struct BuildingInput: Codable, Sendable, Hashable {
    /// 楼栋编码: 1–40 letters, digits, `-` or `_`.
    public var code: String?
    public var name: String?
    public var address: String?
    /// Optional: storage may find the grid from the position.
    public var grid: String?
    /// 建筑用途 code or label.
    public var use: String?
    public var floors: String?
    public var units: String?
    public var lon: String?
    public var lat: String?

    public init(code: String? = nil, name: String? = nil, address: String? = nil, grid: String? = nil, use: String? = nil,
                floors: String? = nil, units: String? = nil, lon: String? = nil, lat: String? = nil) {
        self.code = code
        self.name = name
        self.address = address
        self.grid = grid
        self.use = use
        self.floors = floors
        self.units = units
        self.lon = lon
        self.lat = lat
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.lenientString(.code), name: try c.lenientString(.name), address: try c.lenientString(.address),
                  grid: try c.lenientString(.grid), use: try c.lenientString(.use), floors: try c.lenientString(.floors),
                  units: try c.lenientString(.units), lon: try c.lenientString(.lon), lat: try c.lenientString(.lat))
    }

    /// The building without its grid when none was given, or every problem found. Longitude and
    /// latitude come together or not at all.
    public func validated(tables: CodeTables = .standard) -> Result<BuildingDraft, ValidationErrors> {
        var p = Problems()
        let code = p.plainCode(code, "code", "楼栋编码", required: true)
        let name = p.text(name, "name", "楼栋名称", max: 100, required: true)
        let address = p.text(address, "address", "地址", max: 200, required: true)
        let grid = p.grid(grid, required: false)
        let use = p.code(use, "use", "建筑用途", table: "建筑用途", tables: tables, required: true)
        let floors = p.integer(floors, "floors", "层数", in: 1...200)
        let units = p.integer(units, "units", "单元数", in: 1...99)
        let position = Lenient.position(lon: lon, lat: lat, required: false, problems: &p)
        return p.result {
            BuildingDraft(code: code!, name: name!, address: address!, grid: grid, use: use!, floors: floors, units: units,
                          lon: position?.lon, lat: position?.lat)
        }
    }
}

/// A validated building whose grid may still have to be found from its position.
public struct BuildingDraft: Hashable, Codable, Sendable {
    public var code: String
    public var name: String
    public var address: String
    public var grid: GridCode?
    public var use: String
    public var floors: Int?
    public var units: Int?
    public var lon: Double?
    public var lat: Double?

    public init(code: String, name: String, address: String, grid: GridCode?, use: String, floors: Int? = nil, units: Int? = nil,
                lon: Double? = nil, lat: Double? = nil) {
        self.code = code
        self.name = name
        self.address = address
        self.grid = grid
        self.use = use
        self.floors = floors
        self.units = units
        self.lon = lon
        self.lat = lat
    }

    /// The building in `grid` (the one given, or the one its position lies in).
    public func building(in grid: GridCode, id: Int64? = nil) -> Building {
        Building(id: id, code: code, name: name, address: address, grid: grid, use: use, floors: floors, units: units, lon: lon, lat: lat)
    }
}

/// A house as a form or a spreadsheet row gives it, naming its building by code.
public struct HouseInput: Codable, Sendable, Hashable {
    /// 房屋编码 (door plate); storage generates one when absent.
    public var code: String?
    public var buildingCode: String?
    public var unit: String?
    /// Whole number; basements negative.
    public var floor: String?
    public var room: String?
    /// 建筑用途 code or label; the building's when empty.
    public var use: String?
    /// 出租用途 code or label. Empty, `自住`, `空置` or `否` mean not rented out.
    public var rentalUse: String?
    /// Square metres; `85.5㎡`, `85.5平方米` accepted.
    public var area: String?

    public init(code: String? = nil, buildingCode: String? = nil, unit: String? = nil, floor: String? = nil, room: String? = nil,
                use: String? = nil, rentalUse: String? = nil, area: String? = nil) {
        self.code = code
        self.buildingCode = buildingCode
        self.unit = unit
        self.floor = floor
        self.room = room
        self.use = use
        self.rentalUse = rentalUse
        self.area = area
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(code: try c.lenientString(.code), buildingCode: try c.lenientString(.buildingCode), unit: try c.lenientString(.unit),
                  floor: try c.lenientString(.floor), room: try c.lenientString(.room), use: try c.lenientString(.use),
                  rentalUse: try c.lenientString(.rentalUse), area: try c.lenientString(.area))
    }

    /// Words a 出租 column holds for a house that is not rented out.
    static let notRented: Set<String> = ["自住", "空置", "否", "无", "未出租", "不出租"]

    public func validated(tables: CodeTables = .standard) -> Result<HouseDraft, ValidationErrors> {
        var p = Problems()
        let code = p.plainCode(code, "code", "房屋编码", required: false)
        let buildingCode = p.plainCode(buildingCode, "buildingCode", "楼栋编码", required: true)
        let unit = p.text(unit, "unit", "单元", max: 10)
        let floor = p.integer(floor, "floor", "楼层", in: -10...200)
        let room = p.text(room, "room", "房号", max: 20, required: true)
        let use = p.code(use, "use", "房屋用途", table: "建筑用途", tables: tables)
        var rentalUse: String?
        if let text = Lenient.present(self.rentalUse), !HouseInput.notRented.contains(Lenient.fold(text)) {
            if ["出租", "是", "已出租"].contains(Lenient.fold(text)) {
                p.add("rentalUse", "出租房屋请填写出租用途(如 住房、商铺、宿舍)，自住或空置请留空")
            } else {
                rentalUse = p.code(text, "rentalUse", "出租用途", table: "出租用途", tables: tables)
            }
        }
        var area: Double?
        if let text = Lenient.present(self.area) {
            var number = Lenient.fold(text)
            for unit in ["平方米", "平米", "㎡", "m2", "m²"] where number.hasSuffix(unit) {
                number = String(number.dropLast(unit.count).trimmed)
            }
            if let value = Lenient.decimal(number), value > 0, value <= 100_000 {
                area = value
            } else {
                p.add("area", "面积应为大于0的平方米数，收到“\(text)”")
            }
        }
        return p.result {
            HouseDraft(buildingCode: buildingCode!, code: code, unit: unit, floor: floor, room: room!, use: use, rentalUse: rentalUse, area: area)
        }
    }
}

/// A validated house, still naming its building by code.
public struct HouseDraft: Hashable, Codable, Sendable {
    public var buildingCode: String
    /// Nil when storage is to generate the door-plate code.
    public var code: String?
    public var unit: String?
    public var floor: Int?
    public var room: String
    /// Nil when the house has its building's use.
    public var use: String?
    public var rentalUse: String?
    public var area: Double?

    public init(buildingCode: String, code: String? = nil, unit: String? = nil, floor: Int? = nil, room: String, use: String? = nil,
                rentalUse: String? = nil, area: Double? = nil) {
        self.buildingCode = buildingCode
        self.code = code
        self.unit = unit
        self.floor = floor
        self.room = room
        self.use = use
        self.rentalUse = rentalUse
        self.area = area
    }
}
