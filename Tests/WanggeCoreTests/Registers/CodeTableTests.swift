import Testing
@testable import WanggeCore

@Suite("Code tables")
struct CodeTableTests {
    let tables = CodeTables.standard

    @Test("the shipped tables load, with the corrected 出租用途")
    func shipped() throws {
        #expect(tables["流入原因"]?.label(of: "01") == "务工")
        let rental = try tables.table("出租用途")
        #expect(rental.label(of: "04") == "办公")
        #expect(!rental.contains("0"))
        #expect(rental.entries.map(\.code) == ["01", "02", "03", "04", "05", "06", "99"])
        #expect(tables.names.contains("城市部件小类"))
        #expect(tables.names.count == Set(tables.names).count)
        #expect(tables["城市部件小类"]?.entries.allSatisfy { $0.code.count == 4 && tables["城市部件大类"]?.contains(String($0.code.prefix(2))) == true } == true)
    }

    @Test("民族 has the 56 groups of GB/T 3304 in order, then 97 and 98")
    func ethnicities() throws {
        let table = try tables.table("民族")
        #expect(table.entries.count == 58)
        #expect(table.entries.first == CodeEntry(code: "01", label: "汉族"))
        #expect(table.label(of: "56") == "基诺族")
        #expect(table.label(of: "10") == "朝鲜族")
        #expect(table.label(of: "30") == "土族")
        #expect(table.label(of: "15") == "土家族")
        #expect(table.label(of: "98") == "外国血统中国籍人士")
        #expect(table.entries.prefix(56).map(\.code) == (1...56).map { $0 < 10 ? "0\($0)" : "\($0)" })
    }

    @Test("an unknown table is an error naming it")
    func unknown() {
        let error = registerRejection { () throws(ValidationError) in try tables.table("星座") }
        #expect(error?.message.contains("星座") == true)
        #expect(tables["星座"] == nil)
    }

    @Test("cells resolve to codes as people type them", arguments: [
        ("关注程度", "01", "01"),
        ("关注程度", "高", "01"),
        ("关注程度", "01=高", "01"),
        ("关注程度", "01 高", "01"),
        ("关注程度", "01-高", "01"),
        ("关注程度", "０１：高", "01"),
        ("关注程度", " 中 ", "02"),
        ("关注程度", "1", "01"),
        ("管控情况", "出国（境）", "04"),
        ("事件类型", "0101", "0101"),
        ("事件类型", "婚恋家庭纠纷-恋爱及婚姻", "0101"),
        ("事件类型", "0101-婚恋家庭纠纷-恋爱及婚姻", "0101"),
        ("控股情况", "私人控股", "210"),
        ("目前危险性评估等级", "3级", "04"),
    ])
    func resolves(table: String, cell: String, code: String) throws {
        #expect(try tables.table(table).resolve(cell) == code)
    }

    @Test("cells that mean nothing or contradict themselves do not resolve", arguments: [
        ("关注程度", ""),
        ("关注程度", "04"),
        ("关注程度", "极高"),
        ("关注程度", "01=低"),
        // Labels start with a digit: a bare 3 is not taken for 03.
        ("目前危险性评估等级", "3"),
        ("控股情况", "1"),
    ])
    func unresolved(table: String, cell: String) throws {
        #expect(try tables.table(table).resolve(cell) == nil)
    }

    @Test("parse errors name the file and the line")
    func parseErrors() {
        let cases: [(String, String)] = [
            ("# comment\nA: 01=甲\nB 01=乙\n", "第3行"),
            ("A: 01=甲; 01=乙", "代码01重复"),
            ("A: 01=甲; 02=甲", "名称“甲”重复"),
            ("A: 01=甲; 02", "应写作“代码=名称”"),
            ("A: 0.1=甲", "只能由字母和数字组成"),
            ("A: 01=", "缺少名称"),
            ("A:", "没有代码"),
        ]
        for (text, reason) in cases {
            let error = registerRejection { () throws(ValidationError) in try CodeTables(namedFiles: [(name: "mine.txt", text: text)]) }
            #expect(error?.field == "mine.txt", "\(text)")
            #expect(error?.message.contains(reason) == true, "\(text): \(String(describing: error))")
        }
        let twice = registerRejection { () throws(ValidationError) in try CodeTables(files: ["A: 01=甲", "\nA: 01=甲"]) }
        #expect(twice?.field == "文件2")
        #expect(twice?.message.contains("第2行") == true)
        #expect(twice?.message.contains("重复定义") == true)
    }

    @Test("tables from texts keep file and line order")
    func fromTexts() throws {
        let custom = try CodeTables(files: ["B: 2=乙; 1=甲\r\n", "# x\nA: X1=一"])
        #expect(custom.names == ["B", "A"])
        #expect(custom["B"]?.entries.map(\.code) == ["2", "1"])
        #expect(custom["A"]?.resolve("x1") == nil)
        #expect(custom["A"]?.resolve("X1 一") == "X1")
    }
}
