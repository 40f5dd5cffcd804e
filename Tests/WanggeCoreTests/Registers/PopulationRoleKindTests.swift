import Testing
@testable import WanggeCore

@Suite("Population role kinds")
struct PopulationRoleKindTests {
    let kinds = PopulationRoleKinds.standard
    let tables = CodeTables.standard

    @Test("the shipped kinds load with their defaults")
    func shipped() throws {
        #expect(kinds.all.map(\.key) == ["correction", "released", "drug", "mental", "hiv", "youth", "left_behind", "empty_nest",
                                         "disabled", "subsistence", "relocated"])
        let correction = try #require(kinds["correction"])
        #expect(correction.label == "社区矫正")
        #expect(correction.group == .special)
        #expect(correction.defaultAttention == "01")
        #expect(correction.defaultVisitEveryDays == 7)
        #expect(correction.field("矫正小组人员组成类型")?.type == .codes(table: "矫正小组人员组成类型"))
        #expect(correction.field("term_start")?.required == true)
        #expect(kinds["empty_nest"]?.field("独居")?.type == .bool)
        #expect(kinds["subsistence"]?.group == .care)
        #expect(PopulationGroup.care.label == "关爱对象")
    }

    @Test("every code table a kind refers to exists")
    func tablesExist() {
        for kind in kinds.all {
            #expect(tables["关注程度"]?.contains(kind.defaultAttention) == true, "\(kind.key)")
            for field in kind.fields {
                if let table = field.type.table { #expect(tables[table] != nil, "\(kind.key).\(field.key) → \(table)") }
            }
        }
    }

    @Test("kinds resolve by key, label or alias", arguments: [
        ("correction", "correction"), ("社区矫正", "correction"), ("社区矫正人员", "correction"), ("独居老人", "empty_nest"),
        ("空巢/独居老人", "empty_nest"), ("留守儿童", "left_behind"),
    ])
    func resolve(text: String, key: String) {
        #expect(kinds.resolve(text)?.key == key)
    }

    @Test("unknown kinds do not resolve")
    func unknownKind() {
        #expect(kinds.resolve("见义勇为") == nil)
        #expect(kinds["社区矫正"] == nil)
    }

    @Test("fields are normalised: labels as keys, codes from labels, multi codes, dates, bools, numbers")
    func normalise() throws {
        let correction = try #require(kinds["correction"])
        let result = correction.normalise(fields: [
            "矫正类别": "缓刑", "term_start": "2026/1/5", "group_members": "司法所工作人员、03，01", "reception": "", "term_end": "20270104",
        ], tables: tables)
        #expect(try result.get() == ["category": "02", "term_start": "2026-01-05", "group_members": "01,03", "term_end": "2027-01-04"])

        let alone = try #require(kinds["empty_nest"]).normalise(fields: ["独居": "是", "health": "02"], tables: tables)
        #expect(try alone.get() == ["lives_alone": "true", "health": "02"])
        let subsistence = try #require(kinds["subsistence"]).normalise(fields: ["保障人数": "３.0"], tables: tables)
        #expect(try subsistence.get() == ["covered_people": "3"])
    }

    @Test("every problem of the fields is reported")
    func problems() throws {
        let correction = try #require(kinds["correction"])
        let result = correction.normalise(fields: [
            "category": "99", "term_start": "2026-02-30", "爱好": "钓鱼", "group_members": "01、外星人", "release_type": "",
        ], tables: tables)
        guard case .failure(let errors) = result else { Issue.record("accepted"); return }
        #expect(errors.messages(for: "category").first?.contains("不在代码表中") == true)
        #expect(errors.messages(for: "term_start").first?.contains("2月没有30日") == true)
        #expect(errors.messages(for: "爱好").first?.contains("没有“爱好”这一项") == true)
        #expect(errors.messages(for: "group_members").first?.contains("外星人") == true)
        #expect(errors.items.count == 4)

        let missing = correction.normalise(fields: ["矫正开始日期": "2026-01-05"], tables: tables)
        guard case .failure(let missingErrors) = missing else { Issue.record("accepted"); return }
        #expect(missingErrors.items == [ValidationError(field: "category", "请填写“矫正类别”")])

        let twice = correction.normalise(fields: ["category": "01", "矫正类别": "02", "term_start": "2026-01-05"], tables: tables)
        guard case .failure(let twiceErrors) = twice else { Issue.record("accepted"); return }
        #expect(twiceErrors.items.first?.message.contains("重复填写") == true)

        let bool = try #require(kinds["empty_nest"]).normalise(fields: ["独居": "也许"], tables: tables)
        guard case .failure(let boolErrors) = bool else { Issue.record("accepted"); return }
        #expect(boolErrors.items.first?.message.contains("是”或“否") == true)
    }

    @Test("the data file's problems name the line")
    func parseErrors() {
        let tables = try! CodeTables(files: ["关注程度: 01=高; 02=中\n颜色: 1=红"])
        let cases: [(String, String)] = [
            ("[a] 甲 | group=special | attention=01 | visit=7\nx 字段 code:形状", "第2行：字段“字段”引用的代码表“形状”不存在"),
            ("x 字段 text", "第1行：字段行之前缺少"),
            ("[a] 甲 | group=other | attention=01 | visit=7", "group 应为 special 或 care"),
            ("[a] 甲 | group=care | attention=09 | visit=7", "attention"),
            ("[a] 甲 | group=care | attention=01 | visit=0", "visit"),
            ("[a] 甲 | group=care | attention=01 | visit=7 | colour=red", "未知的属性"),
            ("[A] 甲 | group=care | attention=01 | visit=7", "类别键"),
            ("[a] 甲 | group=care | attention=01 | visit=7\nx 字段 text\ny 字段 date", "第3行：字段“y 字段”重复"),
            ("[a] 甲 | group=care | attention=01 | visit=7\nx 字段 colour", "未知的字段类型"),
            ("[a] 甲 | group=care | attention=01 | visit=7\nx 姓名 text", "固定列重名"),
            ("[a] 甲 | group=care | attention=01 | visit=7\nx 字段 text optional", "key 名称 类型 [required]"),
            ("[a] 甲 | group=care | attention=01 | visit=7\n[a] 乙 | group=care | attention=01 | visit=7", "第2行：类别“a”重复定义"),
            ("[a] 甲 | group=care | attention=01 | visit=7\n[b] 乙 | group=care | attention=01 | visit=7 | aliases=甲", "别名“甲”"),
        ]
        for (text, reason) in cases {
            let error = registerRejection { () throws(ValidationError) in try PopulationRoleKinds(text: text, tables: tables) }
            #expect(error?.field == "population-roles.txt", "\(text)")
            #expect(error?.message.contains(reason) == true, "\(text): \(String(describing: error))")
        }
        let fine = try? PopulationRoleKinds(text: "[a] 甲 | group=care | attention=02 | visit=15\nc 颜色 codes:颜色 required\n", tables: tables)
        #expect(fine?["a"]?.fields == [RoleField(key: "c", label: "颜色", type: .codes(table: "颜色"), required: true)])
    }
}
