import Testing
import WanggeCore
import WanggeDemo

/// Generated once per test process from the shared demo county.
let registers = DemoRegisters.generate(for: county)

private let idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
private let idChecks = Array("10X98765432".utf8)

/// GB 11643 check, written independently of the generator's.
func residentIDIsValid(_ number: String) -> Bool {
    let u = Array(number.utf8)
    guard u.count == 18, u[..<17].allSatisfy({ (48...57).contains($0) }) else { return false }
    var sum = 0
    for k in 0..<17 { sum += Int(u[k] - 48) * idWeights[k] }
    return u[17] == idChecks[sum % 11]
}

/// GB 32100 with the GB 11714 check of the 主体标识码 inside it, written independently.
func creditCodeIsValid(_ code: String) -> Bool {
    let charset = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    let u = Array(code.utf8)
    guard u.count == 18, u.allSatisfy(charset.contains) else { return false }
    let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    let sum = zip(u.prefix(17), weights).reduce(0) { $0 + charset.firstIndex(of: $1.0)! * $1.1 }
    guard u[17] == charset[(31 - sum % 31) % 31] else { return false }
    let body = u[8..<16].map { $0 <= 57 ? Int($0) - 48 : Int($0) - 55 }
    let orgSum = zip(body, [3, 7, 9, 10, 5, 8, 4, 2]).reduce(0) { $0 + $1.0 * $1.1 }
    let c = 11 - orgSum % 11
    return u[16] == (c == 10 ? UInt8(ascii: "X") : c == 11 ? UInt8(ascii: "0") : UInt8(48 + c))
}

/// Whether a resident ID number carries this birth date and sex (odd sequence = male).
func idMatches(_ number: String, _ birth: Day, _ sex: Sex) -> Bool {
    var digits: [Int] = []
    digits.reserveCapacity(18)
    for b in number.utf8 { digits.append(Int(b &- 48)) }
    guard digits.count == 18 else { return false }
    func value(_ range: Range<Int>) -> Int { range.reduce(0) { $0 * 10 + digits[$1] } }
    return value(6..<10) == birth.year && value(10..<12) == birth.month && value(12..<14) == birth.day
        && (digits[16] % 2 == 1) == (sex == .male)
}

/// The fields (by label) the demo gives each kind of role; every kind occurs.
let roleFields: [String: Set<String>] = [
    "correction": ["矫正类别", "接收方式", "矫正开始日期"], "released": ["罪名分类", "释放日期", "衔接情况", "危险性评估类型"],
    "drug": ["管控情况"], "mental": ["目前诊断类型", "目前危险性评估等级", "治疗情况"], "hiv": ["感染途径", "关注类型"],
    "youth": ["人员类型", "家庭情况"], "left_behind": ["留守人员类型"], "empty_nest": ["健康状况"],
    "disabled": ["残疾类别", "残疾等级"], "subsistence": ["低保证号"], "relocated": ["搬迁年份"],
]

/// Collects what is wrong rather than making one `#expect` per row: a hundred thousand
/// expectations make a debug run slow, and a failure still names the first few rows.
struct Problems: CustomStringConvertible {
    private(set) var count = 0
    private var first: [String] = []

    mutating func check(_ ok: Bool, _ what: @autoclosure () -> String) {
        guard !ok else { return }
        count += 1
        if first.count < 5 { first.append(what()) }
    }

    var description: String { "\(count) problems, e.g. \(first)" }
}

func age(_ p: Person) -> Int {
    let ref = DemoRegisters.referenceDay, b = p.birthDate!
    return ref.year - b.year - ((ref.month, ref.day) < (b.month, b.day) ? 1 : 0)
}

/// The county trimmed to some of its townships (by index), for tests that generate often.
func trimmed(_ t: DemoTerritory, townships: [Int]) -> DemoTerritory {
    let all = t.grids.filter { $0.level == .township }
    let kept = townships.map { all[$0].code }
    return DemoTerritory(grids: t.grids.filter { g in g.level < .township || kept.contains { $0.contains(g.code) } },
                         staff: [], departments: [], departmentStaff: [:], accounts: [])
}

