import Foundation
import Testing
@testable import WanggeCore

private typealias S = TestShapes

private func node(_ code: String, _ parent: String?, _ boundary: Geometry?, name: String? = nil, type: GridType? = nil) -> Grid {
    let c = try! GridCode(code)
    return Grid(code: c, parent: parent.map { try! GridCode($0) }, name: name ?? "节点\(code.suffix(3))",
                type: type ?? (c.level == .grid ? .estate : .urban), boundary: boundary)
}

/// A township 400 m × 200 m with two communities side by side, each split into two grids.
private func township() -> [Grid] {
    [
        node("520102001000", nil, S.box(0, 0, 400, 200), name: "花果园街道"),
        node("520102001001", "520102001000", S.box(0, 0, 200, 200), name: "一社区"),
        node("520102001002", "520102001000", S.box(200, 0, 400, 200), name: "二社区"),
        node("520102001001001", "520102001001", S.box(0, 0, 200, 100)),
        node("520102001001002", "520102001001", S.box(0, 100, 200, 200)),
        node("520102001002001", "520102001002", S.box(200, 0, 400, 100)),
        node("520102001002002", "520102001002", S.box(200, 100, 400, 200)),
    ]
}

/// The sibling code named in an overlap message.
private func reportedOverlap(_ message: String) -> String? {
    guard message.hasPrefix("边界与同级") else { return nil }
    return String(message.dropFirst(5).prefix(15))
}

@Suite("Grid tree validator")
struct GridTreeValidatorTests {
    @Test func validThreeLevelTree() {
        #expect(GridTreeValidator(existing: []).validate(township()) == [])
        // The same file in any order, and again over itself.
        #expect(GridTreeValidator(existing: []).validate(township().reversed()) == [])
        #expect(GridTreeValidator(existing: township()).validate(township()) == [])
    }

    @Test func updateOfAnExistingNode() {
        let validator = GridTreeValidator(existing: township())
        var renamed = township()[1]
        renamed.name = "一社区(新)"
        renamed.households = 1200
        #expect(validator.validate([renamed]) == [])
        // Moving the inner boundary between the two grids of community 1 is an update of both.
        let moved = [
            node("520102001001001", "520102001001", S.box(0, 0, 200, 120)),
            node("520102001001002", "520102001001", S.box(0, 120, 200, 200)),
        ]
        #expect(validator.validate(moved) == [])
        // A new grid in a gap is fine too: shrink one grid and add a third.
        let split = [
            node("520102001002002", "520102001002", S.box(200, 100, 300, 200)),
            node("520102001002003", "520102001002", S.box(300, 100, 400, 200)),
        ]
        #expect(validator.validate(split) == [])
    }

