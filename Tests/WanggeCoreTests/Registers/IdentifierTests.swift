import Testing
@testable import WanggeCore

/// The error a validator throws, or nil when it accepts.
func registerRejection<T>(_ body: () throws(ValidationError) -> T) -> ValidationError? {
    do throws(ValidationError) {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

let registersToday = try! Day("2026-06-01")

@Suite("GB 11643 resident ID numbers")
struct IDNumberTests {
    @Test("valid numbers give birth date, sex and division", arguments: [
        ("11010519491231002X", "1949-12-31", Sex.female, "110105"),
        ("11010519491231002x", "1949-12-31", .female, "110105"),
        ("320508200002290013", "2000-02-29", .male, "320508"),
        ("440304199003071235", "1990-03-07", .male, "440304"),
        ("８１００００１９９００１０１００１６", "1990-01-01", .male, "810000"),
    ])
    func valid(raw: String, birth: String, sex: Sex, division: String) throws {
        // Some vectors are only shaped right: complete them with the computed check character.
        let folded = Lenient.fold(raw)
        let number = folded.count == 18 && IDNumber.checkCharacter(folded.prefix(17)) != Character(folded.suffix(1).uppercased())
            ? folded.prefix(17) + String(IDNumber.checkCharacter(folded.prefix(17))!) : folded
        let id = try IDNumber(String(number), today: registersToday)
        #expect(id.value == id.value.uppercased())
        #expect(id.value.count == 18)
        #expect(id.birthDate == (try Day(birth)))
        #expect(id.sex == sex)
        #expect(id.division == division)
    }

    @Test("the well-known example and its check character")
    func knownExample() throws {
        #expect(IDNumber.checkCharacter("11010519491231002") == "X")
        #expect(IDNumber.checkCharacter("3205082000022900") == nil)
        #expect(IDNumber.checkCharacter("1101051949123100A") == nil)
        let id = try IDNumber(" 11010519491231002x ")
        #expect(id.value == "11010519491231002X")
        #expect(id.masked == "110105********002X")
        #expect(id.description == id.masked)
    }

    @Test("old 15-digit numbers are converted")
    func fifteenDigits() throws {
        let id = try IDNumber("110105491231002")
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == (try Day("1949-12-31")))
        #expect(id.sex == .female)
    }

    @Test("a wrong check character names the expected one")
    func wrongCheck() {
        let error = registerRejection { () throws(ValidationError) in try IDNumber("110105194912310021") }
        #expect(error?.field == "certificateNumber")
        #expect(error?.message.contains("应为X") == true)
        #expect(error?.message.contains("收到1") == true)
    }

    @Test("malformed numbers are rejected with a reason", arguments: [
        ("1101051949123100", "18位"),
        ("11010519491231002Y", "第18位为数字或X"),
        ("1101051949123A002X", "前17位"),
        ("11010A491231002", "15位"),
        ("990105194912310023", "省级行政区划代码"),
        ("100105194912310026", "省级行政区划代码"),
    ])
    func malformed(raw: String, reason: String) {
        let error = registerRejection { () throws(ValidationError) in try IDNumber(raw) }
        #expect(error?.message.contains(reason) == true, "\(raw): \(String(describing: error))")
    }

    @Test("impossible and out-of-range birth dates are rejected", arguments: [
        ("52010219990230000", "19990230不存在"),
        ("52010219991301000", "19991301不存在"),
        ("52010218991231000", "早于1900年"),
        ("52010220300101000", "晚于今天"),
    ])
    func birthDates(first17: String, reason: String) {
        let number = first17 + String(IDNumber.checkCharacter(first17)!)
        let error = registerRejection { () throws(ValidationError) in try IDNumber(number, today: registersToday) }
        #expect(error?.message.contains(reason) == true, "\(number): \(String(describing: error))")
    }

    @Test("a future birth date passes when no today is given")
    func noToday() {
        let first17 = "52010220300101000"
        #expect(registerRejection { () throws(ValidationError) in try IDNumber(first17 + String(IDNumber.checkCharacter(first17)!)) } == nil)
    }
}

@Suite("统一社会信用代码")
struct CreditCodeTests {
    @Test("the published example is valid")
    func published() throws {
        #expect(CreditCode.checkCharacter("91350100M000100Y4") == "3")
        let code = try CreditCode("91350100m000100y43")
        #expect(code.value == "91350100M000100Y43")
        #expect(code.division == "350100")
    }

    @Test("computed codes are valid, including a check value of 0 and letters")
    func computed() throws {
        for first17 in ["91110000600037341", "12100000400000624", "52520102MJ0000001", "91520102MA6DT5X2A"] {
            let check = try #require(CreditCode.checkCharacter(first17))
            #expect(throws: Never.self) { try CreditCode(first17 + String(check)) }
        }
    }

    @Test("invalid codes are rejected with a reason", arguments: [
        ("91350100M000100Y4", "18位"),
        ("91350100M000100Y44", "应为3"),
        ("91350100M0001O0Y43", "不允许的字符"),
        ("B1350100M000100Y43", "第1位"),
        ("9A350100M000100Y43", "第2位"),
        ("913501A0M000100Y43", "第3至8位"),
    ])
    func invalid(raw: String, reason: String) {
        let error = registerRejection { () throws(ValidationError) in try CreditCode(raw) }
        #expect(error?.field == "creditCode")
        #expect(error?.message.contains(reason) == true, "\(raw): \(String(describing: error))")
    }
}

@Suite("城市部件编码")
struct ComponentCodeTests {
    @Test("parts of a valid code")
    func parts() throws {
        let code = try ComponentCode("5201020101000123")
        #expect(code.county == "520102")
        #expect(code.majorClass == "01")
        #expect(code.minorClass == "0101")
        #expect(code.serial == "000123")
    }

    @Test("invalid codes are rejected", arguments: [
        ("520102010100012", "16位"),
        ("52010201010001AB", "16位"),
        ("5201020199000123", "没有小类"),
        ("5201029901000123", "大类“99”不存在"),
        ("5201020101000000", "000000"),
        ("0001020101000001", "省级代码"),
    ])
    func invalid(raw: String, reason: String) {
        let error = registerRejection { () throws(ValidationError) in try ComponentCode(raw) }
        #expect(error?.field == "code")
        #expect(error?.message.contains(reason) == true, "\(raw): \(String(describing: error))")
    }
}

@Suite("Phone numbers, division codes, masking")
struct PhoneAndMaskingTests {
    @Test("numbers are normalised", arguments: [
        ("138 0013 8000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("010-62345678", "010-62345678"),
        ("02152345678", "021-52345678"),
        ("(0755) 8123 4567", "0755-81234567"),
        ("0851-6812345", "0851-6812345"),
    ])
    func normalised(raw: String, expected: String) throws {
        #expect(try PhoneNumber.normalise(raw) == expected)
    }

    @Test("bad numbers are rejected", arguments: [
        "12800138000", "1380013800", "81234567", "0012345678", "011-62345678", "0755-0123456", "010-12345678", "0755-123456", "138001380OO",
    ])
    func rejected(raw: String) {
        let error = registerRejection { () throws(ValidationError) in try PhoneNumber.normalise(raw) }
        #expect(error?.field == "phone", "\(raw)")
    }

    @Test("division codes")
    func divisions() throws {
        #expect(try DivisionCode.validate("110105") == "110105")
        #expect(try DivisionCode.validate("320508019") == "320508019")
        #expect(try DivisionCode.validate("320508019044") == "320508019044")
        #expect(registerRejection { () throws(ValidationError) in try DivisionCode.validate("32050801") }?.field == "registeredDivision")
        #expect(registerRejection { () throws(ValidationError) in try DivisionCode.validate("990105") }?.message.contains("省级代码99") == true)
    }

    @Test("masking keeps just enough to tell numbers apart")
    func masking() {
        #expect(Masking.certificate("11010519491231002X", type: .residentID) == "110105********002X")
        #expect(Masking.certificate("E12345678", type: .passport) == "E1*****78")
        #expect(Masking.certificate("AB1", type: .other) == "***")
        #expect(Masking.phone("13812341234") == "138****1234")
        #expect(Masking.phone("0755-81234567") == "0755-******67")
        #expect(Masking.phone("010-1234567") == "010-*****67")
    }

    @Test("certificate numbers without a type: ID-shaped ones are validated")
    func untypedCertificates() throws {
        #expect(try CertificateNumber.normalise("110105491231002") == "11010519491231002X")
        #expect(try CertificateNumber.normalise(" e 1234 5678 ") == "E12345678")
        #expect(registerRejection { () throws(ValidationError) in try CertificateNumber.normalise("110105194912310021") } != nil)
        // The 2023 foreign permanent resident card is 18 digits starting with 9.
        #expect(try CertificateNumber.normalise("933156198001011234") == "933156198001011234")
    }
}