/// FNV-1a over a canonical rendering of the registers, coordinates by their bit patterns.
func digest(_ r: DemoRegisters) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func eat(_ s: String) {
        for b in s.utf8 {
            h ^= UInt64(b)
            h &*= 0x100_0000_01b3
        }
        h ^= 0xff
        h &*= 0x100_0000_01b3
    }
    for b in r.buildings { eat("\(b.code)|\(b.name)|\(b.address)|\(b.use)|\(b.floors ?? 0)|\(b.lon!.bitPattern)|\(b.lat!.bitPattern)") }
    for h in r.houses { eat("\(h.code)|\(h.buildingID)|\(h.room)|\(h.rentalUse ?? "")|\(h.area?.bitPattern ?? 0)") }
    for p in r.people {
        eat("\(p.name)|\(p.certificateNumber)|\(p.phone ?? "")|\(p.ethnicity ?? "")|\(p.kind.rawValue)|\(p.grid)")
        eat("\(p.registeredDivision ?? "")|\(p.currentAddress ?? "")|\(p.inflowReason ?? "")|\(p.permitNumber ?? "")")
    }
    for l in r.residences { eat("\(l.personID)|\(l.houseID)|\(l.role.rawValue)|\(l.movedIn!)|\(l.movedOut?.description ?? "")") }
    for hh in r.households { eat("\(hh.number)|\(hh.headPersonID)|\(hh.members.map { "\($0.personID)\($0.relation)" })") }
    for role in r.roles {
        eat("\(role.personID)|\(role.kind)|\(role.attention)|\(role.since?.description ?? "")")
        for key in role.fields.keys.sorted() { eat(key + "=" + role.fields[key]!) }
    }
    for o in r.organisations { eat("\(o.name)|\(o.creditCode)|\(o.legalRepresentative)|\(o.grid)|\(o.employees ?? 0)") }
    for c in r.components { eat("\(c.code)|\(c.state.rawValue)|\(c.lon.bitPattern)|\(c.lat.bitPattern)") }
    return h
}

@Suite("Demo registers: buildings, houses, people, roles, organisations, components")
struct RegistersTests {
    private let grids = Dictionary(uniqueKeysWithValues: county.grids.map { ($0.code, $0) })

    /// Two townships (a street and a town) keep the repeated generations quick; the fixed
    /// fingerprint catches output that would depend on per-process hashing or the platform.
    /// When the territory or the registers change on purpose, update the constant.
    @Test("the same seed gives the same registers, another seed different ones, with a fixed fingerprint")
    func determinism() {
        let small = trimmed(county, townships: [0, 2])
        let a = DemoRegisters.generate(for: small, seed: 5), b = DemoRegisters.generate(for: small, seed: 5)
        let c = DemoRegisters.generate(for: small, seed: 6)
        #expect(a == b)
        #expect(a.people != c.people && a.buildings != c.buildings && a.organisations != c.organisations)
        #expect(digest(a) == 8_316_759_032_092_963_047, "fingerprint \(digest(a))")
    }

    @Test("about 100,000 people in households of 1–6, 2–3% of them with a role")
    func counts() {
        let r = registers
        #expect((90_000...110_000).contains(r.people.count), "\(r.people.count) people")
        let share = Double(r.roles.count) / Double(r.people.count)
        #expect((0.02...0.03).contains(share), "roles \(share)")
        let mean = Double(r.people.count) / Double(r.households.count)
        #expect((2.5...3.1).contains(mean), "household size \(mean)")
        #expect(r.households.allSatisfy { (1...6).contains($0.members.count) })
        #expect((15_000...40_000).contains(r.buildings.count) && r.houses.count > r.households.count)
        #expect(r.organisations.filter { $0.kind == .enterprise }.count == 300)
        #expect((35...45).contains(r.organisations.filter { $0.kind == .social }.count))
        #expect((1_800...2_200).contains(r.components.count))
        #expect(Set(r.roles.map(\.kind)) == Set(roleFields.keys))
    }