    @Test func duplicateCodeReportsTheLaterFeature() {
        var file = township()
        file.append(node("520102001001002", "520102001001", S.box(0, 100, 200, 200)))
        let errors = GridTreeValidator(existing: []).validate(file)
        #expect(errors == [FeatureError(index: 7, code: "520102001001002", field: "code",
                                        message: "编码520102001001002在文件中重复，第4个要素已使用该编码")])
    }

    @Test func unknownParent() {
        let validator = GridTreeValidator(existing: township())
        let errors = validator.validate([node("520102001003", "520102009000", nil)])
        #expect(errors == [FeatureError(index: 0, code: "520102001003", field: "parent",
                                        message: "上级编码520102009000既不在本文件中，也不在现有网格树中")])
        // With no parent to check against, only the node's own rules are run.
        #expect(validator.validate([node("520102001001003", "520102001001099", nil)]).map(\.field) == ["parent"])
    }

    @Test func parentLinkRules() {
        let validator = GridTreeValidator(existing: township())
        let wrongPrefix = validator.validate([node("520102002001", "520102001000", nil)])
        #expect(wrongPrefix == [FeatureError(index: 0, code: "520102002001", field: "parent",
                                             message: "编码520102002001不以上级编码前缀520102001开头")])
        let wrongLevel = validator.validate([node("520102001003", "520102001001", nil)])
        #expect(wrongLevel.map(\.field) == ["parent"])
        #expect(wrongLevel.first?.message.contains("不高于") == true)
        let ownRule = validator.validate([node("520102001001003", "520102001001", nil, name: " ")])
        #expect(ownRule.map(\.field) == ["name"])
    }

    @Test func onlyOneRoot() {
        let validator = GridTreeValidator(existing: township())
        let second = validator.validate([node("520102002000", nil, S.box(0, 300, 100, 400), name: "另一街道")])
        #expect(second == [FeatureError(index: 0, code: "520102002000", field: "parent",
                                        message: "未填写上级，但网格树已有根节点520102001000(花果园街道)；网格树只能有一个根节点")])
        // Re-importing the existing root is an update, not a second root.
        #expect(validator.validate([township()[0]]) == [])
        let twoInFile = GridTreeValidator(existing: []).validate([
            node("520102001000", nil, nil), node("520102002000", nil, nil),
        ])
        #expect(twoInFile == [FeatureError(index: 1, code: "520102002000", field: "parent",
                                           message: "未填写上级，但第0个要素520102001000已是根节点；网格树只能有一个根节点")])
    }

    @Test func invalidGeometrySkipsTheGeometricChecks() {
        var file = township()
        // A bow tie far outside its parent: only the geometry error is reported.
        file[3].boundary = S.polygon(S.ring([(1000, 0), (1100, 100), (1100, 0), (1000, 100)]))
        let errors = GridTreeValidator(existing: []).validate(file)
        #expect(errors == [FeatureError(index: 3, code: "520102001001001", field: "geometry",
                                        message: "外环自相交：坐标点[0]–[1]的边与坐标点[2]–[3]的边相交或相接")])
    }

    @Test func childOutsideItsParent() {
        var file = township()
        file[4].boundary = S.box(0, 100, 200, 230)
        let errors = GridTreeValidator(existing: []).validate(file)
        #expect(errors == [FeatureError(index: 4, code: "520102001001002", field: "geometry",
                                        message: "边界超出上级520102001001(一社区)的范围")])
    }

    @Test func overlapWithAnExistingSibling() {
        let validator = GridTreeValidator(existing: township())
        let errors = validator.validate([node("520102001001003", "520102001001", S.box(50, 50, 150, 150))])
        #expect(errors.count == 2)
        #expect(errors.allSatisfy { $0.index == 0 && $0.field == "geometry" })
        #expect(errors.map { reportedOverlap($0.message) } == ["520102001001001", "520102001001002"])
        for error in errors {
            let area = error.message.split(separator: "约")[1].split(separator: "平")[0]
            #expect((4_900...5_000).contains(Int(area) ?? 0), "\(error.message)")
            #expect(error.message.hasSuffix("平方米，超过容许的10平方米"))
        }
    }

    @Test func overlapBetweenTwoIncomingSiblingsIsReportedOnTheLater() {
        var file = township()
        file[4].boundary = S.box(0, 50, 200, 200)
        let errors = GridTreeValidator(existing: []).validate(file)
        #expect(errors.map(\.index) == [4])
        #expect(errors.first?.message.hasPrefix("边界与同级520102001001001(节点001)重叠约") == true)
    }

    @Test func childLeavingItsParentForACousinsGround() {
        var file = township()
        file[5].boundary = S.box(150, 0, 400, 100)
        // Grid 1 of community 2 now covers part of community 1; cousins are not siblings, but
        // leaving the parent is reported.
        #expect(GridTreeValidator(existing: []).validate(file)
            == [FeatureError(index: 5, code: "520102001002001", field: "geometry", message: "边界超出上级520102001002(二社区)的范围")])
    }

    @Test func siblingsOnlyWithinOneParentAndLevel() {
        // A special grid hung under the township overlaps a community by nature.
        var file = township()
        file.append(node("520102001000001", "520102001000", S.box(20, 20, 80, 80), name: "第一中学", type: .special))
        file[file.count - 1].specialKind = .school
        #expect(GridTreeValidator(existing: []).validate(file) == [])
        // Two special grids on the same ground do overlap.
        var twin = file[file.count - 1]
        twin.code = try! GridCode("520102001000002")
        file.append(twin)
        let errors = GridTreeValidator(existing: []).validate(file)
        #expect(errors.map(\.index) == [8])
        #expect(errors.first?.message.hasPrefix("边界与同级520102001000001(第一中学)重叠") == true)
    }

    @Test func updatedNodeMustStillHoldItsExistingChildren() {
        let validator = GridTreeValidator(existing: township())
        let shrunk = node("520102001001", "520102001000", S.box(0, 0, 200, 150), name: "一社区")
        let errors = validator.validate([shrunk])
        #expect(errors == [FeatureError(index: 0, code: "520102001001", field: "geometry",
                                        message: "新边界不再包含现有下级520102001001002(节点002)")])
        // Sending the child along, moved inside, fixes it.
        let child = node("520102001001002", "520102001001", S.box(0, 100, 200, 150))
        #expect(validator.validate([shrunk, child]) == [])
    }

    @Test func gridsWithoutBoundarySkipGeometry() {
        let file = township().map { grid -> Grid in
            var g = grid
            if g.level == .community { g.boundary = nil }
            return g
        }
        #expect(GridTreeValidator(existing: []).validate(file) == [])
        let validator = GridTreeValidator(existing: file)
        #expect(validator.validate([node("520102001001003", "520102001001", nil)]) == [])
    }

    @Test func brokenExistingBoundariesDoNotStopAnImport() {
        var existing = township()
        existing[3].boundary = S.polygon(S.ring([(0, 0), (200, 100), (200, 0), (0, 100)]))
        existing[4].boundary = .polygon(Polygon(rings: []))
        let validator = GridTreeValidator(existing: existing)
        #expect(validator.validate([node("520102001001003", "520102001001", S.box(10, 10, 20, 20))]).count <= 1)
        #expect(validator.validate([township()[1]]).allSatisfy { $0.index == 0 })
    }

    @Test func errorsAreSortedByIndex() {
        var file = township()
        file[6].boundary = S.box(200, 100, 400, 250)
        file[2] = node("520102001002", "520102009000", S.box(200, 0, 400, 200))
        file.append(node("520102001001001", "520102001001", nil))
        let errors = GridTreeValidator(existing: []).validate(file)
        #expect(errors.map(\.index) == [2, 6, 7])
        #expect(errors.map(\.field) == ["parent", "geometry", "code"])
    }

    @Test func toleranceIsConfigurable() {
        let existing = township()
        let nudged = node("520102001001001", "520102001001", S.box(0, 0, 200, 103))
        #expect(GridTreeValidator(existing: existing).validate([nudged]).count == 1)
        let lax = GridTreeValidator(existing: existing, tolerance: GeoTolerance(distanceMeters: 2, overlapSquareMeters: 10))
        #expect(lax.validate([nudged]) == [])
    }

    @Test(.timeLimit(.minutes(2))) func tiledCityOfAThousandGrids() {
        let tree = TiledTree(counties: 2, townshipsPerCounty: 3).grids
        #expect(tree.count == 993)
        #expect(tree.filter { $0.level == .grid }.count == 960)
        let start = ContinuousClock.now
        let errors = GridTreeValidator(existing: []).validate(tree)
        let elapsed = ContinuousClock.now - start
        print("GridTreeValidator: \(tree.count) grids validated in \(elapsed)")
        #expect(errors == [])
        #expect(elapsed < .seconds(20))
        // The same tree as the existing one, with one grid pushed into its neighbour.
        var moved = tree.first { $0.code.value == "520101001001001" }!
        moved.boundary = TiledTree.rectangle(0, 0, 6, 4)
        let overlap = GridTreeValidator(existing: tree).validate([moved])
        #expect(overlap.count == 1)
        #expect(overlap.first.flatMap { reportedOverlap($0.message) } == "520101001001002")
    }
}

