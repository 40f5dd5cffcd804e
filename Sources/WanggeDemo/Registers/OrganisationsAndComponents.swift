import WanggeCore

/// Organisations (组织) and city components (物).
///
/// About 300 enterprises, as a county's market register has them: 40% 个体工商户 (credit
/// codes 92…) in the streets and town seats, 45% companies (91…) — trade and building in
/// town, tea, liquor and farming in the villages, manufacturing in the park — 12% 农民专业合作社
/// (93…) in the villages, a few foreign-invested and other firms; then the county's 38
/// social organisations (51 社会团体, 52 民办非企业单位, 53 基金会) in the streets. Each sits
/// in a building of its grid, whose address and position it takes; its legal representative
/// is an adult living in that grid.
///
/// About 2,000 city components in the town grids (streets and town seats): manhole covers,
/// street lamps and hydrants far the most, a few of the other classes; 92% intact.
extension RegisterBuilder {
    private static let enterpriseCount = 300

    mutating func addOrganisations(_ rng: inout SeededRandom) {
        var codes = CreditCodeMaker()
        let division = county.county.code.countyCode
        let countyName = county.county.name
        let urban = county.places.indices.filter { county.places[$0].kind.isUrban && !peopleOfPlace[$0].isEmpty }
        let villages = county.places.indices.filter { county.places[$0].kind == .village && !peopleOfPlace[$0].isEmpty }
        let parks = county.places.indices.filter { county.places[$0].kind == .special(.park) }
        let streets = county.places.indices.filter { county.places[$0].kind.isUrban && !county.places[$0].isTownSeat }
        guard !urban.isEmpty else { return }
        func inVillage() -> [Int] { villages.isEmpty ? urban : villages }

        for _ in 0..<Self.enterpriseCount {
            let roll = Households.weighted([40, 45, 12, 1, 2], &rng)
            var org: Organisation
            switch roll {
            case 0:
                let p = rng.chance(0.85) ? rng.pick(urban) : rng.pick(inVillage())
                let place = county.places[p]
                let brand = rng.chance(0.5) ? rng.pick(Names.surnames) + "记" : rng.pick(RegisterNames.brands)
                org = company(.enterprise, name: place.townshipName + brand + rng.pick(RegisterNames.shops),
                              code: codes.make(prefix: "92", division: division, rng: &rng), at: p, employees: 1...6, &rng)
                // GB/T 31000 requires a 登记注册类型 of every enterprise; a 个体工商户 is privately owned.
                (org.enterpriseCategory, org.registrationType, org.holding) = ("03", "170", "210")
            case 2:
                let p = rng.pick(inVillage())
                let product = rng.pick(RegisterNames.cooperativeProducts)
                org = company(.enterprise, name: countyName + county.places[p].communityName + product + "专业合作社",
                              code: codes.make(prefix: "93", division: division, rng: &rng), at: p, employees: 5...60, &rng)
                (org.enterpriseCategory, org.registrationType) = ("04", "190")  // 其他内资企业
            default:
                let trade = rng.pick(RegisterNames.trades)
                let rural = ["茶业", "酒业", "农业开发", "生态养殖", "竹木制品", "旅游开发"].contains(trade)
                let industrial = ["机械制造", "食品", "电子科技", "建材"].contains(trade)
                let p = industrial && !parks.isEmpty && rng.chance(0.6) ? rng.pick(parks)
                    : rural && rng.chance(0.6) ? rng.pick(inVillage()) : rng.pick(urban)
                let form = rng.chance(0.06) ? "股份有限公司" : rng.chance(0.3) ? "有限责任公司" : "有限公司"
                let seat = rng.chance(0.2) ? "贵州" : countyName
                org = company(.enterprise, name: seat + rng.pick(RegisterNames.brands) + trade + form,
                              code: codes.make(prefix: "91", division: division, rng: &rng), at: p,
                              employees: [3...20, 20...80, 80...300][Households.weighted([65, 28, 7], &rng)], &rng)
                switch roll {
                case 3:
                    let hk = rng.chance(0.5)
                    (org.enterpriseCategory, org.registrationType, org.holding) = ("02", hk ? "200" : "300", hk ? "220" : "230")
                case 4:
                    (org.enterpriseCategory, org.registrationType, org.holding) = ("99", rng.chance(0.5) ? "130" : "140", "120")
                default:
                    let type = ["150", "170", "160", "110", "120", "190"][Households.weighted([55, 30, 5, 4, 3, 3], &rng)]
                    (org.enterpriseCategory, org.registrationType) = ("01", form == "股份有限公司" ? "160" : type)
                    org.holding = org.registrationType == "110" ? "110" : org.registrationType == "120" ? "120" : "210"
                }
            }
            out.organisations.append(org)
        }

        let social: [(String, String, [String])] = [
            ("51", "01", RegisterNames.associations), ("52", "02", RegisterNames.privateNonEnterprise),
            ("53", "03", RegisterNames.foundations),
        ]
        for (prefix, type, names) in social {
            for name in names {
                var org = company(.social, name: countyName + name,
                                  code: codes.make(prefix: prefix, division: division, rng: &rng),
                                  at: rng.pick(streets.isEmpty ? urban : streets), employees: 1...25, &rng)
                org.socialType = type
                out.organisations.append(org)
            }
        }
    }

