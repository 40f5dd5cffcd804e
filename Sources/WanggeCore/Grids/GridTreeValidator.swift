/// Checks an import of grids against the tree it would produce, before anything is written.
///
/// An import is all or nothing: the result is `existing` with the incoming grids upserted by
/// code, and it is accepted only when `validate` finds no problem. Every problem is reported
/// against the incoming feature concerned, by its index in the file, so that the whole file can
/// be corrected in one round.
///
/// Checked per feature: codes unique within the file; parent known (in the file or the existing
/// tree); `Grid.validate(parent:)` (fields, level order, code prefix); a single root; boundary
/// valid (`Geometry.validate()`); boundary within the parent's; no overlap beyond tolerance with
/// a sibling of the same level; and, for a grid whose boundary changes, that its existing
/// children stay inside it. Grids without a boundary are allowed and skip the geometric checks.
///
/// Siblings are compared only within one level because a special grid (专属网格) hung directly
/// under a township sits inside one of that township's communities by nature.
///
/// Cost: each boundary is prepared once; siblings are paired by sorting them on their west edge
/// and sweeping, so only grids whose boxes meet are compared. A city of ~10,000 grids validates
/// in seconds even in a debug build.
public struct GridTreeValidator: Sendable {
    private let existingByCode: [GridCode: Grid]
    private let existingRoots: [Grid]
    /// The slack allowed between boundaries (see `isWithin` and `overlapsBeyondTolerance`).
    public let tolerance: GeoTolerance

    /// - Parameters:
    ///   - existing: the tree as stored now; its boundaries are trusted, not validated again.
    ///   - tolerance: the slack for the within and overlap checks.
    public init(existing: [Grid], tolerance: GeoTolerance = .standard) {
        var byCode = [GridCode: Grid](minimumCapacity: existing.count)
        for grid in existing { byCode[grid.code] = grid }
        existingByCode = byCode
        existingRoots = byCode.values.filter { $0.parent == nil }.sorted { $0.code < $1.code }
        self.tolerance = tolerance
    }

    /// `incoming[i]` is feature i of the file. Returns every problem found (empty = accept),
    /// sorted by index.
    public func validate(_ incoming: [Grid]) -> [FeatureError] {
        var run = Run(incoming: incoming, existing: existingByCode, tolerance: tolerance)
        run.checkCodes()
        run.checkEachFeature(existingRoots: existingRoots)
        run.checkWithinParents()
        run.checkExistingChildren()
        run.checkSiblings()
        return run.sortedErrors()
    }
}

/// The state of one validation: the merged tree and the errors found so far.
private struct Run {
    let incoming: [Grid]
    let existing: [GridCode: Grid]
    let tolerance: GeoTolerance
    /// Index in the file of the first feature with each code; later duplicates are left out.
    var indexOf: [GridCode: Int] = [:]
    /// The tree after the import.
    var merged: [GridCode: Grid]
    var errors: [FeatureError] = []
    /// Incoming features whose parent exists and passed `Grid.validate(parent:)`.
    var linked: Set<Int> = []
    /// Incoming features whose boundary failed `Geometry.validate()`.
    var badGeometry: Set<Int> = []
    var prepared: [GridCode: PreparedGeometry] = [:]
    var children: [GridCode: [GridCode]] = [:]

    init(incoming: [Grid], existing: [GridCode: Grid], tolerance: GeoTolerance) {
        self.incoming = incoming
        self.existing = existing
        self.tolerance = tolerance
        merged = existing
    }

    mutating func report(_ index: Int, field: String?, _ message: String) {
        errors.append(FeatureError(index: index, code: incoming[index].code.value, field: field, message: message))
    }

    func label(_ grid: Grid) -> String { "\(grid.code)(\(grid.name))" }

    /// Incoming features that take part in the tree, in file order.
    var accepted: [(index: Int, grid: Grid)] {
        incoming.enumerated().compactMap { i, g in indexOf[g.code] == i ? (i, g) : nil }
    }

    mutating func checkCodes() {
        for (i, grid) in incoming.enumerated() {
            if let first = indexOf[grid.code] {
                report(i, field: "code", "编码\(grid.code)在文件中重复，第\(first)个要素已使用该编码")
            } else {
                indexOf[grid.code] = i
                merged[grid.code] = grid
            }
        }
        for grid in merged.values {
            if let parent = grid.parent { children[parent, default: []].append(grid.code) }
        }
    }

