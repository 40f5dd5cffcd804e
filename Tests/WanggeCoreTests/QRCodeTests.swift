import Testing
@testable import WanggeCore

// Known answers below were checked during development against two independent encoders (the Python
// packages `qrcode` and `segno`: same matrices for the same version and mask) and by decoding rendered
// PNGs with `zbarimg`. None of those tools is needed to run these tests.

private func encode(_ text: String, _ correction: QRCode.Correction = .medium) -> QRCode {
    do throws(ValidationError) {
        return try QRCode.encode(text, correction: correction)
    } catch {
        Issue.record("encoding failed: \(error)")
        fatalError("encoding failed")
    }
}

private func rows(_ qr: QRCode) -> [String] {
    (0..<qr.size).map { y in String((0..<qr.size).map { qr[$0, y] ? "1" : "0" }) }
}

/// FNV-1a (64 bit) over the modules row by row, one byte (1 dark, 0 light) per module.
private func fingerprint(_ qr: QRCode) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for y in 0..<qr.size {
        for x in 0..<qr.size {
            hash ^= qr[x, y] ? 1 : 0
            hash = hash &* 0x100_0000_01b3
        }
    }
    return hash
}

/// The two copies of the format information as read back from the symbol, bit 0 first.
private func formatCopies(_ qr: QRCode) -> (Int, Int) {
    let s = qr.size
    let first = [(8, 0), (8, 1), (8, 2), (8, 3), (8, 4), (8, 5), (8, 7), (8, 8), (7, 8),
                 (5, 8), (4, 8), (3, 8), (2, 8), (1, 8), (0, 8)]
    let second = (0..<8).map { (s - 1 - $0, 8) } + (0..<7).map { (8, s - 7 + $0) }
    func read(_ positions: [(Int, Int)]) -> Int {
        positions.enumerated().reduce(0) { $0 | (qr[$1.element.0, $1.element.1] ? 1 << $1.offset : 0) }
    }
    return (read(first), read(second))
}

/// The two copies of the version information, bit 0 first.
private func versionCopies(_ qr: QRCode) -> (Int, Int) {
    let s = qr.size
    var bottomLeft = 0, topRight = 0
    for index in 0..<18 {
        if qr[index / 3, s - 11 + index % 3] { bottomLeft |= 1 << index }
        if qr[s - 11 + index % 3, index / 3] { topRight |= 1 << index }
    }
    return (bottomLeft, topRight)
}

/// Format words for L, M, Q, H (rows) and masks 0–7 (columns), as the standard lists them.
private let formatWords: [QRCode.Correction: [Int]] = [
    .low: [0x77C4, 0x72F3, 0x7DAA, 0x789D, 0x662F, 0x6318, 0x6C41, 0x6976],
    .medium: [0x5412, 0x5125, 0x5E7C, 0x5B4B, 0x45F9, 0x40CE, 0x4F97, 0x4AA0],
    .quartile: [0x355F, 0x3068, 0x3F31, 0x3A06, 0x24B4, 0x2183, 0x2EDA, 0x2BED],
    .high: [0x1689, 0x13BE, 0x1CE7, 0x19D0, 0x0762, 0x0255, 0x0D0C, 0x083B],
]

/// Version words for versions 7–20.
private let versionWords = [0x07C94, 0x085BC, 0x09A99, 0x0A4D3, 0x0BBF6, 0x0C762, 0x0D847, 0x0E60D, 0x0F928,
                            0x10B78, 0x1145D, 0x12A17, 0x13532, 0x149A6]

@Suite("QRCode known answers")
struct QRCodeKnownAnswerTests {

    /// The classic worked example: "HELLO WORLD", alphanumeric, version 1-Q.
    @Test func helloWorldCodewords() {
        let data = QRCode.Segment("HELLO WORLD").dataCodewords(version: 1, correction: .quartile)
        #expect(data == [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236])
        let all = QRCode.interleavedCodewords(data: data, version: 1, correction: .quartile)
        #expect(Array(all.dropFirst(13)) == [168, 72, 22, 82, 217, 54, 156, 0, 46, 15, 180, 122, 16])
    }