    /// An organisation in a building of place `p`, its shop or office when it has one.
    private func company(_ kind: OrganisationKind, name: String, code: String, at p: Int, employees: ClosedRange<Int>,
                         _ rng: inout SeededRandom) -> Organisation {
        let place = county.places[p]
        let range = buildingsOfPlace[p]
        let premises = range.filter { ["02", "03", "04", "05", "06"].contains(out.buildings[$0].use) }
        let b = premises.isEmpty ? range.lowerBound + rng.below(Swift.max(range.count, 1)) : rng.pick(premises)
        let building = out.buildings[b]
        let people = peopleOfPlace[p]
        var representative = Names.person(&rng), phone: String? = nil
        for _ in 0..<20 where !people.isEmpty {
            let q = people.lowerBound + rng.below(people.count)
            if out.people[q].kind != .foreign, (25...70).contains(Int(facts[q].age)), !facts[q].away {
                representative = out.people[q].name
                phone = out.people[q].phone
                break
            }
        }
        return Organisation(kind: kind, name: name, creditCode: code, legalRepresentative: representative, phone: phone,
                            address: building.address, grid: place.grid.code, employees: rng.int(in: employees),
                            lon: building.lon, lat: building.lat)
    }

    private static let componentCount = 2_000
    /// 城市部件小类 (the core's `城市部件小类` table: 上水, 污水, 雨水 and 电力井盖, 路灯, 消防栓,
    /// 公交站亭, 交通信号灯, 公共厕所, 果皮箱, 古树名木, 行道树) and how common each is.
    private static let minorClasses: [(code: String, weight: Int)] = [
        ("0101", 14), ("0102", 16), ("0103", 16), ("0104", 10), ("0105", 22), ("0106", 8),
        ("0201", 3), ("0202", 3), ("0301", 3), ("0302", 3), ("0401", 1), ("0402", 1),
    ]

    mutating func addComponents(_ rng: inout SeededRandom) {
        let countyName = county.county.name
        let towns = county.places.indices.filter { county.places[$0].kind.isUrban && county.places[$0].grid.boundary != nil }
        guard !towns.isEmpty else { return }
        // Streets and lanes have the most lamps and covers per grid, work-unit compounds the fewest.
        let weights = towns.map { p -> Double in
            switch county.places[p].kind {
            case .lane: 1.3
            case .compound: 0.6
            default: 1
            }
        }
        let total = weights.reduce(0, +)
        var serials: [String: Int] = [:]
        let division = county.county.code.countyCode
        for (p, w) in zip(towns, weights) {
            let exact = Double(Self.componentCount) * w / total
            let count = Int(exact) + (rng.unit() < exact - Double(Int(exact)) ? 1 : 0)
            let place = county.places[p]
            for _ in 0..<count {
                let minor = Self.minorClasses[Households.weighted(Self.minorClasses.map(\.weight), &rng)].code
                let serial = (serials[minor] ?? 0) + 1
                serials[minor] = serial
                let owner: String
                switch minor {
                case "0101", "0106": owner = countyName + "自来水公司"
                case "0104": owner = String(countyName.dropLast()) + "供电局"
                case "0105", "0301", "0302": owner = countyName + "综合行政执法局"
                case "0201": owner = countyName + "交通运输局"
                case "0202": owner = countyName + "公安局交通警察大队"
                default: owner = countyName + "住房和城乡建设局"
                }
                let state: ComponentState = [.intact, .damaged, .missing, .occupied, .removed][
                    Households.weighted([920, 45, 10, 20, 5], &rng)]
                guard let (lon, lat) = place.randomPoint(&rng) else { continue }
                out.components.append(Component(code: division + minor + pad(serial, 6), grid: place.grid.code, state: state,
                                                owner: owner, lon: lon, lat: lat))
            }
        }
    }
}