/// A synthetic city: counties side by side, each of townships in a row, each of 2 × 2
/// communities of 8 × 5 grids. Boundaries follow a lattice of 0.0005° (about 50 m) whose points
/// are jittered by up to a fifth of a step, so edges run at all angles and boxes of neighbours
/// overlap. Grids are 4 × 4 lattice steps with every lattice point on their edges (17
/// vertices), so neighbours share their vertices exactly and parents carry all their children's
/// boundary vertices.
struct TiledTree {
    let grids: [Grid]

    static let step = 0.0005

    /// The jittered lattice point (i, j); a fixed integer hash keeps it reproducible.
    static func at(_ i: Int, _ j: Int) -> Position {
        func jitter(_ salt: UInt64) -> Double {
            var h = UInt64(bitPattern: Int64(i)) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(bitPattern: Int64(j)) &* 0xC2B2_AE3D_27D4_EB4F ^ salt
            h ^= h >> 31
            h &*= 0xBF58_476D_1CE4_E5B9
            h ^= h >> 29
            return (Double(h % 10_000) / 10_000 - 0.5) * 0.4 * step
        }
        func round7(_ v: Double) -> Double { (v * 1e7).rounded() / 1e7 }
        return Position(lon: round7(106.6 + Double(i) * step + jitter(1)), lat: round7(26.5 + Double(j) * step + jitter(2)))
    }

