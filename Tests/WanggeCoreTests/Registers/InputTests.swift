import Foundation
import Testing
@testable import WanggeCore

@Suite("Building, house, residence, role, organisation and component inputs")
struct InputTests {
    @Test("a building: codes from labels, position optional but paired and inside China")
    func building() throws {
        let draft = try BuildingInput(code: "LD-0001", name: "幸福小区1号楼", address: "幸福路1号", use: "住宅", floors: "18.0", units: "2",
                                      lon: "106.71", lat: "26.57").validated().get()
        #expect(draft.grid == nil)
        #expect(draft.use == "01")
        #expect(draft.floors == 18)
        #expect(draft.lon == 106.71)
        let grid = try GridCode("520102001001001")
        #expect(draft.building(in: grid).grid == grid)

        let errors = registerProblems(BuildingInput(code: "楼#1", name: "", address: "幸福路1号", use: "宫殿", floors: "0", lon: "106.7").validated())
        #expect(Set(errors.items.compactMap(\.field)) == ["code", "name", "use", "floors", "lat"])
        #expect(errors.messages(for: "lat") == ["经度和纬度须同时填写"])

        let swapped = registerProblems(BuildingInput(code: "A", name: "A", address: "A", use: "01", lon: "26.57", lat: "106.71").validated())
        #expect(swapped.messages(for: "lon").first?.contains("东经73°至136°") == true)
        #expect(swapped.messages(for: "lat").first?.contains("北纬3°至54°") == true)
    }

    @Test("a house: rental use, self-occupied words, area units")
    func house() throws {
        let rented = try HouseInput(buildingCode: "LD-0001", unit: "1", floor: "-1", room: "B102", rentalUse: "办公", area: "85.5㎡").validated().get()
        #expect(rented.rentalUse == "04")
        #expect(rented.floor == -1)
        #expect(rented.area == 85.5)
        #expect(rented.code == nil)
        #expect(rented.use == nil)
        #expect(try HouseInput(buildingCode: "LD-0001", room: "302", rentalUse: "自住").validated().get().rentalUse == nil)

        let errors = registerProblems(HouseInput(code: "门牌 1", room: "", rentalUse: "出租", area: "很大").validated())
        #expect(Set(errors.items.compactMap(\.field)) == ["code", "buildingCode", "room", "rentalUse", "area"])
        #expect(errors.messages(for: "rentalUse").first?.contains("请填写出租用途") == true)
    }

    @Test("a residence: the number normalised, the role by label, dates in order")
    func residence() throws {
        let draft = try ResidenceInput(certificateNumber: "110105491231002", houseCode: "H1", role: "租户", movedIn: "2020/3/1")
            .validated(today: registersToday).get()
        #expect(draft.certificateNumber == "11010519491231002X")
        #expect(draft.role == .tenant)
        #expect(draft.movedIn == (try Day("2020-03-01")))
        #expect(try ResidenceInput(certificateNumber: "E1234567", houseCode: "H1").validated().get().role == .resident)

        let errors = registerProblems(ResidenceInput(certificateNumber: "110105194912310021", role: "邻居", movedIn: "2021-01-01",
                                             movedOut: "2020-01-01").validated(today: registersToday))
        #expect(Set(errors.items.compactMap(\.field)) == ["certificateNumber", "houseCode", "role", "movedOut"])
        #expect(errors.messages(for: "movedOut") == ["迁出日期2020-01-01早于入住日期2021-01-01"])
        let future = registerProblems(ResidenceInput(certificateNumber: "E1234567", houseCode: "H1", movedIn: "2030-01-01").validated(today: registersToday))
        #expect(future.messages(for: "movedIn").first?.contains("晚于今天") == true)
    }