    @Test("the mix of people is plausible for a county of western China")
    func mix() {
        let people = registers.people, n = Double(people.count)
        var counts = [Int](repeating: 0, count: 7)
        for p in people {
            let a = age(p)
            let flags = [p.sex == .male, p.kind == .floating, p.kind == .foreign, a < 15, a >= 60, p.ethnicity == "01",
                         (1935...2025).contains(p.birthDate!.year)]
            for (k, flag) in flags.enumerated() where flag { counts[k] += 1 }
        }
        let shares = counts.map { Double($0) / n }
        let expected: [ClosedRange<Double>] = [0.49...0.53, 0.10...0.14, 0.002...0.0045, 0.10...0.20, 0.15...0.28, 0.80...0.92, 1...1]
        for (k, range) in expected.enumerated() { #expect(range.contains(shares[k]), "share \(k): \(shares[k])") }
        let dwellings = registers.houses.filter { $0.use == "01" }
        let rented = Double(dwellings.filter(\.isRented).count) / Double(dwellings.count)
        #expect((0.08...0.16).contains(rented), "rented \(rented)")
        #expect(dwellings.allSatisfy { (40...180).contains($0.area!) })
        let registeredOnly = Double(registers.residences.filter { $0.role == .registeredOnly }.count) / n
        #expect((0.01...0.03).contains(registeredOnly))
        #expect(registers.residences.contains { $0.movedOut != nil })
    }

    @Test("every resident ID is valid, unique and carries the person's birth date and sex")
    func residentIDs() {
        var seen: Set<String> = []
        var problems = Problems()
        for p in registers.people {
            problems.check(seen.insert(p.certificateNumber).inserted, "duplicate \(p.certificateNumber)")
            if p.kind == .foreign {
                problems.check(p.certificateType == .passport && p.nationality != nil && p.foreignName != nil
                               && p.visitPurpose != nil && p.ethnicity == nil, "foreigner \(p)")
                continue
            }
            problems.check(p.certificateType == .residentID && residentIDIsValid(p.certificateNumber), "invalid \(p)")
            problems.check(idMatches(p.certificateNumber, p.birthDate!, p.sex), "birth or sex \(p)")
            if p.kind == .registered {
                problems.check(p.certificateNumber.hasPrefix("520399") && p.registeredDivision!.hasPrefix("520399"), "\(p)")
            } else {
                problems.check(p.certificateNumber.hasPrefix(p.registeredDivision!) && p.inflowReason != nil, "\(p)")
            }
        }
        #expect(problems.count == 0, "\(problems)")
    }

    @Test("names and phones validate; phones are unique")
    func namesAndPhones() {
        var phones: Set<String> = []
        var problems = Problems()
        for p in registers.people {
            problems.check((try? validatePersonName(p.name)) != nil, "name \(p.name)")
            if let phone = p.phone {
                problems.check((try? validatePhone(phone)) != nil, "phone \(phone)")
                problems.check(phones.insert(phone).inserted, "duplicate \(phone)")
            }
        }
        #expect(problems.count == 0, "\(problems)")
    }

    @Test("buildings lie inside their grid; houses belong to a building of the same grid; codes are unique")
    func buildingsAndHouses() {
        let r = registers
        var problems = Problems()
        for b in r.buildings {
            problems.check(grids[b.grid]!.boundary!.locate(lon: b.lon!, lat: b.lat!) == .inside, "outside \(b)")
            problems.check(b.code.count <= 24 && b.code.hasPrefix("B" + b.grid.value), "code \(b.code)")
            // Town grids have blocks of 5–12 storeys; villages houses of 1–3.
            if b.use == "01" {
                let rural = grids[b.grid]!.type == .rural
                problems.check(rural ? (1...3).contains(b.floors!) : (4...12).contains(b.floors!), "storeys \(b)")
            }
        }
        for h in r.houses {
            let b = Int(h.buildingID)
            problems.check(r.buildings.indices.contains(b) && r.buildings[b].grid == h.grid, "building of \(h)")
            problems.check(h.code.count <= 24 && h.code.utf8.allSatisfy { (48...57).contains($0) || (65...90).contains($0) },
                           "code \(h.code)")
        }
        #expect(problems.count == 0, "\(problems)")
        #expect(Set(r.buildings.map(\.code)).count == r.buildings.count)
        #expect(Set(r.houses.map(\.code)).count == r.houses.count)
        #expect(Set(r.buildings.map(\.use)).isSuperset(of: ["01", "02", "03", "04", "06"]))
    }

    @Test("everyone has a current link to a house of their grid; households are well formed")
    func residencesAndHouseholds() {
        let r = registers
        var problems = Problems()
        var current = Array(repeating: false, count: r.people.count)
        for link in r.residences {
            let (p, h) = (Int(link.personID), Int(link.houseID))
            guard r.people.indices.contains(p) && r.houses.indices.contains(h) else {
                problems.check(false, "dangling \(link)")
                continue
            }
            guard link.movedOut == nil else {
                problems.check(link.movedIn! < link.movedOut!, "dates \(link)")
                continue
            }
            problems.check(r.houses[h].grid == r.people[p].grid, "grid \(link)")
            problems.check(link.movedIn! >= r.people[p].birthDate!, "moved in before birth \(link)")
            current[p] = true
        }
        problems.check(current.allSatisfy { $0 }, "someone without a current house")
        var household = Array(repeating: -1, count: r.people.count)
        for (k, hh) in r.households.enumerated() {
            problems.check(hh.members.first?.personID == hh.headPersonID && hh.members.first?.relation == "本人", "head \(hh)")
            problems.check(r.houses[Int(hh.houseID!)].grid == hh.grid, "house \(hh)")
            for m in hh.members {
                problems.check(household[Int(m.personID)] == -1, "in two households \(m)")
                household[Int(m.personID)] = k
                problems.check(r.people[Int(m.personID)].grid == hh.grid, "member's grid \(m)")
            }
        }
        #expect(problems.count == 0, "\(problems)")
        #expect(household.allSatisfy { $0 >= 0 })
        #expect(Set(r.households.map(\.number)).count == r.households.count)
    }

    @Test("roles fit the age of their holder, point at real people and carry their fields")
    func roles() {
        let ages: [String: ClosedRange<Int>] = [
            "correction": 18...65, "released": 20...70, "drug": 18...55, "mental": 18...90, "hiv": 18...60,
            "youth": 12...25, "empty_nest": 60...90, "subsistence": 18...90, "relocated": 18...90,
        ]
        var problems = Problems()
        for role in registers.roles {
            let person = registers.people[Int(role.personID)]
            let a = age(person)
            if let range = ages[role.kind] { problems.check(range.contains(a), "\(role.kind) aged \(a)") }
            if role.kind == "left_behind" {
                let expected = a < 16 ? "留守儿童" : a >= 60 ? "留守老人" : "留守妇女"
                problems.check(role.fields["留守人员类型"] == expected, "\(role.fields) aged \(a)")
            }
            problems.check(Set(role.fields.keys) == roleFields[role.kind], "\(role.kind) \(role.fields)")
            problems.check(role.grid == person.grid && person.kind != .foreign, "\(role)")
            problems.check(["01": 7, "02": 15, "03": 30][role.attention] == role.visitEveryDays, "\(role)")
            if let until = role.until { problems.check(role.since! < until, "\(role)") }
        }
        #expect(problems.count == 0, "\(problems)")
        let pairs = registers.roles.map { "\($0.personID)|\($0.kind)" }
        #expect(Set(pairs).count == pairs.count)
    }

    @Test("credit codes are valid GB 32100 codes of the county, unique; organisations sit in their grid")
    func organisations() {
        let codes = registers.organisations.map(\.creditCode)
        #expect(Set(codes).count == codes.count)
        var problems = Problems()
        for o in registers.organisations {
            problems.check(creditCodeIsValid(o.creditCode), "invalid \(o.creditCode)")
            problems.check(o.creditCode.dropFirst(2).hasPrefix("520399"), "division \(o.creditCode)")
            let prefix = String(o.creditCode.prefix(2))
            problems.check(o.kind == .enterprise ? ["91", "92", "93"].contains(prefix) : ["51", "52", "53"].contains(prefix),
                           "kind \(o)")
            problems.check(o.kind == .enterprise ? o.enterpriseCategory != nil : o.socialType != nil, "codes \(o)")
            problems.check(grids[o.grid]!.boundary!.contains(lon: o.lon!, lat: o.lat!), "outside \(o)")
            problems.check(!o.legalRepresentative.isEmpty && !o.address.isEmpty, "\(o)")
        }
        #expect(problems.count == 0, "\(problems)")
        #expect(registers.organisations.contains { $0.creditCode.hasPrefix("92") && $0.enterpriseCategory == "03" })
        #expect(registers.organisations.contains { $0.creditCode.hasPrefix("93") && $0.enterpriseCategory == "04" })
    }

    @Test("components have unique 16-digit codes of known classes, in town grids")
    func components() {
        let minors: Set<String> = ["0101", "0102", "0103", "0104", "0105", "0106", "0201", "0202", "0301", "0302", "0401", "0402"]
        #expect(Set(registers.components.map(\.code)).count == registers.components.count)
        var problems = Problems()
        for c in registers.components {
            problems.check(c.code.count == 16 && c.code.utf8.allSatisfy { (48...57).contains($0) } && c.code.hasPrefix("520399"),
                           "code \(c.code)")
            problems.check(minors.contains(c.minorClass), "class \(c.code)")
            let grid = grids[c.grid]!
            problems.check(grid.type != .rural && grid.level == .grid, "grid \(c)")
            problems.check(grid.boundary!.locate(lon: c.lon, lat: c.lat) == .inside, "outside \(c)")
        }
        #expect(problems.count == 0, "\(problems)")
        let intact = registers.components.filter { $0.state == .intact }.count
        #expect(Double(intact) / Double(registers.components.count) > 0.85)
    }

    @Test("synthetic people for benchmarks: valid IDs, unique, apart from the county's, fast")
    func syntheticPeople() {
        let codes = county.grids.filter { $0.level == .grid }.map(\.code)
        let people = DemoRegisters.people(count: 50_000, in: codes, seed: 3)
        #expect(people.count == 50_000)
        var seen = Set(registers.people.map(\.certificateNumber))
        var phones: Set<String> = []
        var problems = Problems()
        for p in people {
            problems.check(residentIDIsValid(p.certificateNumber), "invalid \(p.certificateNumber)")
            problems.check(seen.insert(p.certificateNumber).inserted, "duplicate \(p.certificateNumber)")
            problems.check(idMatches(p.certificateNumber, p.birthDate!, p.sex), "birth or sex \(p)")
            if let phone = p.phone { problems.check(phones.insert(phone).inserted, "duplicate \(phone)") }
        }
        #expect(problems.count == 0, "\(problems)")
        #expect(people.first!.grid == codes.first! && people.last!.grid == codes.last!)
        let same = Array(SyntheticPeople(count: 50_000, in: codes, seed: 3).prefix(1_000)) == Array(people.prefix(1_000))
        #expect(same)
    }

    /// What the demo loader and an import run the registers through: samples of the people,
    /// buildings and houses (debug builds validate slowly), all the rest. Role fields go in by
    /// label, as the loader gives them.
    @Test("the core's own validators and role definitions accept the registers")
    func coreValidators() {
        let r = registers
        func text<T>(_ v: T?) -> String? { v.map { "\($0)" } }
        func sample<T>(_ rows: [T], every n: Int) -> [T] { stride(from: 0, to: rows.count, by: n).map { rows[$0] } }
        var problems = Problems()
        func accept<T>(_ result: Result<T, ValidationErrors>) { problems.check((try? result.get()) != nil, "\(result)") }
        for p in sample(r.people, every: 25) {
            accept(PersonInput(
                name: p.name, certificateType: p.certificateType.rawValue, certificateNumber: p.certificateNumber,
                sex: p.sex.rawValue, birthDate: text(p.birthDate), ethnicity: p.ethnicity, phone: p.phone,
                registeredDivision: p.registeredDivision, registeredAddress: p.registeredAddress, currentAddress: p.currentAddress,
                grid: p.grid.value, kind: p.kind.rawValue, inflowReason: p.inflowReason, permitType: p.permitType,
                permitNumber: p.permitNumber, permitExpiry: text(p.permitExpiry), nationality: p.nationality,
                foreignName: p.foreignName, visitPurpose: p.visitPurpose).validated(today: DemoRegisters.referenceDay))
        }
        for b in sample(r.buildings, every: 10) {
            accept(BuildingInput(code: b.code, name: b.name, address: b.address, grid: b.grid.value, use: b.use,
                                 floors: text(b.floors), units: text(b.units), lon: text(b.lon), lat: text(b.lat)).validated())
        }
        for h in sample(r.houses, every: 10) {
            accept(HouseInput(code: h.code, buildingCode: r.buildings[Int(h.buildingID)].code, unit: h.unit, floor: text(h.floor),
                              room: h.room, use: h.use, rentalUse: h.rentalUse, area: text(h.area)).validated())
        }
        for o in r.organisations {
            accept(OrganisationInput(
                kind: o.kind.rawValue, name: o.name, creditCode: o.creditCode, enterpriseCategory: o.enterpriseCategory,
                registrationType: o.registrationType, holding: o.holding, socialType: o.socialType,
                legalRepresentative: o.legalRepresentative, phone: o.phone, address: o.address, grid: o.grid.value,
                employees: text(o.employees), lon: text(o.lon), lat: text(o.lat)).validated())
        }
        for c in r.components {
            accept(ComponentInput(code: c.code, state: c.state.rawValue, owner: c.owner, lon: text(c.lon), lat: text(c.lat),
                                  grid: c.grid.value).validated())
        }
        for role in r.roles {
            guard let kind = PopulationRoleKinds.standard[role.kind] else { problems.check(false, "kind \(role.kind)"); continue }
            accept(kind.normalise(fields: role.fields, tables: .standard))
        }
        #expect(problems.count == 0, "\(problems)")
    }

    @Test("only the first county of a city is filled")
    func cityFillsFirstCounty() {
        let first = city.grids.first { $0.level == .county }!
        let firstTownships = city.grids.filter { $0.level == .township && first.code.contains($0.code) }.count
        let r = DemoRegisters.generate(for: trimmed(city, townships: [0, firstTownships]))
        #expect(!r.people.isEmpty)
        #expect(r.people.allSatisfy { first.code.contains($0.grid) })
        #expect(r.buildings.allSatisfy { first.code.contains($0.grid) })
        #expect(r.people.allSatisfy { $0.kind != .registered || $0.certificateNumber.hasPrefix(first.code.countyCode) })
    }
}
