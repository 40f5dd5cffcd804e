import Testing
@testable import WanggeCore

private let header = "分类编码,分类名称,事项编码,事项名称,责任部门,处置层级,处置时限,优先级,群众可报,说明"

private func item(_ code: String = "0101", name: String = "邻里纠纷", departments: [DepartmentKind] = [.justice],
                  level: HandlingLevel = .grid, deadline: DeadlineSpec = .workingDays(3), priority: Priority = .normal,
                  citizen: Bool = true, description: String? = nil) -> CatalogItem {
    CatalogItem(code: code, categoryCode: String(code.prefix(2)), name: name, departments: departments, level: level,
                deadline: deadline, priority: priority, citizenReportable: citizen, description: description)
}

private func errorField(_ body: @autoclosure () throws(ValidationError) -> Void) -> String? {
    do throws(ValidationError) { try body(); return nil } catch { return error.field }
}

/// The errors of a CSV text that must fail to decode.
private func rowErrors(_ text: String) -> [RowError] {
    switch CatalogCSV.decode(text) {
    case .success: return []
    case .failure(let errors): return errors.items
    }
}

private func decoded(_ text: String) throws -> Catalog {
    try CatalogCSV.decode(text).get()
}

@Suite("Catalog")
struct CatalogTests {
    @Test func validItemPasses() {
        #expect(errorField(try item().validate()) == nil)
        #expect(errorField(try item("0705", name: "井盖丢失或破损", departments: [.urbanManagement], level: .county,
                                      deadline: .workingHours(4), priority: .urgent).validate()) == nil)
    }

    @Test(arguments: [
        (item("101"), "code"), (item("01011"), "code"), (item("0100"), "code"), (item("01a1"), "code"),
        (CatalogItem(code: "0201", categoryCode: "01", name: "x", departments: [.justice], level: .grid,
                     deadline: .workingDays(3), priority: .normal, citizenReportable: true), "code"),
        (item("0001"), "categoryCode"),
        (item(name: "  "), "name"), (item(name: String(repeating: "纠", count: 51)), "name"), (item(name: "=1+1"), "name"),
        (item(departments: []), "departments"), (item(departments: [.justice, .justice]), "departments"),
        (item(level: .community, deadline: .workingHours(4), priority: .urgent), "level"),
        (item(deadline: .workingDays(0)), "deadline"), (item(deadline: .workingDays(61)), "deadline"),
        (item(deadline: .workingHours(73)), "deadline"),
        (item(level: .county, deadline: .workingDays(1), priority: .urgent), "priority"),
        (item(description: String(repeating: "说", count: 501)), "description"), (item(description: "@cmd"), "description"),
    ])
    func invalidItemNamesTheField(_ item: CatalogItem, _ field: String) {
        #expect(errorField(try item.validate()) == field)
    }

    @Test func catalogValidation() {
        let disputes = CatalogCategory(code: "01", name: "矛盾纠纷")
        #expect(errorField(try Catalog(categories: [disputes], items: [item()]).validate()) == nil)
        #expect(errorField(try Catalog(categories: [disputes], items: [item(), item()]).validate()) == "code")
        #expect(errorField(try Catalog(categories: [], items: [item()]).validate()) == "categoryCode")
        #expect(errorField(try Catalog(categories: [disputes, disputes], items: []).validate()) == "categoryCode")
        #expect(errorField(try Catalog(categories: [disputes, CatalogCategory(code: "02", name: "矛盾纠纷")], items: []).validate())
                == "categoryName")
        #expect(errorField(try Catalog(categories: [CatalogCategory(code: "1", name: "x")], items: []).validate()) == "categoryCode")
        #expect(errorField(try Catalog(categories: [disputes], items: [item(name: "")]).validate()) == "name")
    }

    @Test func catalogKeepsCodeOrder() {
        let c = Catalog(categories: [CatalogCategory(code: "02", name: "b"), CatalogCategory(code: "01", name: "a")],
                        items: [item("0203"), item("0101"), item("0201")])
        #expect(c.categories.map(\.code) == ["01", "02"])
        #expect(c.items.map(\.code) == ["0101", "0201", "0203"])
        #expect(c.item("0201")?.code == "0201" && c.item("0999") == nil)
        #expect(c.items(inCategory: "02").count == 2)
        #expect(HandlingLevel.township.gridLevel == .township && HandlingLevel.grid.label == "网格")
    }
}

@Suite("CatalogSeed")
struct CatalogSeedTests {
    let seed = CatalogSeed.catalog

    @Test func decodesWithoutErrors() throws {
        let catalog = try decoded(CatalogSeed.csv)
        #expect(catalog == seed)
        #expect(seed.items.count >= 95)
        #expect(seed.categories.count == 12)
        #expect(throws: Never.self) { try seed.validate() }
        for category in seed.categories {
            #expect(seed.items(inCategory: category.code).count >= 5, "\(category.name)")
        }
    }