    /// A counter-clockwise ring through every lattice point on the rectangle's edges.
    static func rectangle(_ i0: Int, _ j0: Int, _ i1: Int, _ j1: Int) -> Geometry {
        var ring: [Position] = []
        for i in i0..<i1 { ring.append(at(i, j0)) }
        for j in j0..<j1 { ring.append(at(i1, j)) }
        for i in stride(from: i1, to: i0, by: -1) { ring.append(at(i, j1)) }
        for j in stride(from: j1, to: j0, by: -1) { ring.append(at(i0, j)) }
        ring.append(ring[0])
        return .polygon(Polygon(rings: [ring]))
    }

    init(counties: Int, townshipsPerCounty: Int) {
        func code(_ s: String) -> GridCode { try! GridCode(s) }
        func pad(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: width - String(n).count) + String(n) }
        let g = 4, communityW = 8 * g, communityH = 5 * g
        let townshipW = 2 * communityW, townshipH = 2 * communityH
        let countyW = townshipsPerCounty * townshipW
        var grids = [Grid(code: code("520100000000"), parent: nil, name: "市", type: .urban,
                          boundary: Self.rectangle(0, 0, counties * countyW, townshipH))]
        for c in 0..<counties {
            let county = "5201" + pad(c + 1, 2)
            grids.append(Grid(code: code(county + "000000"), parent: code("520100000000"), name: "县\(c)", type: .urban,
                              boundary: Self.rectangle(c * countyW, 0, (c + 1) * countyW, townshipH)))
            for t in 0..<townshipsPerCounty {
                let township = county + pad(t + 1, 3), tx = c * countyW + t * townshipW
                grids.append(Grid(code: code(township + "000"), parent: code(county + "000000"), name: "乡镇\(t)", type: .urban,
                                  boundary: Self.rectangle(tx, 0, tx + townshipW, townshipH)))
                for k in 0..<4 {
                    let community = township + pad(k + 1, 3)
                    let cx = tx + (k % 2) * communityW, cy = (k / 2) * communityH
                    grids.append(Grid(code: code(community), parent: code(township + "000"), name: "社区\(k)", type: .urban,
                                      boundary: Self.rectangle(cx, cy, cx + communityW, cy + communityH)))
                    for n in 0..<40 {
                        let gx = cx + (n % 8) * g, gy = cy + (n / 8) * g
                        grids.append(Grid(code: code(community + pad(n + 1, 3)), parent: code(community), name: "网格\(n)",
                                          type: .estate, boundary: Self.rectangle(gx, gy, gx + g, gy + g)))
                    }
                }
            }
        }
        self.grids = grids
    }
}
