/// 楼栋: the unit of "在单元格中找楼栋". Its grid comes from its position when it has one.
public struct Building: Hashable, Codable, Sendable {
    public var id: Int64?
    /// 楼栋编码: the key imports and door plates refer to, unique in the county.
    public var code: String
    public var name: String
    public var address: String
    public var grid: GridCode
    /// 建筑用途 code.
    public var use: String
    public var floors: Int?
    public var units: Int?
    public var lon: Double?
    public var lat: Double?

    public init(id: Int64? = nil, code: String, name: String, address: String, grid: GridCode, use: String,
                floors: Int? = nil, units: Int? = nil, lon: Double? = nil, lat: Double? = nil) {
        self.id = id
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
}

/// 房屋: one dwelling or premises in a building ("以房管人"). `code` is printed on its QR door
/// plate and resolves to it.
public struct House: Hashable, Codable, Sendable {
    public var id: Int64?
    /// 房屋编码 (door-plate code), unique.
    public var code: String
    public var buildingID: Int64
    /// The building's grid, copied so that territory filters need no join.
    public var grid: GridCode
    public var unit: String?
    public var floor: Int?
    public var room: String
    public var address: String
    /// 建筑用途 code of the house itself (a shop in a residential building is 02).
    public var use: String
    /// Rented out (出租房屋), with its 出租用途 code; nil when self-occupied or empty.
    public var rentalUse: String?
    public var area: Double?

    public init(id: Int64? = nil, code: String, buildingID: Int64, grid: GridCode, unit: String? = nil, floor: Int? = nil,
                room: String, address: String, use: String, rentalUse: String? = nil, area: Double? = nil) {
        self.id = id
        self.code = code
        self.buildingID = buildingID
        self.grid = grid
        self.unit = unit
        self.floor = floor
        self.room = room
        self.address = address
        self.use = use
        self.rentalUse = rentalUse
        self.area = area
    }

    public var isRented: Bool { rentalUse != nil }
}
