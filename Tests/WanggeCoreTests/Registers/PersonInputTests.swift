import Foundation
import Testing
@testable import WanggeCore

/// The problems of a failed validation by field, or a recorded issue when it passed.
func registerProblems<T>(_ result: Result<T, ValidationErrors>, sourceLocation: SourceLocation = #_sourceLocation) -> ValidationErrors {
    switch result {
    case .success(let value):
        Issue.record("accepted: \(value)", sourceLocation: sourceLocation)
        return ValidationErrors([])
    case .failure(let errors):
        return errors
    }
}

@Suite("PersonInput")
struct PersonInputTests {
    let grid = "520102001001001"

    func registered(_ change: (inout PersonInput) -> Void = { _ in }) -> PersonInput {
        var input = PersonInput(name: " 王芳 ", certificateNumber: "11010519491231002x", grid: grid, kind: "户籍")
        change(&input)
        return input
    }

    @Test("a registered resident: sex and birth come from the ID, codes from labels")
    func registeredResident() throws {
        let person = try registered {
            $0.ethnicity = "汉族"
            $0.phone = "+86 138 0013 8000"
            $0.registeredDivision = "110105"
            $0.sex = "女"
            $0.birthDate = "1949/12/31"
        }.validated(today: registersToday).get()
        #expect(person.name == "王芳")
        #expect(person.certificateType == .residentID)
        #expect(person.certificateNumber == "11010519491231002X")
        #expect(person.sex == .female)
        #expect(person.birthDate == (try Day("1949-12-31")))
        #expect(person.ethnicity == "01")
        #expect(person.phone == "13800138000")
        #expect(person.kind == .registered)
        #expect(person.grid.value == grid)
    }

    @Test("sex or birth date that disagree with the ID are errors")
    func mismatch() {
        let errors = registerProblems(registered { $0.sex = "男"; $0.birthDate = "1950-01-01" }.validated(today: registersToday))
        #expect(errors.messages(for: "sex") == ["性别与身份证号不符：身份证号为女性"])
        #expect(errors.messages(for: "birthDate") == ["出生日期与身份证号不符：身份证号为1949-12-31"])
    }

    @Test("every problem is reported at once")
    func allProblems() {
        let input = PersonInput(name: String(repeating: "长", count: 51), certificateNumber: "110105194912310021", ethnicity: "火星族",
                                phone: "12345", registeredDivision: "99", grid: "5201", kind: "外星人")
        let errors = registerProblems(input.validated(today: registersToday))
        #expect(Set(errors.items.compactMap(\.field)) == ["name", "certificateNumber", "ethnicity", "phone", "registeredDivision", "grid", "kind"])
        #expect(errors.messages(for: "certificateNumber").first?.contains("应为X") == true)
    }

    @Test("required fields")
    func required() {
        let errors = registerProblems(PersonInput().validated(today: registersToday))
        #expect(Set(errors.items.compactMap(\.field)) == ["name", "certificateNumber", "grid", "kind"])
    }

    @Test("a grid must be a unit grid or a community")
    func gridLevel() throws {
        let errors = registerProblems(registered { $0.grid = "520102001000" }.validated(today: registersToday))
        #expect(errors.messages(for: "grid").first?.contains("乡镇(街道)级") == true)
        #expect(try registered { $0.grid = "520102001001" }.validated(today: registersToday).get().grid.level == .community)
    }

    @Test("other certificates need sex and birth date typed")
    func otherCertificates() throws {
        let errors = registerProblems(registered { $0.certificateType = "护照"; $0.certificateNumber = "E12345678" }.validated(today: registersToday))
        #expect(errors.messages(for: "sex").first?.contains("须填写性别") == true)
        #expect(errors.messages(for: "birthDate").first?.contains("须填写出生日期") == true)

        let future = registerProblems(registered {
            $0.certificateType = "passport"; $0.certificateNumber = "E12345678"; $0.sex = "M"; $0.birthDate = "2030-01-01"
        }.validated(today: registersToday))
        #expect(future.messages(for: "birthDate").first?.contains("晚于今天") == true)

        let person = try registered {
            $0.certificateType = "护照"; $0.certificateNumber = "e 1234 5678"; $0.sex = "男"; $0.birthDate = "1980.1.2"
        }.validated(today: registersToday).get()
        #expect(person.certificateNumber == "E12345678")
        #expect(person.sex == .male)
        #expect(person.birthDate == (try Day("1980-01-02")))
    }