    mutating func checkEachFeature(existingRoots: [Grid]) {
        var fileRoot: (index: Int, code: GridCode)?
        for (i, grid) in accepted {
            var parentGrid: Grid?
            if let parent = grid.parent {
                parentGrid = merged[parent]
                if parentGrid == nil { report(i, field: "parent", "上级编码\(parent)既不在本文件中，也不在现有网格树中") }
            } else if let other = existingRoots.first(where: { indexOf[$0.code] == nil && $0.code != grid.code }) {
                report(i, field: "parent", "未填写上级，但网格树已有根节点\(label(other))；网格树只能有一个根节点")
            } else if let fileRoot {
                report(i, field: "parent", "未填写上级，但第\(fileRoot.index)个要素\(fileRoot.code)已是根节点；网格树只能有一个根节点")
            } else {
                fileRoot = (i, grid.code)
            }
            do throws(ValidationError) {
                try grid.validate(parent: parentGrid)
                if parentGrid != nil { linked.insert(i) }
            } catch {
                report(i, field: error.field, error.message)
            }
            if let boundary = grid.boundary {
                do throws(ValidationError) {
                    try boundary.validate()
                } catch {
                    report(i, field: error.field, error.message)
                    badGeometry.insert(i)
                }
            }
        }
    }

    /// The prepared boundary of a node of the merged tree, or nil when it has none or it is invalid.
    mutating func geometry(_ code: GridCode) -> PreparedGeometry? {
        if let cached = prepared[code] { return cached }
        guard let grid = merged[code], let boundary = grid.boundary else { return nil }
        if let i = indexOf[code], badGeometry.contains(i) { return nil }
        let p = PreparedGeometry(boundary)
        prepared[code] = p
        return p
    }

    mutating func checkWithinParents() {
        for (i, grid) in accepted where linked.contains(i) {
            guard let parent = grid.parent, let parentGrid = merged[parent],
                  let child = geometry(grid.code), let outer = geometry(parent) else { continue }
            if !isWithin(child, outer, tolerance: tolerance) {
                report(i, field: "geometry", "边界超出上级\(label(parentGrid))的范围")
            }
        }
    }

    /// A grid whose boundary is replaced must still hold the children the file does not replace;
    /// children in the file are checked against it by `checkWithinParents`.
    mutating func checkExistingChildren() {
        for (i, grid) in accepted {
            guard let kids = children[grid.code], existing[grid.code]?.boundary != grid.boundary,
                  let outer = geometry(grid.code) else { continue }
            for kid in kids.sorted() where indexOf[kid] == nil {
                guard let inner = geometry(kid), let kidGrid = merged[kid] else { continue }
                if !isWithin(inner, outer, tolerance: tolerance) {
                    report(i, field: "geometry", "新边界不再包含现有下级\(label(kidGrid))")
                }
            }
        }
    }

    mutating func checkSiblings() {
        var parents = Set<GridCode>()
        for (_, grid) in accepted { if let parent = grid.parent { parents.insert(parent) } }
        for parent in parents.sorted() {
            var byLevel: [GridLevel: [(code: GridCode, box: BoundingBox)]] = [:]
            for code in children[parent] ?? [] {
                guard let g = geometry(code), !g.box.isEmpty else { continue }
                byLevel[code.level, default: []].append((code, g.box))
            }
            for level in GridLevel.allCases {
                guard var group = byLevel[level], group.count > 1 else { continue }
                group.sort { $0.box.minLon < $1.box.minLon || ($0.box.minLon == $1.box.minLon && $0.code < $1.code) }
                for k in group.indices {
                    var j = k + 1
                    while j < group.count, group[j].box.minLon <= group[k].box.maxLon {
                        compareSiblings(group[k].code, group[j].code)
                        j += 1
                    }
                }
            }
        }
    }

    /// Reports an overlap against the incoming one of the pair, or the later one if both are.
    mutating func compareSiblings(_ x: GridCode, _ y: GridCode) {
        let ix = indexOf[x] ?? -1, iy = indexOf[y] ?? -1
        guard ix >= 0 || iy >= 0, let gx = geometry(x), let gy = geometry(y), gx.box.intersects(gy.box),
              overlapsBeyondTolerance(gx, gy, tolerance: tolerance) else { return }
        let (reported, other) = iy > ix ? (iy, x) : (ix, y)
        guard let otherGrid = merged[other], let a = incoming[reported].boundary, let b = otherGrid.boundary else { return }
        let area = overlapArea(a, b, tolerance: tolerance)
        report(reported, field: "geometry",
               "边界与同级\(label(otherGrid))重叠约\(Int(area.rounded()))平方米，超过容许的\(formatted(tolerance.overlapSquareMeters))平方米")
    }

    func formatted(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// Errors by feature index; within one feature, in the order the checks ran.
    func sortedErrors() -> [FeatureError] {
        errors.enumerated().sorted { ($0.element.index, $0.offset) < ($1.element.index, $1.offset) }.map(\.element)
    }
}