    @Test func helloWorldMatrix() {
        let qr = encode("HELLO WORLD", .quartile)
        #expect(qr.version == 1 && qr.size == 21 && qr.mode == .alphanumeric)
        #expect(qr.mask == 6)
        #expect(rows(qr) == [
            "111111100001001111111",
            "100000101100101000001",
            "101110100101101011101",
            "101110101111101011101",
            "101110101101001011101",
            "100000100100101000001",
            "111111101010101111111",
            "000000001101100000000",
            "010111101100111011010",
            "101111010000111101110",
            "001010110001001100000",
            "101101000101100011000",
            "110111111110111011111",
            "000000001000100101000",
            "111111100110011001111",
            "100000101010010010111",
            "101110101101001000111",
            "101110101011100010100",
            "101110100100001000011",
            "100000101110011100110",
            "111111100101000000010",
        ])
    }

    @Test(arguments: [
        // A house link: byte mode, ASCII, no ECI.
        ("https://wangge.example.cn/m/#house/H520399001001001A7K3", QRCode.Correction.medium, 4, 2,
         QRCode.Mode.byte, UInt64(0x6430_7fb9_0925_4394)),
        // A Chinese address: byte mode with the UTF-8 ECI.
        ("贵州省黔南州某某县城关镇幸福村3组12号", .high, 6, 2, .byte, 0x9b3c_b3b9_5c69_88aa),
        // Version information from version 7 on.
        ("https://wangge.example.cn/m/#house/H520399001001001A7K3?地址=贵州省黔南州某某县城关镇幸福村3组12号",
         .quartile, 9, 2, .byte, 0x15f4_6b05_df76_097f),
    ])
    func largerSymbols(text: String, correction: QRCode.Correction, version: Int, mask: Int, mode: QRCode.Mode,
                       hash: UInt64) {
        let qr = encode(text, correction)
        #expect(qr.version == version)
        #expect(qr.mask == mask)
        #expect(qr.mode == mode)
        #expect(fingerprint(qr) == hash)
    }

    /// Version 20 filled to the last character, alphanumeric at H and numeric at L.
    @Test func fullVersion20() {
        let pattern = Array("H520399001001001A7K3 ")
        let alphanumeric = String((0..<557).map { pattern[$0 % pattern.count] })
        let a = encode(alphanumeric, .high)
        #expect(a.version == 20 && a.size == 97 && a.mask == 0 && a.mode == .alphanumeric)
        #expect(fingerprint(a) == 0x46ba_c35e_9394_1823)

        let digits = String((0..<2061).map { Character(String($0 % 10)) })
        let n = encode(digits, .low)
        #expect(n.version == 20 && n.mask == 6 && n.mode == .numeric)
        #expect(fingerprint(n) == 0x8c1b_c2e9_69a8_b849)
    }

    @Test func reedSolomonGenerator() {
        // g(x) for 7 EC codewords, as exponents of α: α⁰x⁷ + α⁸⁷x⁶ + α²²⁹x⁵ + α¹⁴⁶x⁴ + α¹⁴⁹x³ + α²³⁸x² + α¹⁰²x + α²¹.
        let generator = QRCode.ReedSolomon.generator(degree: 7)
        #expect(generator.map { QRCode.ReedSolomon.logarithms[Int($0)] } == [0, 87, 229, 146, 149, 238, 102, 21])
        #expect(QRCode.ReedSolomon.multiply(0x80, 2) == 0x1D)
        #expect(QRCode.ReedSolomon.powers[255 - 1] == 0x8E)
    }

    @Test func formatAndVersionWords() {
        for (correction, words) in formatWords {
            for mask in 0..<8 {
                #expect(QRCode.Matrix.formatBits(correction: correction, mask: mask) == words[mask])
            }
        }
        for (offset, word) in versionWords.enumerated() {
            #expect(QRCode.Matrix.versionBits(version: 7 + offset) == word)
        }
    }
}

