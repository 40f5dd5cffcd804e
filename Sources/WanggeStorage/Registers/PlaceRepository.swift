import SQLKit
import WanggeCore

/// Buildings and the houses in them ("在单元格中找楼栋、楼栋中找住户").
public protocol PlaceRepository: Sendable {
    /// Matched by building code.
    func upsertBuildings(_ buildings: [Building], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)]
    /// Matched by house code; `buildingID` must exist.
    func upsertHouses(_ houses: [House], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)]
    func building(id: Int64) async throws -> Building?
    func buildings(codes: [String], in db: any SQLDatabase) async throws -> [String: Building]
    func buildings(in range: CodeRange?, offset: Int, limit: Int) async throws -> (buildings: [Building], total: Int)
    func house(id: Int64) async throws -> House?
    func house(code: String) async throws -> House?
    func houses(codes: [String], in db: any SQLDatabase) async throws -> [String: House]
    func houses(buildingID: Int64) async throws -> [House]
    /// Houses whose code or address contains nothing to search; the address prefix finds them.
    func houses(in range: CodeRange?, addressContains: String?, rentedOnly: Bool, offset: Int, limit: Int) async throws -> (houses: [House], total: Int)
}

public struct SQLPlaceRepository: PlaceRepository {
    let db: WanggeDatabase

    public init(_ db: WanggeDatabase) { self.db = db }

    public func upsertBuildings(_ buildings: [Building], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try await tx.upsertByCode(
            buildings, table: "buildings", columns: "code, name, address, grid_code, use_code, floors, units, lon, lat, updated_at",
            decode: building, withID: { var b = $0; b.id = $1; return b },
            values: { b in "(\(bind: b.code), \(bind: b.name), \(bind: b.address), \(bind: b.grid.value), \(bind: b.use), \(bind: b.floors), \(bind: b.units), \(bind: b.lon), \(bind: b.lat), \(bind: now))" },
            assignments: { b in "name = \(bind: b.name), address = \(bind: b.address), grid_code = \(bind: b.grid.value), use_code = \(bind: b.use), floors = \(bind: b.floors), units = \(bind: b.units), lon = \(bind: b.lon), lat = \(bind: b.lat), updated_at = \(bind: now)" })
    }

    public func upsertHouses(_ houses: [House], now: Int64, in tx: any SQLDatabase) async throws -> [(id: Int64, outcome: UpsertOutcome)] {
        try await tx.upsertByCode(
            houses, table: "houses", columns: "code, building_id, grid_code, unit, floor, room, address, use_code, rental_use, area, updated_at",
            decode: house, withID: { var h = $0; h.id = $1; return h },
            values: { h in "(\(bind: h.code), \(bind: h.buildingID), \(bind: h.grid.value), \(bind: h.unit ?? ""), \(bind: h.floor), \(bind: h.room), \(bind: h.address), \(bind: h.use), \(bind: h.rentalUse), \(bind: h.area), \(bind: now))" },
            assignments: { h in "building_id = \(bind: h.buildingID), grid_code = \(bind: h.grid.value), unit = \(bind: h.unit ?? ""), floor = \(bind: h.floor), room = \(bind: h.room), address = \(bind: h.address), use_code = \(bind: h.use), rental_use = \(bind: h.rentalUse), area = \(bind: h.area), updated_at = \(bind: now)" })
    }

    func building(_ row: any SQLRow) throws -> Building {
        Building(id: try row.int64("id"), code: try row.string("code"), name: try row.string("name"), address: try row.string("address"),
                 grid: try row.gridCode("grid_code"), use: try row.string("use_code"), floors: try row.optionalInt("floors"),
                 units: try row.optionalInt("units"), lon: try row.optionalDouble("lon"), lat: try row.optionalDouble("lat"))
    }

    func house(_ row: any SQLRow) throws -> House {
        let unit = try row.string("unit")
        return House(id: try row.int64("id"), code: try row.string("code"), buildingID: try row.int64("building_id"),
                     grid: try row.gridCode("grid_code"), unit: unit.isEmpty ? nil : unit, floor: try row.optionalInt("floor"),
                     room: try row.string("room"), address: try row.string("address"), use: try row.string("use_code"),
                     rentalUse: try row.optionalString("rental_use"), area: try row.optionalDouble("area"))
    }

    public func building(id: Int64) async throws -> Building? {
        try await db.sql.raw("SELECT * FROM buildings WHERE id = \(bind: id)").first().map(building)
    }

    public func buildings(codes: [String], in sql: any SQLDatabase) async throws -> [String: Building] {
        var result: [String: Building] = [:]
        try await sql.insertBatches(Array(Set(codes)), size: 500) { batch in
            for row in try await sql.raw("SELECT * FROM buildings WHERE code IN (\(SQLList(batch.map { SQLBind($0) })))").all() {
                let b = try building(row)
                result[b.code] = b
            }
        }
        return result
    }

    public func buildings(in range: CodeRange?, offset: Int, limit: Int) async throws -> (buildings: [Building], total: Int) {
        let filter = rangeCondition("grid_code", range)
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM buildings WHERE \(filter)").first()?.int("n") ?? 0
        let rows = try await db.sql.raw("""
            SELECT * FROM buildings WHERE \(filter) ORDER BY grid_code, code LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return (try rows.map(building), total)
    }

    public func house(id: Int64) async throws -> House? {
        try await db.sql.raw("SELECT * FROM houses WHERE id = \(bind: id)").first().map(house)
    }

    public func house(code: String) async throws -> House? {
        try await db.sql.raw("SELECT * FROM houses WHERE code = \(bind: code)").first().map(house)
    }

    public func houses(codes: [String], in sql: any SQLDatabase) async throws -> [String: House] {
        var result: [String: House] = [:]
        try await sql.insertBatches(Array(Set(codes)), size: 500) { batch in
            for row in try await sql.raw("SELECT * FROM houses WHERE code IN (\(SQLList(batch.map { SQLBind($0) })))").all() {
                let h = try house(row)
                result[h.code] = h
            }
        }
        return result
    }

    public func houses(buildingID: Int64) async throws -> [House] {
        try await db.sql.raw("SELECT * FROM houses WHERE building_id = \(bind: buildingID) ORDER BY unit, floor, room").all().map(house)
    }

    public func houses(in range: CodeRange?, addressContains: String?, rentedOnly: Bool, offset: Int, limit: Int) async throws -> (houses: [House], total: Int) {
        var conditions = [rangeCondition("grid_code", range)]
        if rentedOnly { conditions.append("rental_use IS NOT NULL") }
        if let text = addressContains, !text.isEmpty {
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_")
            conditions.append("(address LIKE \(bind: "%" + escaped + "%") ESCAPE '\\' OR code = \(bind: text))")
        }
        let filter = conditions.joined(separator: " AND ")
        let total = try await db.sql.raw("SELECT COUNT(*) AS n FROM houses WHERE \(filter)").first()?.int("n") ?? 0
        let rows = try await db.sql.raw("""
            SELECT * FROM houses WHERE \(filter) ORDER BY grid_code, address LIMIT \(bind: limit) OFFSET \(bind: offset)
            """).all()
        return (try rows.map(house), total)
    }
}