    @Test func sensibleAssignments() throws {
        func find(_ name: String) throws -> CatalogItem { try #require(seed.items.first { $0.name == name }, "\(name)") }
        let neighbours = try find("邻里纠纷")
        #expect(neighbours.level == .grid && neighbours.departments.first == .justice)
        let manhole = try find("井盖丢失或破损")
        #expect(manhole.level == .county && manhole.leadDepartment == .urbanManagement && manhole.priority == .urgent)
        let gas = try find("燃气管道破裂")
        #expect(gas.level == .county && gas.priority == .urgent && gas.deadline.isInHours)
        let outside = try find("店外经营")
        #expect(outside.level == .township && outside.deadline == .workingDays(1))
        let consult = try find("政策咨询")
        #expect(consult.level == .community && consult.deadline == .workingDays(3))
        #expect(seed.items.filter { $0.deadline == .workingDays(13) }.count >= 5)
        // Special populations and petitions are reported by grid workers only.
        for item in seed.items where ["10", "11"].contains(item.categoryCode) { #expect(!item.citizenReportable, "\(item.name)") }
        #expect(seed.items.filter(\.citizenReportable).count >= 80)
        #expect(seed.items.filter { $0.priority == .urgent }.allSatisfy { $0.deadline.isInHours })
    }
}

@Suite("CatalogCSV")
struct CatalogCSVTests {
    @Test func roundTripOfTheSeed() throws {
        let text = CatalogCSV.encode(CatalogSeed.catalog)
        #expect(text.hasPrefix("\u{FEFF}" + header + "\r\n"))
        #expect(text.contains("\r\n07,突发事件,0705,井盖丢失或破损,城管,县级,4个工作小时,紧急,是,先设警示，再补盖\r\n"))
        #expect(try decoded(text) == CatalogSeed.catalog)
    }

    @Test func roundTripOfAwkwardText() throws {
        let catalog = Catalog(
            categories: [CatalogCategory(code: "01", name: "矛盾纠纷"), CatalogCategory(code: "13", name: "其他, 杂项")],
            items: [item(description: "含逗号,引号\"和\n换行"), item("0102", name: "土地\"确权\"纠纷", departments: [.naturalResources, .justice],
                                                                level: .township, deadline: .workingHours(8), priority: .high, citizen: false)])
        let text = CatalogCSV.encode(catalog)
        #expect(text.contains("\"含逗号,引号\"\"和\n换行\""))
        #expect(text.contains("\r\n13,\"其他, 杂项\",,,,,,,,\r\n"))  // a category without items
        #expect(try decoded(text) == catalog)
    }

    @Test func lenientForms() throws {
        // No BOM, LF, columns reordered, no 说明 column, raw codes, "3d"/"4h", full-width brackets, spaces.
        let text = """
            事项编码,分类编码,分类名称,事项名称,责任部门,处置层级,处置时限,优先级,群众可报
            0101,01,矛盾纠纷,邻里纠纷, 司法 ,grid,3d,normal,Y

            0102,01,矛盾纠纷,婚姻家庭纠纷,司法，民政,村（社区）,5个工作日,一般,否
            0201,02,突发事件,井盖丢失,urban_management,县(区),4h,紧急,1
            """
        let catalog = try decoded(text)
        #expect(catalog.items.count == 3)
        #expect(catalog.item("0101") == item())
        #expect(catalog.item("0102")?.departments == [.justice, .civilAffairs] && catalog.item("0102")?.level == .community)
        #expect(catalog.item("0201")?.level == .county && catalog.item("0201")?.deadline == .workingHours(4))
    }

    @Test func bomAndCRLF() throws {
        let text = "\u{FEFF}" + header + "\r\n01,矛盾纠纷,0101,邻里纠纷,司法,网格,3个工作日,一般,是,\r\n"
        #expect(try decoded(text) == Catalog(categories: [CatalogCategory(code: "01", name: "矛盾纠纷")], items: [item()]))
        // Old Mac line ends, no final newline.
        let cr = header + "\r01,矛盾纠纷,0101,邻里纠纷,司法,网格,3个工作日,一般,是,"
        #expect(try decoded(cr).items == [item()])
    }

    @Test func quotedFieldsKeepRowNumbers() {
        // Row 2 spans three lines; the bad level is still on row 3 as a spreadsheet counts rows.
        let text = header + "\n" + "01,矛盾纠纷,0101,邻里纠纷,\"司法、民政\",网格,3个工作日,一般,是,\"第一行\n第二行, 含逗号\n\"\"引用\"\"\"\n"
            + "01,矛盾纠纷,0102,婚姻家庭纠纷,司法,大队,3个工作日,一般,是,\n"
        #expect(rowErrors(text) == [RowError(row: 3, column: "处置层级", "处置层级应为网格、村(社区)、乡镇(街道)、县级之一，收到“大队”")])
        let good = text.replacing("大队", with: "网格")
        #expect((try? decoded(good))?.item("0101")?.description == "第一行\n第二行, 含逗号\n\"引用\"")
    }

    @Test func everyBadRowIsReported() {
        let text = header + "\n" + [
            "01,矛盾纠纷,0101,邻里纠纷,司法,网格,3个工作日,一般,是,",  // row 2: fine
            "01,矛盾纠纷,0102,婚姻纠纷,司法,大队,3个工作日,一般,是,",  // row 3: level
            "01,矛盾纠纷,0103,土地纠纷,司法,网格,三天,一般,是,",  // row 4: deadline
            "01,矛盾纠纷,0104,物业纠纷,物业办、司法,网格,3d,一般,是,",  // row 5: department
            "01,矛盾纠纷,0101,邻里纠纷二,司法,网格,3d,一般,是,",  // row 6: duplicate code
            "01,矛盾纠纷,0105,医疗纠纷,卫健,县级,3d,一般,是",  // row 7: nine columns
            "02,矛盾纠纷,0201,交通纠纷,公安,县级,3d,特急,也许,",  // row 8: name reused, priority, 群众可报
            "01,纠纷,0106,债务纠纷,司法,网格,3d,一般,是,",  // row 9: category renamed
            "01,矛盾纠纷,0207,消费纠纷,市场监管,网格,3d,一般,是,",  // row 10: code outside its category
        ].joined(separator: "\n")
        let errors = rowErrors(text)
        #expect(errors.map(\.row) == [3, 4, 5, 6, 7, 8, 8, 8, 9, 10])
        #expect(errors.map(\.column) == ["处置层级", "处置时限", "责任部门", "事项编码", nil, "分类名称", "优先级", "群众可报",
                                          "分类名称", "事项编码"])
        #expect(errors[2].message.hasPrefix("未知的部门“物业办”"))
        #expect(errors[3].message == "事项编码0101与第2行重复")
        #expect(errors[4].message.hasPrefix("应有10列，实有9列"))
        #expect(errors[5].message == "分类名称“矛盾纠纷”已用于分类01")
        #expect(errors[8].message == "分类01在第2行名为“矛盾纠纷”，此处为“纠纷”")
        // Without the category conflict, row 8's field errors stand alone.
        let row8 = rowErrors(header + "\n02,其他,0201,交通纠纷,公安,县级,3d,特急,也许,")
        #expect(row8.map(\.column) == ["优先级", "群众可报"])
    }