@Suite("QRCode structure")
struct QRCodeStructureTests {
    static let samples: [(String, QRCode.Correction)] = [
        ("HELLO WORLD", .quartile), ("01234567", .medium), ("H520399001001001A7K3", .high),
        ("https://wangge.example.cn/m/#house/H520399001001001A7K3", .low), ("贵州省某某县某某镇某某村", .medium),
        (String(repeating: "网格化管理", count: 20), .quartile),
    ]

    @Test func finderPatternsAtThreeCorners() {
        for (text, correction) in Self.samples {
            let qr = encode(text, correction)
            let s = qr.size
            for (left, top) in [(0, 0), (s - 7, 0), (0, s - 7)] {
                for dy in -1...7 {
                    for dx in -1...7 {
                        let x = left + dx, y = top + dy
                        guard (0..<s).contains(x), (0..<s).contains(y) else { continue }
                        let ring = max(abs(dx - 3), abs(dy - 3))
                        #expect(qr[x, y] == (ring <= 1 || ring == 3), "finder at \(left),\(top): \(x),\(y)")
                    }
                }
            }
            // No finder in the bottom-right corner: it is data (or an alignment pattern).
            #expect(!(0..<7).allSatisfy { qr[s - 1 - $0, s - 1] })
        }
    }

    @Test func timingPatternsAlternate() {
        for (text, correction) in Self.samples {
            let qr = encode(text, correction)
            for index in 8..<(qr.size - 8) {
                #expect(qr[index, 6] == (index % 2 == 0))
                #expect(qr[6, index] == (index % 2 == 0))
            }
            #expect(qr[8, qr.size - 8], "the dark module")
        }
    }

    @Test func formatInformationTwiceAndConsistent() {
        for (text, correction) in Self.samples {
            let qr = encode(text, correction)
            let (first, second) = formatCopies(qr)
            #expect(first == second)
            #expect(first == formatWords[correction]?[qr.mask])
            let decoded = first ^ 0x5412
            #expect(decoded >> 10 & 0b111 == qr.mask)
            #expect(decoded >> 13 == correction.formatBits)
        }
    }

    @Test func versionInformationFromVersion7() {
        for count in [130, 200, 300, 400, 500, 600] {
            let qr = encode(String(repeating: "b", count: count), .medium)
            #expect(qr.version >= 7)
            let (bottomLeft, topRight) = versionCopies(qr)
            #expect(bottomLeft == topRight)
            #expect(bottomLeft == versionWords[qr.version - 7])
            #expect(bottomLeft >> 12 == qr.version)
        }
    }

    @Test func alignmentPatterns() {
        let qr = encode(String(repeating: "c", count: 200), .medium)  // version 10: centres 6, 28, 50
        #expect(qr.version == 10)
        for cy in [6, 28, 50] {
            for cx in [6, 28, 50] where !(cx == 6 && cy == 6) && !(cx == 6 && cy == 50) && !(cx == 50 && cy == 6) {
                for dy in -2...2 {
                    for dx in -2...2 {
                        #expect(qr[cx + dx, cy + dy] == (max(abs(dx), abs(dy)) != 1), "alignment at \(cx),\(cy)")
                    }
                }
            }
        }
    }

    @Test func chosenMaskHasTheLowestPenalty() {
        for (text, correction) in Self.samples {
            let auto = encode(text, correction)
            let penalties = (0..<8).map { mask in
                // Rebuild with each forced mask and score the finished symbol.
                let payload = QRCode.Segment(text)
                let version = payload.smallestVersion(correction: correction)!
                let codewords = QRCode.interleavedCodewords(
                    data: payload.dataCodewords(version: version, correction: correction),
                    version: version, correction: correction)
                return QRCode.Matrix.symbol(version: version, correction: correction, codewords: codewords, mask: mask)
                    .0.penalty()
            }
            #expect(auto.mask == penalties.firstIndex(of: penalties.min()!))
        }
    }

    @Test func penaltyRules() {
        // Rules 1 and 3 on one line: a run of 7 light modules (3 + 2) and one 1011101 0000 pattern.
        #expect(QRCode.Matrix.linePenalty("10111010000000".map { $0 == "1" }) == 5 + 40)
        // Both ways round, sharing the light modules: two patterns, and a run of 5 (3).
        #expect(QRCode.Matrix.linePenalty("1011101000001011101".map { $0 == "1" }) == 3 + 40 + 40)
        #expect(QRCode.Matrix.linePenalty("10101010101".map { $0 == "1" }) == 0)
    }

