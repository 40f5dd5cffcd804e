import WanggeCore

/// Serial numbers and street numbers of the place being built.
struct Site {
    let place: Place
    var buildingSerial = 0
    var houseSerial = 0
    /// The next door number on the place's road or lane.
    var number: Int
    /// Houses people can live in (建筑用途 01), as indices into `houses`.
    var dwellings: [Int] = []
}

/// Buildings and houses. Town grids get apartment blocks of 5–12 storeys with 2–4 units and
/// two flats a floor (estates), older 5–7-storey blocks (work-unit compounds) or shop-houses
/// with 门面 on the ground floor (streets and lanes); villages get self-built houses of 1–3
/// storeys, one family each (a few two). Shops, offices, factories and warehouses appear
/// where they would: a market in the market grid, factories and dormitories in the park,
/// offices of every 村委会 and 居委会 in the community's first grid.
extension RegisterBuilder {
    /// Builds a place with at least `needed` dwellings and returns the dwellings.
    mutating func build(_ place: Place, dwellings needed: Int, rng: inout SeededRandom) -> [Int] {
        var site = Site(place: place, number: rng.int(in: 1...120))
        let road = rng.pick(RegisterNames.roads)
        if place.ordinal == 1, !place.kind.isSpecial {
            let village = place.kind == .village
            premises(&site, name: place.communityName + (village ? "村民委员会" : "居民委员会"),
                     detail: village ? "一组村委会" : "\(road)\(site.number)号", use: "03", floors: rng.int(in: 2...3),
                     rooms: ["办公室"], area: 120...300, rented: 0, rng: &rng)
        }
        switch place.kind {
        case .village:
            villageHouses(&site, needed: needed, rng: &rng)
            if rng.chance(0.08) {
                let (name, use) = rng.chance(0.7)
                    ? (rng.pick(["茶叶加工厂", "竹木加工厂", "辣椒加工坊", "酒坊", "砖厂"]), "04") : ("农资仓库", "05")
                premises(&site, name: place.communityName + name, detail: "\(RegisterNames.numeral(place.ordinal))组",
                         use: use, floors: 1, rooms: [use == "04" ? "厂房" : "仓库"], area: 200...1200, rented: 0.3, rng: &rng)
            }
        case .estate:
            let estate = place.isResettlement
                ? place.townshipName + "易地扶贫搬迁安置点"
                : freshName(&rng) { $0.pick(RegisterNames.estateFirst) + $0.pick(RegisterNames.estateSecond) }
            let gate = "\(road)\(site.number)号\(estate)"
            blocks(&site, needed: needed, floors: 5...12, units: 2...4, perFloor: 2, shops: 0, area: 60...140,
                   name: { "\(estate)\($0)栋" }, detail: { "\(gate)\($0)栋" }, rng: &rng)
            if rng.chance(0.35) {
                premises(&site, name: estate + "商业楼", detail: gate + "商业楼", use: "02", floors: rng.int(in: 2...3),
                         rooms: (1...rng.int(in: 4...8)).map { "门面\($0)" }, area: 40...120, rented: 0.8, rng: &rng)
            }
        case .compound:
            let compound = freshName(&rng) { $0.pick(RegisterNames.compounds) }
            let gate = "\(road)\(site.number)号\(compound)"
            blocks(&site, needed: needed, floors: 5...7, units: 2...3, perFloor: 2, shops: 0, area: 55...110,
                   name: { "\(compound)\($0)栋" }, detail: { "\(gate)\($0)栋" }, rng: &rng)
            if rng.chance(0.5) {
                premises(&site, name: compound + "办公楼", detail: gate + "办公楼", use: "03", floors: rng.int(in: 4...6),
                         rooms: (1...4).map { "\($0)01" }, area: 100...180, rented: 0, rng: &rng)
            }
        case .lane:
            let street = rng.chance(0.5) ? rng.pick(RegisterNames.lanes) : road
            streetHouses(&site, street: street, needed: needed, rng: &rng)
            if rng.chance(0.2) {
                premises(&site, name: street + "综合市场", detail: "\(street)\(site.number)号", use: "02", floors: 2,
                         rooms: (1...rng.int(in: 6...12)).map { "摊位\($0)" }, area: 40...80, rented: 0.85, rng: &rng)
            }
        case .special(let kind):
            special(kind, &site, road: road, needed: needed, rng: &rng)
        }
        return site.dwellings
    }

