import Testing
@testable import WanggeCore

@Suite("Register spreadsheets")
struct RegisterSheetTests {
    @Test("sheet kinds have stable ids")
    func ids() {
        let kinds: [RegisterSheetKind] = [.buildings, .houses, .people, .residences, .organisations, .components, .roles("correction")]
        for kind in kinds { #expect(RegisterSheetKind(id: kind.id) == kind) }
        #expect(RegisterSheetKind.roles("correction").id == "roles:correction")
        #expect(RegisterSheetKind(id: "roles:") == nil)
        #expect(RegisterSheetKind(id: "cats") == nil)
        #expect(RegisterSheet.of(.roles("cats")) == nil)
    }

    @Test("every sheet: unique headers and fields, tables that exist, examples of the template pass")
    func sheets() {
        let sheets = RegisterSheet.all()
        #expect(sheets.count == 6 + PopulationRoleKinds.standard.all.count)
        for sheet in sheets {
            let names = sheet.columns.flatMap { [SheetColumn.normalise($0.header)] + $0.aliases.map(SheetColumn.normalise) }
            #expect(names.count == Set(names).count, "\(sheet.title)")
            #expect(sheet.columns.count == Set(sheet.columns.map(\.field)).count, "\(sheet.title)")
            for column in sheet.columns {
                if let table = column.table { #expect(CodeTables.standard[table] != nil, "\(sheet.title) \(column.header)") }
            }
            #expect(sheet.templateHeader.filter { $0.hasSuffix("*") }.count == sheet.columns.filter(\.required).count)
        }
        let roles = RegisterSheet.of(.roles("correction"))
        #expect(roles?.title == "社区矫正")
        #expect(roles?.columns.map(\.header).prefix(6) == ["证件号码", "姓名", "关注程度", "走访周期(天)", "开始日期", "结束日期"])
        #expect(roles?.columns.first { $0.header == "矫正类别" }?.field == "fields.category")
        #expect(roles?.columns.first { $0.header == "矫正类别" }?.required == true)
    }

    @Test("each template maps onto its own sheet and its example row is a valid record")
    func templates() {
        for sheet in RegisterSheet.all() {
            guard case .success(let map) = sheet.map(header: sheet.templateHeader) else {
                Issue.record("\(sheet.title): template header refused")
                continue
            }
            #expect(map.ignored.isEmpty)
            let parsed = sheet.parse(sheet.columns.map(\.example), row: 2, map: map, today: registersToday)
            guard case .record = parsed else {
                Issue.record("\(sheet.title): \(parsed)")
                continue
            }
        }
    }

    @Test("header mapping: aliases, * markers, full-width forms; unknown columns listed")
    func mapping() throws {
        let sheet = try #require(RegisterSheet.of(.people))
        let map = try sheet.map(header: ["*姓名", "身份证号*", " 网格编码 ", "人员类别＊", "", "备注", "走访周期（天）"]).get()
        #expect(map.positions == ["name": 0, "certificateNumber": 1, "grid": 2, "kind": 3])
        #expect(map.ignored == ["备注", "走访周期（天）"])
        let roles = try #require(RegisterSheet.of(.roles("correction")))
        let roleMap = try roles.map(header: ["公民身份号码", "走访周期（天）", "矫正类别*", "矫正开始日期"]).get()
        #expect(roleMap.positions == ["certificateNumber": 0, "visitEveryDays": 1, "fields.category": 2, "fields.term_start": 3])
    }

    @Test("missing required and duplicated columns are row-1 errors under the column's header")
    func badHeaders() throws {
        let sheet = try #require(RegisterSheet.of(.people))
        guard case .failure(let errors) = sheet.map(header: ["姓名", "证件号码", "身份证号", "姓名", "网格编码"]) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.items.allSatisfy { $0.row == 1 })
        #expect(errors.items.contains(RowError(row: 1, column: "证件号码", "列重复：“证件号码”与“身份证号”是同一列")))
        #expect(errors.items.contains(RowError(row: 1, column: "姓名", "列重复：“姓名”出现了两次")))
        #expect(errors.items.contains { $0.column == "人员类别" && $0.message.contains("缺少必填列") })
        #expect(errors.items.count == 3)
    }

    @Test("people rows: a person with a house link; problems under Chinese headers; empty rows skipped")
    func peopleRows() throws {
        let sheet = try #require(RegisterSheet.of(.people))
        let header = ["姓名", "证件号码", "性别", "网格编码", "人员类别", "房屋编码", "居住关系", "入住日期"]
        let map = try sheet.map(header: header).get()
        let good = sheet.parse(["王芳", "11010519491231002X", "", "520102001001001", "户籍人口", "H-1", "业主", "2020/1/1"], row: 2, map: map,
                               today: registersToday)
        guard case .record(.person(let record)) = good else { Issue.record("\(good)"); return }
        #expect(record.person.sex == .female)
        #expect(record.residence == ResidenceDraft(certificateNumber: "11010519491231002X", houseCode: "H-1", role: .owner,
                                                   movedIn: try Day("2020-01-01")))