    @Test("a role: defaults from its kind, fields normalised under fields.KEY")
    func role() throws {
        let draft = try RoleInput(certificateNumber: "11010519491231002X", kind: "社区矫正人员",
                                  fields: ["矫正类别": "缓刑", "矫正开始日期": "2026.1.5"]).validated().get()
        #expect(draft.kind == "correction")
        #expect(draft.attention == "01")
        #expect(draft.visitEveryDays == 7)
        #expect(draft.fields == ["category": "02", "term_start": "2026-01-05"])

        let chosen = try RoleInput(certificateNumber: "11010519491231002X", kind: "disabled", attention: "低", visitEveryDays: "60",
                                   since: "2025-01-01", fields: ["disability_type": "肢体残疾", "disability_grade": "二级"]).validated().get()
        #expect(chosen.attention == "03")
        #expect(chosen.visitEveryDays == 60)
        #expect(chosen.since == (try Day("2025-01-01")))

        let errors = registerProblems(RoleInput(certificateNumber: "", kind: "correction", attention: "极高", visitEveryDays: "400",
                                        since: "2026-02-01", until: "2026-01-01", fields: ["category": "09"]).validated())
        #expect(Set(errors.items.compactMap(\.field)) == ["certificateNumber", "attention", "visitEveryDays", "until", "fields.category", "fields.term_start"])
        #expect(errors.messages(for: "visitEveryDays").first?.contains("1至366") == true)

        let unknown = registerProblems(RoleInput(certificateNumber: "E1234567", kind: "见义勇为").validated())
        #expect(unknown.messages(for: "kind").first?.contains("社区矫正") == true)

        let json = #"{"certificateNumber":"E1234567","kind":"subsistence","visitEveryDays":45,"fields":{"保障人数":3,"低保证号":"DB001"}}"#
        let decoded = try JSONDecoder().decode(RoleInput.self, from: Data(json.utf8)).validated().get()
        #expect(decoded.visitEveryDays == 45)
        #expect(decoded.fields == ["covered_people": "3", "subsistence_number": "DB001"])
    }

    @Test("an organisation: kind-specific codes, credit code checked")
    func organisation() throws {
        let draft = try OrganisationInput(kind: "企业", name: "某某商贸有限公司", creditCode: "91350100M000100Y43", enterpriseCategory: "内资企业",
                                          registrationType: "私营", holding: "210", legalRepresentative: "李四", phone: "0851-86812345",
                                          address: "幸福路8号", employees: "25").validated().get()
        #expect(draft.kind == .enterprise)
        #expect(draft.enterpriseCategory == "01")
        #expect(draft.registrationType == "170")
        #expect(draft.holding == "210")
        #expect(draft.phone == "0851-86812345")
        #expect(draft.employees == 25)

        let enterprise = registerProblems(OrganisationInput(kind: "enterprise", name: "甲", creditCode: "91350100M000100Y44", socialType: "基金会",
                                                    legalRepresentative: "乙", address: "丙").validated())
        #expect(Set(enterprise.items.compactMap(\.field)) == ["creditCode", "enterpriseCategory", "registrationType", "socialType"])

        let social = registerProblems(OrganisationInput(kind: "社会组织", name: "甲", creditCode: "91350100M000100Y43", enterpriseCategory: "01",
                                                legalRepresentative: "乙", address: "丙").validated())
        #expect(Set(social.items.compactMap(\.field)) == ["socialType", "enterpriseCategory"])
        #expect(social.messages(for: "enterpriseCategory") == ["企业类别仅非公有制经济组织填写，此组织为社会组织"])
    }

    @Test("a component: code class checked, position required, grid in the code's county")
    func component() throws {
        let draft = try ComponentInput(code: "5201020105000001", state: "破损", lon: "106.71", lat: "26.57").validated().get()
        #expect(draft.state == .damaged)
        #expect(draft.code == "5201020105000001")
        #expect(try ComponentInput(code: "5201020105000001", lon: "106.71", lat: "26.57").validated().get().state == .intact)

        let errors = registerProblems(ComponentInput(code: "5201020105000002", state: "被偷了", grid: "520103001001001").validated())
        #expect(Set(errors.items.compactMap(\.field)) == ["state", "lon", "grid"])
        #expect(errors.messages(for: "lon") == ["请填写经度和纬度"])
        #expect(errors.messages(for: "grid").first?.contains("不在部件编码所属区县520102内") == true)
    }
}