    @Test func quietZoneIsLight() {
        let qr = encode("A")
        #expect(!qr[-1, 0] && !qr[0, -1] && !qr[qr.size, 0] && !qr[0, qr.size])
    }
}

@Suite("QRCode data and capacity")
struct QRCodeCapacityTests {

    /// Most characters per version 1–20 (ISO/IEC 18004 table 7), for L, M, Q, H.
    static let numeric: [[Int]] = [
        [41, 77, 127, 187, 255, 322, 370, 461, 552, 652, 772, 883, 1022, 1101, 1250, 1408, 1548, 1725, 1903, 2061],
        [34, 63, 101, 149, 202, 255, 293, 365, 432, 513, 604, 691, 796, 871, 991, 1082, 1212, 1346, 1500, 1600],
        [27, 48, 77, 111, 144, 178, 207, 259, 312, 364, 427, 489, 580, 621, 703, 775, 876, 948, 1063, 1159],
        [17, 34, 58, 82, 106, 139, 154, 202, 235, 288, 331, 374, 427, 468, 530, 602, 674, 746, 813, 919],
    ]
    static let alphanumeric: [[Int]] = [
        [25, 47, 77, 114, 154, 195, 224, 279, 335, 395, 468, 535, 619, 667, 758, 854, 938, 1046, 1153, 1249],
        [20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816, 909, 970],
        [16, 29, 47, 67, 87, 108, 125, 157, 189, 221, 259, 296, 352, 376, 426, 470, 531, 574, 644, 702],
        [10, 20, 35, 50, 64, 84, 93, 122, 143, 174, 200, 227, 259, 283, 321, 365, 408, 452, 493, 557],
    ]
    static let bytes: [[Int]] = [
        [17, 32, 53, 78, 106, 134, 154, 192, 230, 271, 321, 367, 425, 458, 520, 586, 644, 718, 792, 858],
        [14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666],
        [11, 20, 32, 46, 60, 74, 86, 108, 130, 151, 177, 203, 241, 258, 292, 322, 364, 394, 442, 482],
        [7, 14, 24, 34, 44, 58, 64, 84, 98, 119, 137, 155, 177, 194, 220, 250, 280, 310, 338, 382],
    ]
    /// Chinese characters (3 UTF-8 bytes each, behind the 12-bit ECI header).
    static let chinese: [[Int]] = [
        [5, 10, 17, 25, 35, 44, 51, 63, 76, 90, 106, 122, 141, 152, 173, 195, 214, 239, 263, 285],
        [4, 8, 13, 20, 27, 35, 40, 50, 59, 70, 83, 95, 110, 120, 137, 149, 167, 186, 207, 221],
        [3, 6, 10, 15, 19, 24, 28, 35, 43, 50, 58, 67, 80, 85, 97, 107, 121, 131, 147, 160],
        [2, 4, 7, 11, 14, 19, 21, 27, 32, 39, 45, 51, 58, 64, 73, 83, 93, 103, 112, 127],
    ]
    /// Data codewords per version 1–20 (table 7), for L, M, Q, H.
    static let dataCodewords: [[Int]] = [
        [19, 34, 55, 80, 108, 136, 156, 194, 232, 274, 324, 370, 428, 461, 523, 589, 647, 721, 795, 861],
        [16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669],
        [13, 22, 34, 48, 62, 76, 88, 110, 132, 154, 180, 206, 244, 261, 295, 325, 367, 397, 445, 485],
        [9, 16, 26, 36, 46, 60, 66, 86, 100, 122, 140, 158, 180, 197, 223, 253, 283, 313, 341, 385],
    ]