    private mutating func special(_ kind: SpecialKind, _ site: inout Site, road: String, needed: Int,
                                  rng: inout SeededRandom) {
        let full = site.place.grid.name
        let name = full.hasSuffix("专属网格") ? String(full.dropLast(4)) : full
        let gate = "\(road)\(site.number)号\(name)"
        switch kind {
        case .school:
            for part in ["教学楼", "实验楼", "学生宿舍楼"] {
                premises(&site, name: name + part, detail: gate + part, use: "99", floors: rng.int(in: 4...5), rooms: [],
                         area: 0...0, rented: 0, rng: &rng)
            }
        case .hospital:
            for part in ["门诊楼", "住院部", "医技楼"] {
                premises(&site, name: name + part, detail: gate + part, use: "99", floors: rng.int(in: 4...12), rooms: [],
                         area: 0...0, rented: 0, rng: &rng)
            }
        case .officeBuilding:
            let floors = rng.int(in: 18...26)
            let rooms = (2...floors).flatMap { f in (1...3).map { "\(f)0\($0)" } }
            premises(&site, name: name, detail: gate, use: "03", floors: floors, rooms: rooms, area: 80...180, rented: 0,
                     rng: &rng)
        case .market:
            premises(&site, name: name, detail: gate, use: "02", floors: 2, rooms: (1...rng.int(in: 20...40)).map { "摊位\($0)" },
                     area: 40...60, rented: 0.85, rng: &rng)
        case .park:
            for k in 1...rng.int(in: 3...6) {
                premises(&site, name: "\(name)\(k)号厂房", detail: "\(gate)\(k)号厂房", use: "04", floors: rng.int(in: 1...3),
                         rooms: ["厂房"], area: 500...3000, rented: 0.5, rng: &rng)
            }
            premises(&site, name: name + "仓库", detail: gate + "仓库", use: "05", floors: 1, rooms: ["仓库"],
                     area: 400...1500, rented: 0.5, rng: &rng)
            blocks(&site, needed: needed, floors: 4...6, units: 1...2, perFloor: 4, shops: 0, area: 40...60,
                   name: { "\(name)\($0)号宿舍楼" }, detail: { "\(gate)\($0)号宿舍楼" }, rng: &rng)
            return
        case .other:
            break
        }
        let housing = kind == .school ? "教师公寓" : "职工宿舍"
        blocks(&site, needed: needed, floors: 5...7, units: 1...2, perFloor: 2, shops: 0, area: 50...110,
               name: { "\(name)\(housing)\($0)栋" }, detail: { "\(gate)\(housing)\($0)栋" }, rng: &rng)
    }

    /// A name not yet used in the county, with 二期, 三期 … once the pool runs dry.
    private mutating func freshName(_ rng: inout SeededRandom, _ make: (inout SeededRandom) -> String) -> String {
        for attempt in 0..<400 {
            let phase = attempt < 100 ? "" : RegisterNames.numeral(attempt / 100 + 1) + "期"
            let name = make(&rng) + phase
            if usedPlaceNames.insert(name).inserted { return name }
        }
        return Names.distinct(&usedPlaceNames, &rng, make)
    }

    @discardableResult
    private mutating func addBuilding(_ site: inout Site, name: String, detail: String, use: String, floors: Int?,
                                      units: Int?, rng: inout SeededRandom) -> Int {
        site.buildingSerial += 1
        let point = site.place.randomPoint(&rng)
        out.buildings.append(Building(code: "B" + site.place.grid.code.value + pad(site.buildingSerial, 3), name: name,
                                      address: site.place.addressPrefix + detail, grid: site.place.grid.code, use: use,
                                      floors: floors, units: units, lon: point?.lon, lat: point?.lat))
        return out.buildings.count - 1
    }

    private mutating func addHouse(_ site: inout Site, building: Int, unit: Int?, floor: Int?, room: String, suffix: String,
                                   use: String, rentalUse: String?, area: ClosedRange<Double>, rng: inout SeededRandom) {
        site.houseSerial += 1
        let size = area.upperBound > 0 ? (rng.double(area.lowerBound, area.upperBound) * 10).rounded() / 10 : nil
        out.houses.append(House(code: "H" + site.place.grid.code.value + pad(site.houseSerial, 4), buildingID: Int64(building),
                                grid: site.place.grid.code, unit: unit.map { "\($0)单元" }, floor: floor, room: room,
                                address: out.buildings[building].address + suffix, use: use, rentalUse: rentalUse, area: size))
        if use == "01" { site.dwellings.append(out.houses.count - 1) }
    }

