import Foundation
import Testing
@testable import WanggeCore

private func gridCode(_ s: String) -> GridCode { try! GridCode(s) }

/// The error `GridCode(raw)` throws, or nil when it parses.
private func parseError(_ raw: String) -> ValidationError? {
    do throws(ValidationError) {
        _ = try GridCode(raw)
        return nil
    } catch {
        return error
    }
}

@Suite("GridCode")
struct GridCodeTests {
    @Test("each level is read from the code itself", arguments: [
        ("520100000000", GridLevel.city, "5201"),
        ("520102000000", .county, "520102"),
        ("520102001000", .township, "520102001"),
        ("520102001001", .community, "520102001001"),
        ("520102001001001", .grid, "520102001001001"),
        // A special grid hung directly under a township: community part 000.
        ("520102001000007", .grid, "520102001000007"),
    ])
    func levels(raw: String, level: GridLevel, prefix: String) throws {
        let code = try GridCode(raw)
        #expect(code.level == level)
        #expect(code.prefix == prefix[...])
        #expect(code.value == raw)
        #expect(code.description == raw)
        #expect(code.countyCode == String(raw.prefix(6)))
    }

    @Test("malformed codes are rejected with field code", arguments: [
        ("", "12位区划代码或15位网格编码"),
        ("52010200100", "12位区划代码或15位网格编码"),
        ("5201020010010", "12位区划代码或15位网格编码"),
        ("5201020010010010", "12位区划代码或15位网格编码"),
        ("52010200100a", "12位区划代码或15位网格编码"),
        ("５２０１０２００１００１", "12位区划代码或15位网格编码"),
        (" 20102001001", "12位区划代码或15位网格编码"),
        ("520102001001000", "顺序号(后3位)不能为000"),
        ("520102000001001", "网格编码必须包含乡镇(街道)代码"),
        ("520102000001", "村(社区)代码必须包含乡镇(街道)代码"),
        ("520000000000", "省级代码不属于网格树"),
        ("000000000000", "省级代码不属于网格树"),
    ])
    func invalid(raw: String, fragment: String) {
        let error = parseError(raw)
        #expect(error?.field == "code")
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func containsFollowsThePrefixAndTheLevel() {
        let city = gridCode("520100000000")
        let county = gridCode("520102000000")
        let otherCounty = gridCode("520103000000")
        let township = gridCode("520102001000")
        let community = gridCode("520102001001")
        let neighbour = gridCode("520102001002")
        let grid = gridCode("520102001001001")
        let special = gridCode("520102001000001")

        #expect(city.contains(county))
        #expect(city.contains(grid))
        #expect(county.contains(special))
        #expect(!otherCounty.contains(grid))
        #expect(township.contains(community))
        #expect(township.contains(special))
        #expect(!community.contains(special))
        #expect(community.contains(grid))
        #expect(!neighbour.contains(grid))
        #expect(grid.contains(grid))
        #expect(township.contains(township))
        #expect(!grid.contains(community))
        #expect(!community.contains(township))
        #expect(!county.contains(city))
    }

    @Test func ordersByValueAndRoundTripsThroughJSON() throws {
        #expect(gridCode("520102001001") < gridCode("520102001002"))
        #expect(gridCode("520102001001") < gridCode("520102001001001"))
        let data = try JSONEncoder().encode([gridCode("520102001001")])
        #expect(String(decoding: data, as: UTF8.self) == #"["520102001001"]"#)
        #expect(try JSONDecoder().decode([GridCode].self, from: data) == [gridCode("520102001001")])
        #expect(throws: ValidationError.self) {
            try JSONDecoder().decode([GridCode].self, from: Data(#"["5201"]"#.utf8))
        }
    }
}

@Suite("CodeRange")
struct CodeRangeTests {
    @Test func upperBoundIsThePrefixPlusOne() {
        let range = CodeRange(prefix: "520102")
        #expect(range.lower == "520102")
        #expect(range.upper == "520103")
        #expect(range.contains("520102"))
        #expect(range.contains("520102001001001"))
        #expect(range.contains("520102999999999"))
        #expect(!range.contains("520103000000"))
        #expect(!range.contains("520101999999"))
    }

    @Test func carriesOverTrailingNines() {
        let range = CodeRange(prefix: "520109999")
        #expect(range.upper == "520110000")
        #expect(range.contains("520109999001"))
        #expect(!range.contains("520110000000"))
        #expect(CodeRange(prefix: "5201029").upper == "5201030")
    }

    @Test func allNinesHasNoUpperBound() {
        let range = CodeRange(prefix: "9999")
        #expect(range.lower == "9999")
        #expect(range.upper == nil)
        #expect(range.contains("9999"))
        #expect(range.contains("999999999999999"))
        #expect(!range.contains("9998"))
    }

    @Test func gridCodeRangeCoversItsSubtreeOnly() {
        let range = gridCode("520102001000").range
        #expect(range.lower == "520102001")
        #expect(range.upper == "520102002")
        #expect(range.contains(gridCode("520102001001001").value))
        #expect(range.contains(gridCode("520102001000003").value))
        #expect(!range.contains(gridCode("520102002001").value))
        #expect(Territory(root: gridCode("520102000000")).range == CodeRange(prefix: "520102"))
        #expect(Territory(root: gridCode("520102000000")).contains(gridCode("520102001001001")))
        #expect(!Territory(root: gridCode("520102000000")).contains(gridCode("520103001001001")))
    }
}