        let bad = sheet.parse(["王芳", "11010519491231002X", "男", "5201", "户籍人口", "", "业主", ""], row: 3, map: map, today: registersToday)
        guard case .rejected(let errors) = bad else { Issue.record("\(bad)"); return }
        #expect(errors.contains(RowError(row: 3, column: "性别", "性别与身份证号不符：身份证号为女性")))
        #expect(errors.contains { $0.column == "网格编码" && $0.row == 3 })
        #expect(errors.contains(RowError(row: 3, column: "房屋编码", "填写了居住关系或入住日期，请同时填写房屋编码")))
        #expect(errors.count == 3)

        #expect(sheet.parse(["", " ", "　"], row: 4, map: map, today: registersToday) == .empty)
        #expect(sheet.parse([], row: 5, map: map, today: registersToday) == .empty)
    }

    @Test("role rows: fields by label; a bad code names the field's header")
    func roleRows() throws {
        let sheet = try #require(RegisterSheet.of(.roles("correction")))
        let map = try sheet.map(header: ["证件号码", "姓名", "矫正类别", "矫正开始日期", "矫正小组人员组成类型"]).get()
        let good = sheet.parse(["11010519491231002X", "王芳", "缓刑", "20260105", "01、02"], row: 2, map: map, today: registersToday)
        guard case .record(.role(let draft)) = good else { Issue.record("\(good)"); return }
        #expect(draft.kind == "correction")
        #expect(draft.name == "王芳")
        #expect(draft.fields == ["category": "02", "term_start": "2026-01-05", "group_members": "01,02"])

        let bad = sheet.parse(["11010519491231002X", "王芳", "死缓", "", ""], row: 7, map: map, today: registersToday)
        guard case .rejected(let errors) = bad else { Issue.record("\(bad)"); return }
        #expect(errors.contains { $0.row == 7 && $0.column == "矫正类别" && $0.message.contains("不在代码表中") })
        #expect(errors.contains(RowError(row: 7, column: "矫正开始日期", "请填写“矫正开始日期”")))
    }

    @Test("rows of the other registers")
    func otherRows() throws {
        func parse(_ kind: RegisterSheetKind, _ header: [String], _ cells: [String]) throws -> ParsedRow {
            let sheet = try #require(RegisterSheet.of(kind))
            return sheet.parse(cells, row: 2, map: try sheet.map(header: header).get(), today: registersToday)
        }
        #expect(try parse(.buildings, ["楼栋编码", "楼栋名称", "地址", "建筑用途"], ["LD1", "1号楼", "幸福路1号", "住宅"])
            == .record(.building(BuildingDraft(code: "LD1", name: "1号楼", address: "幸福路1号", grid: nil, use: "01"))))
        #expect(try parse(.houses, ["楼栋编码", "房号", "出租用途"], ["LD1", "101", "住房"])
            == .record(.house(HouseDraft(buildingCode: "LD1", room: "101", rentalUse: "02"))))
        #expect(try parse(.residences, ["身份证号码", "房屋编码"], ["11010519491231002X", "H1"])
            == .record(.residence(ResidenceDraft(certificateNumber: "11010519491231002X", houseCode: "H1", role: .resident))))
        #expect(try parse(.components, ["部件编码", "经度", "纬度"], ["5201020101000001", "106.7", "26.5"])
            == .record(.component(ComponentDraft(code: "5201020101000001", state: .intact, lon: 106.7, lat: 26.5))))
        let organisation = try parse(.organisations, ["组织类别", "名称", "信用代码", "法人代表", "地址", "社会组织类型"],
                                     ["社会组织", "读书会", "91350100M000100Y43", "张三", "幸福路", ""])
        #expect(organisation == .rejected([RowError(row: 2, column: "社会组织类型", "请填写社会组织类型")]))
    }
}