    /// A non-residential building with one premises per room name (none for a school's
    /// classroom blocks, which are not let or lived in). `rented` is the share let out, with
    /// the 出租用途 of its use.
    private mutating func premises(_ site: inout Site, name: String, detail: String, use: String, floors: Int,
                                   rooms: [String], area: ClosedRange<Double>, rented: Double, rng: inout SeededRandom) {
        let b = addBuilding(&site, name: name, detail: detail, use: use, floors: floors, units: nil, rng: &rng)
        let rentalUse = ["02": "03", "04": "06", "05": "05"][use]
        for room in rooms {
            let floor = room.first?.isNumber == true && room.count >= 3 ? Int(room.dropLast(2)) : 1
            let suffix = room == "办公室" || room == "厂房" || room == "仓库" ? "" : room
            addHouse(&site, building: b, unit: nil, floor: floor, room: room, suffix: suffix, use: use,
                     rentalUse: rentalUse.flatMap { rng.chance(rented) ? $0 : nil }, area: area, rng: &rng)
        }
        site.number += 2
    }

    /// Apartment blocks until there are `needed` dwellings; the last block is cut to size
    /// (never under the lowest storey count), so a place is not left half empty.
    private mutating func blocks(_ site: inout Site, needed: Int, floors: ClosedRange<Int>, units: ClosedRange<Int>,
                                 perFloor: Int, shops: Int, area: ClosedRange<Double>, name: (Int) -> String,
                                 detail: (Int) -> String, rng: inout SeededRandom) {
        var n = 0
        while site.dwellings.count < needed {
            n += 1
            let remaining = needed - site.dwellings.count
            var u = rng.int(in: units)
            while u > units.lowerBound, u * perFloor * floors.lowerBound > remaining { u -= 1 }
            let wantedFloors = (remaining + u * perFloor - 1) / (u * perFloor)
            let f = Swift.min(Swift.max(wantedFloors, floors.lowerBound), rng.int(in: floors))
            let b = addBuilding(&site, name: name(n), detail: detail(n), use: "01", floors: f, units: u, rng: &rng)
            for unit in 1...u {
                for floor in 1...f {
                    for k in 1...perFloor {
                        let room = "\(floor)0\(k)"
                        addHouse(&site, building: b, unit: unit, floor: floor, room: room, suffix: "\(unit)单元\(room)室",
                                 use: "01", rentalUse: nil, area: area, rng: &rng)
                    }
                }
            }
        }
    }

    /// Shop-houses along a street: 门面 on the ground floor, flats above (商住混用).
    private mutating func streetHouses(_ site: inout Site, street: String, needed: Int, rng: inout SeededRandom) {
        while site.dwellings.count < needed {
            let floors = rng.int(in: 5...7)
            let units = needed - site.dwellings.count > (floors - 1) * 2 ? rng.int(in: 1...2) : 1
            let detail = "\(street)\(site.number)号"
            let b = addBuilding(&site, name: detail, detail: detail, use: "06", floors: floors, units: units, rng: &rng)
            for k in 1...rng.int(in: 2...4) {
                addHouse(&site, building: b, unit: nil, floor: 1, room: "门面\(k)", suffix: "门面\(k)", use: "02",
                         rentalUse: rng.chance(0.7) ? "03" : nil, area: 30...90, rng: &rng)
            }
            for unit in 1...units {
                for floor in 2...floors {
                    for k in 1...2 {
                        let room = "\(floor)0\(k)"
                        addHouse(&site, building: b, unit: unit, floor: floor, room: room, suffix: "\(unit)单元\(room)室",
                                 use: "01", rentalUse: nil, area: 50...110, rng: &rng)
                    }
                }
            }
            site.number += rng.int(in: 1...2) * 2
        }
    }

    /// Self-built village houses along the group's lanes, one family each, a few two.
    private mutating func villageHouses(_ site: inout Site, needed: Int, rng: inout SeededRandom) {
        let group = RegisterNames.numeral(site.place.ordinal) + "组"
        site.number = 1
        while site.dwellings.count < needed {
            let floors = Households.weighted([25, 50, 25], &rng) + 1
            let detail = "\(group)\(site.number)号"
            let b = addBuilding(&site, name: site.place.communityName + detail, detail: detail, use: "01", floors: floors,
                                units: nil, rng: &rng)
            let families = floors >= 2 && rng.chance(0.07) ? 2 : 1
            for k in 1...families {
                addHouse(&site, building: b, unit: nil, floor: families == 2 ? k : nil, room: "\(k)",
                         suffix: families == 2 ? "\(k)户" : "", use: "01", rentalUse: nil, area: 90...180, rng: &rng)
            }
            site.number += 1
        }
    }
}