    @Test(arguments: [
        (QRCodeCapacityTests.numeric, "7"), (QRCodeCapacityTests.alphanumeric, "A"),
        (QRCodeCapacityTests.bytes, "a"), (QRCodeCapacityTests.chinese, "中"),
    ])
    func capacityBoundariesChooseTheRightVersion(table: [[Int]], unit: String) {
        for (level, correction) in QRCode.Correction.allCases.enumerated() {
            for version in QRCode.versions {
                let most = table[level][version - 1]
                let full = QRCode.Segment(String(repeating: unit, count: most))
                #expect(full.smallestVersion(correction: correction) == version, "\(unit)×\(most) \(correction)")
                let over = QRCode.Segment(String(repeating: unit, count: most + 1))
                #expect(over.smallestVersion(correction: correction) == (version < 20 ? version + 1 : nil),
                        "\(unit)×\(most + 1) \(correction)")
            }
        }
    }

    @Test func blockTableMatchesTheSymbolLayout() {
        for version in QRCode.versions {
            // Codewords the modules hold: everything outside the function patterns, in whole bytes.
            let total = QRCode.Matrix(version: version).dataModuleCount / 8
            for (level, correction) in QRCode.Correction.allCases.enumerated() {
                let layout = QRCode.blockLayout(version: version, correction: correction)
                #expect(layout.totalCodewords == total, "version \(version) \(correction)")
                #expect(layout.dataCodewords == Self.dataCodewords[level][version - 1])
                if layout.groups.count == 2 {
                    #expect(layout.groups[1].dataCodewords == layout.groups[0].dataCodewords + 1)
                }
            }
        }
        // A few groups as the standard spells them.
        #expect(QRCode.blockLayout(version: 5, correction: .quartile)
            == .init(ecCodewordsPerBlock: 18, groups: [(2, 15), (2, 16)]))
        #expect(QRCode.blockLayout(version: 20, correction: .high)
            == .init(ecCodewordsPerBlock: 28, groups: [(15, 15), (10, 16)]))
        #expect(QRCode.Matrix(version: 1).dataModuleCount == 208)
        #expect(QRCode.Matrix(version: 7).dataModuleCount == 1568)
    }

    @Test func modeSelection() {
        #expect(QRCode.Segment("0123456789").mode == .numeric)
        #expect(QRCode.Segment("H520399001001001A7K3").mode == .alphanumeric)
        #expect(QRCode.Segment("HTTP://A.B/C").mode == .alphanumeric)
        #expect(QRCode.Segment("h520399").mode == .byte)
        #expect(QRCode.Segment("").mode == .byte)
    }

    @Test func utf8ECIOnlyForNonASCII() {
        let ascii = QRCode.Segment("https://x/#H1")
        #expect(!ascii.usesUTF8ECI)
        // 0100 (byte), count 00001101, then "h" = 0x68 and "t" = 0x74.
        #expect(Array(ascii.dataCodewords(version: 1, correction: .low).prefix(3)) == [0x40, 0xD6, 0x87])
        let chinese = QRCode.Segment("幸福村")
        #expect(chinese.usesUTF8ECI)
        #expect(chinese.count == 9)
        // 0111 00011010 (ECI 26), then 0100 (byte) and the count 00001001.
        #expect(Array(chinese.dataCodewords(version: 1, correction: .low).prefix(3)) == [0x71, 0xA4, 0x09])
    }

    @Test func tooLongTextThrows() {
        let text = String(repeating: "a", count: 667)
        #expect(throws: ValidationError.self) { try QRCode.encode(text) }
        do throws(ValidationError) {
            _ = try QRCode.encode(String(repeating: "幸", count: 300), correction: .high)
            Issue.record("should have thrown")
        } catch {
            #expect(error.field == "text")
            #expect(error.message.hasPrefix("内容过长"))
            #expect(error.message.contains("900字节"))
            #expect(error.message.contains("最多容纳381字节"))
        }
        // The same text fits at a lower level.
        #expect((try? QRCode.encode(String(repeating: "a", count: 666)))?.version == 20)
    }

    @Test func emptyTextEncodes() {
        let qr = encode("", .high)
        #expect(qr.version == 1)
    }
}

