import Testing
@testable import WanggeCore

/// The readers an import runs several times a row take shortcuts for plain text (ASCII and CJK
/// ideographs); these cases sit on both sides of each shortcut and must read the same.
@Suite("Lenient reading: shortcuts agree with the general rules")
struct LenientTests {
    @Test("trimming", arguments: [
        ("张三", "张三"), ("A-1", "A-1"), (" 张三", "张三"), ("张三 ", "张三"), ("\t12\n", "12"),
        ("\u{3000}张三\u{3000}", "张三"), ("\u{00A0}302\u{00A0}", "302"), ("\u{2003}幸福路1号\u{205F}", "幸福路1号"),
        ("é ", "é"), (" 𠀋", "𠀋"), ("", ""), (" \u{3000} ", ""), ("a\u{0301}", "a\u{0301}"),
    ])
    func trimming(raw: String, expected: String) {
        #expect(String(raw.trimmed) == expected)
        #expect(Lenient.present(raw) == (expected.isEmpty ? nil : expected))
    }

    @Test("folding full-width forms and the ideographic space", arguments: [
        ("１３８", "138"), ("（境）", "(境)"), ("\u{3000}Ａ１\u{3000}", "A1"), ("出国(境)", "出国(境)"), ("ｘ", "x"), ("  ", ""),
    ])
    func folding(raw: String, expected: String) {
        #expect(Lenient.fold(raw) == expected)
    }

    @Test("code-table keys drop every kind of space")
    func keys() {
        #expect(CodeTable.key("出国 (境)") == "出国(境)")
        #expect(CodeTable.key("出国\u{00A0}（境）") == "出国(境)")
        #expect(CodeTable.key("户\u{2002}籍") == "户籍")
        #expect(CodeTable.key("务工") == "务工")
        #expect(!Lenient.mayHoldSpace("务工经商A1"))
        #expect(Lenient.mayHoldSpace("务工\u{3000}"))
    }

    @Test("choices by key, label, alias, in any case and spacing")
    func choices() {
        #expect(Sex.resolve("MALE") == .male)
        #expect(Sex.resolve(" 女 ") == .female)
        #expect(Sex.resolve("2") == .female)
        #expect(PersonKind.resolve("流 动") == .floating)
        #expect(PersonKind.resolve("floating") == .floating)
        #expect(CertificateType.resolve("台胞证") == .hongKongMacaoTaiwan)
        #expect(ResidenceRole.resolve("人户分离") == .registeredOnly)
        #expect(PersonKind.resolve("本地人") == nil)
        for kind in PersonKind.allCases {
            #expect(PersonKind.resolve(kind.rawValue) == kind)
            #expect(PersonKind.resolve(kind.label) == kind)
        }
    }

    @Test("dates in the canonical shape and near it", arguments: [
        ("2026-01-05", "2026-01-05"), ("2024-02-29", "2024-02-29"), ("2026-1-05", "2026-01-05"), ("２０２６-０１-０５", "2026-01-05"),
    ])
    func dates(raw: String, expected: String) throws {
        #expect(try Day(lenient: raw) == (try Day(expected)))
    }

    @Test("canonical-looking dates that do not exist or are not numbers", arguments: [
        "2026-02-29", "2026-00-10", "2026-12-32", "2026-1a-05", "+026-01-05", "2026-01-0٥",
    ])
    func badDates(raw: String) {
        #expect(registerRejection { () throws(ValidationError) in try Day(lenient: raw) } != nil, "\(raw)")
    }

    @Test("ID numbers as typed: spaces, full width, lower-case x, non-ASCII digits")
    func idNumbers() throws {
        #expect(try IDNumber("\u{3000}１１０１０５１９４９１２３１００２ｘ").value == "11010519491231002X")
        let arabic = "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X"
        let error = registerRejection { () throws(ValidationError) in try IDNumber(arabic) }
        #expect(error?.message.contains("前17位应为数字") == true)
        let short = registerRejection { () throws(ValidationError) in try IDNumber("张三1101051949") }
        #expect(short?.message.contains("收到12位") == true)
    }
}