    @Test func ruleErrorsNameTheirColumn() {
        let urgentInDays = header + "\n07,突发事件,0701,路面塌陷,住建,县级,3d,紧急,是,"
        #expect(rowErrors(urgentInDays).map(\.column) == ["优先级"])
        let formula = header + "\n07,突发事件,0701,=HYPERLINK(1),住建,县级,3h,紧急,是,"
        #expect(rowErrors(formula).map(\.column) == ["事项名称"])
        let badCategory = header + "\n7,突发事件,0701,路面塌陷,住建,县级,3h,紧急,是,"
        #expect(rowErrors(badCategory).map(\.column) == ["分类编码"])
    }

    @Test func headerProblems() {
        let missing = "分类编码,分类名称,事项编码,事项名称,责任部门,处置时限,优先级,群众可报\n01,矛盾纠纷,0101,邻里纠纷,司法,3d,一般,是"
        #expect(rowErrors(missing) == [RowError(row: 1, column: "处置层级", "缺少此列")])
        let unknown = header + ",备注\n01,矛盾纠纷,0101,邻里纠纷,司法,网格,3d,一般,是,,"
        #expect(rowErrors(unknown).map(\.column) == ["备注"])
        let doubled = header + ",说明\n"
        #expect(rowErrors(doubled).first?.message == "列重复")
        #expect(rowErrors("") == [RowError(row: 1, "缺少表头，应为：" + header)])
        #expect(rowErrors(header + "\r\n\r\n") == [RowError(row: 2, "文件中没有任何分类或事项")])
        // An empty trailing header cell (as some spreadsheets write) is ignored.
        #expect((try? decoded(header + ",\n01,矛盾纠纷,0101,邻里纠纷,司法,网格,3d,一般,是,,"))?.items.count == 1)
    }

    @Test func brokenQuotes() {
        let unclosed = header + "\n01,矛盾纠纷,0101,邻里纠纷,司法,网格,3d,一般,是,\"没有结束"
        #expect(rowErrors(unclosed) == [RowError(row: 2, "引号未闭合")])
        let trailing = header + "\n01,矛盾纠纷,0101,\"邻里\"纠纷,司法,网格,3d,一般,是,"
        #expect(rowErrors(trailing).first?.row == 2)
        #expect(rowErrors(trailing).first?.message.hasPrefix("引号之后还有其他字符") == true)
        // A quote inside an unquoted field is plain text, and spaces after a closing quote are dropped.
        let plain = header + "\n01,矛盾纠纷,0101,邻里纠纷,司法,网格,3d,一般,是,身高5'8\"\n01,矛盾纠纷,0102,\"婚姻\" ,司法,网格,3d,一般,是,"
        #expect((try? decoded(plain))?.item("0101")?.description == "身高5'8\"")
        #expect((try? decoded(plain))?.item("0102")?.name == "婚姻")
    }

    @Test func rowErrorText() {
        #expect(RowError(row: 3, column: "处置层级", "无效").description == "第3行 处置层级：无效")
        #expect(RowErrors([RowError(row: 1, "缺少表头")]).description == "第1行：缺少表头")
    }
}