@Suite("QRCode SVG")
struct QRCodeSVGTests {
    @Test func pathMergesRunsPerRow() {
        let qr = encode("HELLO WORLD", .quartile)
        let path = qr.svgPath()
        #expect(path.hasPrefix("M0 0h7v1h-7zM11 0h1v1h-1zM14 0h7v1h-7zM0 1h1v1h-1z"))
        // Each rectangle covers a run; together they cover every dark module once.
        var covered = 0
        for piece in path.split(separator: "z") {
            let width = piece.split(separator: "h")[1].split(separator: "v")[0]
            covered += Int(width)!
        }
        let dark = (0..<qr.size).reduce(0) { sum, y in sum + (0..<qr.size).filter { qr[$0, y] }.count }
        #expect(covered == dark)
    }

    @Test func pathScalesAndOffsets() {
        let qr = encode("HELLO WORLD", .quartile)
        let path = qr.svgPath(moduleSize: 0.5, origin: (x: 2, y: 1.25))
        #expect(path.hasPrefix("M2 1.25h3.5v0.5h-3.5zM7.5 1.25h0.5v0.5h-0.5z"))
    }

    @Test func standaloneSVG() {
        let svg = encode("A").svg(moduleSize: 4, quietZone: 4)
        #expect(svg.hasPrefix(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"116\" height=\"116\" viewBox=\"0 0 29 29\""))
        #expect(svg.contains("<path fill=\"#000\" d=\"M4 4h7v1h-7z"))
        #expect(svg.hasSuffix("</svg>"))
    }

    @Test func numbersForSVG() {
        #expect(QRCode.svgNumber(0) == "0")
        #expect(QRCode.svgNumber(3) == "3")
        #expect(QRCode.svgNumber(0.1 + 0.2) == "0.3")
        #expect(QRCode.svgNumber(-1.0005) == "-1.001")
        #expect(QRCode.svgNumber(12.340) == "12.34")
        #expect(QRCode.svgNumber(-0.0001) == "0")
    }
}

@Suite("DoorPlate")
struct DoorPlateTests {
    static let url = "https://wangge.example.cn/m/#house/H520399001001001A7K3"

    private func plate(code: String = "H520399001001001A7K3", address: String = "贵州省黔南州某某县城关镇幸福村3组12号",
                       title: String = "房屋门牌二维码", url: String = DoorPlateTests.url) -> String {
        do throws(ValidationError) {
            return try DoorPlate.svg(code: code, address: address, title: title, url: url)
        } catch {
            Issue.record("plate failed: \(error)")
            return ""
        }
    }