    @Test("a floating resident needs an inflow reason; permit codes are checked")
    func floating() throws {
        let missing = registerProblems(registered { $0.kind = "流动人口"; $0.permitType = "绿卡" }.validated(today: registersToday))
        #expect(missing.messages(for: "inflowReason") == ["请填写流入原因"])
        #expect(missing.messages(for: "permitType").first?.contains("不在代码表“办证类型”中") == true)

        let person = try registered {
            $0.kind = "流动"; $0.inflowReason = "务工"; $0.permitType = "01=居住证"; $0.permitNumber = "gz123"; $0.permitExpiry = "2027-1-5"
        }.validated(today: registersToday).get()
        #expect(person.kind == .floating)
        #expect(person.inflowReason == "01")
        #expect(person.permitType == "01")
        #expect(person.permitNumber == "GZ123")
        #expect(person.permitExpiry == (try Day("2027-01-05")))
    }

    @Test("a foreigner needs a foreign certificate, nationality and purpose, and no ethnicity")
    func foreign() throws {
        let errors = registerProblems(registered { $0.kind = "境外"; $0.ethnicity = "汉族"; $0.nationality = "us" }.validated(today: registersToday))
        #expect(errors.messages(for: "certificateType").first?.contains("不能使用居民身份证") == true)
        #expect(errors.messages(for: "nationality").first?.contains("三位字母") == true)
        #expect(errors.messages(for: "visitPurpose") == ["请填写来华目的"])
        #expect(errors.messages(for: "ethnicity") == ["境外人员不填民族"])

        let person = try PersonInput(name: "约翰", certificateType: "护照", certificateNumber: "545123456", sex: "男", birthDate: "1985-05-05",
                                     grid: grid, kind: "境外人员", nationality: "usa", foreignName: "John O'Neil", visitPurpose: "就业")
            .validated(today: registersToday).get()
        #expect(person.nationality == "USA")
        #expect(person.visitPurpose == "02")
        #expect(person.foreignName == "John O'Neil")
        #expect(person.ethnicity == nil)
    }

    @Test("fields of another kind are rejected, not dropped")
    func otherKindsFields() {
        let errors = registerProblems(registered { $0.inflowReason = "务工"; $0.nationality = "USA" }.validated(today: registersToday))
        #expect(errors.messages(for: "inflowReason") == ["流入原因仅流动人口填写，此人为户籍人口"])
        #expect(errors.messages(for: "nationality") == ["国籍仅境外人员填写，此人为户籍人口"])
    }

    @Test("JSON numbers are read as text")
    func lenientJSON() throws {
        let json = #"{"name":"李雷","certificateNumber":"11010519491231002X","grid":520102001001001,"kind":"registered","phone":13800138000}"#
        let input = try JSONDecoder().decode(PersonInput.self, from: Data(json.utf8))
        #expect(input.grid == "520102001001001")
        #expect(input.phone == "13800138000")
        #expect(input.sex == nil)
        #expect(try input.validated(today: registersToday).get().phone == "13800138000")
        let bad = #"{"name":["李雷"]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(PersonInput.self, from: Data(bad.utf8)) }
    }

    @Test("lenient dates", arguments: ["2026-01-05", "2026-1-5", "2026/1/5", "2026.1.5", "20260105", "2026年1月5日", "2026-01-05 00:00:00", "２０２６-０１-０５"])
    func dates(text: String) throws {
        #expect(try Day(lenient: text) == (try Day("2026-01-05")))
    }

    @Test("bad dates", arguments: ["2026-13-01", "26-1-5", "2026-1", "明天", "202615"])
    func badDates(text: String) {
        #expect(registerRejection { () throws(ValidationError) in try Day(lenient: text) } != nil)
    }
}