    /// Start and end tags balance, every `&` starts an entity, no `<` inside text.
    private func isWellFormed(_ xml: String) -> Bool {
        var stack: [String] = []
        var rest = Substring(xml)
        if rest.hasPrefix("<?xml") {
            guard let end = rest.firstIndex(of: ">"), rest[..<end].hasSuffix("?") else { return false }
            rest = rest[rest.index(after: end)...]
        }
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            if !entitiesValid(text) { return false }
            guard let close = rest[open...].firstIndex(of: ">") else { return false }
            let tag = rest[rest.index(after: open)..<close]
            if tag.contains("<") || !entitiesValid(tag) { return false }
            let name = String(tag.prefix { $0 != " " && $0 != "/" && $0 != ">" })
            if tag.hasPrefix("/") {
                guard stack.popLast() == String(tag.dropFirst()) else { return false }
            } else if !tag.hasSuffix("/") {
                stack.append(name)
            }
            rest = rest[rest.index(after: close)...]
        }
        return stack.isEmpty && rest.allSatisfy(\.isWhitespace)
    }

    private func entitiesValid(_ text: Substring) -> Bool {
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            let after = rest[rest.index(after: amp)...]
            let entities = ["amp;", "lt;", "gt;", "quot;", "apos;"]
            guard entities.contains(where: { after.hasPrefix($0) }) else { return false }
            rest = after
        }
        return true
    }

    /// Contents of the `<text>` elements, in order.
    private func texts(_ svg: String) -> [String] {
        svg.split(separator: "<text ").dropFirst().map { piece in
            let body = piece.split(separator: ">", maxSplits: 1)[1]
            return String(body.prefix { $0 != "<" })
        }
    }

    @Test func plateStructure() {
        let svg = plate()
        #expect(isWellFormed(svg))
        #expect(svg.contains("viewBox=\"0 0 90 60\""))
        #expect(svg.contains("width=\"90mm\" height=\"60mm\""))
        #expect(svg.contains("<rect width=\"90\" height=\"60\" fill=\"#fff\"/>"))
        #expect(svg.contains("font-family=\"sans-serif\""))
        #expect(svg.contains("font-family=\"monospace\""))
        let lines = texts(svg)
        #expect(lines.first == "房屋门牌二维码")
        #expect(lines.last == "H520399001001001A7K3")
        #expect(lines.contains("贵州省黔南州某某县城"))
        #expect(lines.contains("关镇幸福村3组12号"))
    }

    @Test func plateQRCodeIsTheURL() {
        let svg = plate()
        let qr = try? DoorPlate.qrCode(for: Self.url)
        #expect(qr?.correction == .quartile)
        #expect(svg.contains("d=\"\(qr?.svgPath() ?? "-")\""))
        // Four modules of quiet zone inside the 35 mm square at (4, 13.5).
        let module = 35.0 / Double((qr?.size ?? 0) + 8)
        #expect(svg.contains("translate(\(QRCode.svgNumber(4 + 4 * module)) \(QRCode.svgNumber(13.5 + 4 * module)))"))
    }

    @Test func plateEscapesText() {
        let svg = plate(code: "A<1>&\"2\"", address: "幸福村 <b>&'x'", title: "门牌 & \"二维码\"")
        #expect(isWellFormed(svg))
        #expect(svg.contains("A&lt;1&gt;&amp;&quot;2&quot;"))
        #expect(svg.contains("幸福村 &lt;b&gt;&amp;&apos;x&apos;"))
        #expect(svg.contains("门牌 &amp; &quot;二维码&quot;"))
        #expect(!svg.contains("<b>"))
    }

    @Test func plateIsDeterministic() {
        #expect(plate() == plate())
    }

    @Test func addressWrapsOverAtMostThreeLines() {
        let long = String(repeating: "幸福村", count: 20)
        let lines = DoorPlate.wrap(long, width: DoorPlate.columnWidth, fontSize: DoorPlate.addressFontSize,
                                   maxLines: 3)
        #expect(lines.count == 3)
        #expect(lines[0].count == 10 && lines[1].count == 10)
        #expect(lines[2].hasSuffix("…"))
        #expect(lines[2].count == 10)
        let svg = plate(address: long)
        #expect(texts(svg).filter { $0.hasPrefix("幸") || $0.hasPrefix("福") || $0.hasPrefix("村") }.count == 3)
        // ASCII is narrower: more of it fits on a line.
        let ascii = DoorPlate.wrap("No. 12, Xingfu Village Road", width: 44, fontSize: 4.2, maxLines: 3)
        #expect(ascii == ["No. 12, Xingfu Vi", "llage Road"])
        #expect(DoorPlate.wrap("", width: 44, fontSize: 4.2, maxLines: 3).isEmpty)
    }

    @Test func whitespaceAndControlCharactersAreCleaned() {
        #expect(DoorPlate.normalized("  幸福村\n 3组\t12号\u{0007} ") == "幸福村 3组 12号")
    }

    @Test func plateRejectsBadInput() {
        #expect(throws: ValidationError(field: "code", "门牌编码不能为空")) {
            try DoorPlate.svg(code: "  ", address: "x", url: Self.url)
        }
        #expect(throws: ValidationError(field: "url", "二维码链接不能为空")) {
            try DoorPlate.svg(code: "H1", address: "x", url: "")
        }
        do throws(ValidationError) {
            _ = try DoorPlate.svg(code: "H1", address: "x", url: "https://x/" + String(repeating: "a", count: 900))
            Issue.record("should have thrown")
        } catch {
            #expect(error.field == "url")
            #expect(error.message.hasPrefix("内容过长"))
        }
    }

    @Test func longLinksFallBackToLowerLevels() {
        let url = "https://x/#" + String(repeating: "a", count: 700)  // too long for Q and M at version 20
        let qr = try? DoorPlate.qrCode(for: url)
        #expect(qr?.correction == .low)
    }
}
