/// An in-memory index answering "which grid is this point in?" for a whole territory tree.
///
/// One static R-tree per level, bulk-loaded with Sort-Tile-Recursive. Nodes, entries, rings and
/// coordinates live in flat arrays of plain structs, so a lookup touches no reference counts and
/// allocates nothing. A lookup searches the deepest level first and stops at the first level
/// that contains the point, so the large polygons of the administrative units are only
/// tested for points that fall in a gap between their children.
///
/// Point classification gives exactly the answers of `Geometry.locate(lon:lat:)`: the
/// arithmetic is the same, and the boxes used to skip rings are widened beyond rounding error
/// (or unbounded for rings that are not closed or have non-finite coordinates, where the
/// crossing count is not confined to the box).
public struct SpatialIndex: Sendable {
    private struct Node {
        var box: BoundingBox
        var start: Int32
        var end: Int32
        /// Children are entries rather than nodes.
        var leaf: Bool
    }

    private struct Entry {
        /// Union of the member polygons' outer-ring search boxes: outside it, the grid cannot
        /// contain the point.
        var search: BoundingBox
        var polygonStart: Int32
        var polygonEnd: Int32
        /// Position of the grid's code in `codes`, so comparing ranks compares codes.
        var rank: Int32
    }

    private struct Ring {
        var search: BoundingBox
        /// Index of the first position in `coordinates` (which holds lon, lat pairs).
        var start: Int32
        var count: Int32
    }

    /// A polygon is a run of rings, the first being the outer one.
    private struct PolygonRef {
        var ringStart: Int32
        var ringEnd: Int32
    }

    /// Children per node. Small enough that a leaf is scanned in a few cache lines.
    private static let capacity = 8

    private let nodes: [Node]
    private let entries: [Entry]
    /// `Geometry.boundingBox` of each entry, for `candidates(in:)`; apart from `entries` to keep
    /// those compact for lookups.
    private let bounds: [BoundingBox]
    private let polygons: [PolygonRef]
    private let rings: [Ring]
    private let coordinates: [Double]
    /// Codes of the indexed grids, ascending.
    private let codes: [GridCode]
    /// Root node of each level's tree, deepest level first; levels without grids are absent.
    private let roots: [Int32]

    /// The number of indexed grids.
    public let count: Int

    /// Indexes every grid that has a boundary. Polygons without any ring are ignored.
    public init(grids: [Grid]) {
        let indexed = grids.filter { $0.boundary != nil }
        count = indexed.count
        let byCode = indexed.indices.sorted { indexed[$0].code < indexed[$1].code }
        var rankOf = [Int32](repeating: 0, count: indexed.count)
        for (rank, i) in byCode.enumerated() { rankOf[i] = Int32(rank) }
        codes = byCode.map { indexed[$0].code }

        var polygons: [PolygonRef] = []
        var rings: [Ring] = []
        var coordinates: [Double] = []
        var entriesByDepth = [[(entry: Entry, bounds: BoundingBox)]](repeating: [], count: GridLevel.allCases.count)
        for (i, grid) in indexed.enumerated() {
            guard let boundary = grid.boundary else { continue }
            var entry = Entry(search: .empty, polygonStart: Int32(polygons.count), polygonEnd: 0, rank: rankOf[i])
            for polygon in boundary.polygons where !polygon.rings.isEmpty {
                polygons.append(PolygonRef(ringStart: Int32(rings.count), ringEnd: Int32(rings.count + polygon.rings.count)))
                for ring in polygon.rings {
                    rings.append(Ring(search: Self.searchBox(ring), start: Int32(coordinates.count / 2), count: Int32(ring.count)))
                    for p in ring {
                        coordinates.append(p.lon)
                        coordinates.append(p.lat)
                    }
                }
                entry.search.extend(rings[Int(polygons[polygons.count - 1].ringStart)].search)
            }
            entry.polygonEnd = Int32(polygons.count)
            entriesByDepth[grid.level.depth].append((entry, boundary.boundingBox))
        }

        var nodes: [Node] = []
        var entries: [Entry] = []
        var bounds: [BoundingBox] = []
        var roots: [Int32] = []
        for depth in entriesByDepth.indices.reversed() {
            let level = entriesByDepth[depth].filter { !$0.entry.search.isEmpty || !$0.bounds.isEmpty }
            guard !level.isEmpty else { continue }
            let base = entries.count
            let covers = level.map { Self.cover($0.entry, $0.bounds) }
            let order = Self.tileOrder(covers)
            entries.append(contentsOf: order.map { level[$0].entry })
            bounds.append(contentsOf: order.map { level[$0].bounds })
            roots.append(Self.buildTree(covers: order.map { covers[$0] }, base: base, into: &nodes))
        }
        self.bounds = bounds
        self.nodes = nodes
        self.entries = entries
        self.polygons = polygons
        self.rings = rings
        self.coordinates = coordinates
        self.roots = roots
    }

    /// The deepest grid containing the point (inside or on its boundary), or nil.
    ///
    /// Among grids of that depth, one having the point strictly inside wins over one having it
    /// on its boundary; remaining ties go to the lowest code.
    public func locate(lon: Double, lat: Double) -> GridCode? {
        coordinates.withUnsafeBufferPointer { xy in
            for root in roots {
                var best: Int32 = -1
                var bestInside = false
                search(Int(root), lon, lat, xy, &best, &bestInside)
                if best >= 0 { return codes[Int(best)] }
            }
            return nil
        }
    }

    /// Codes of the grids whose bounding box intersects `box`, ascending and without repeats.
    public func candidates(in box: BoundingBox) -> [GridCode] {
        guard !box.isEmpty else { return [] }
        var ranks: [Int32] = []
        var stack = roots.map(Int.init)
        while let n = stack.popLast() {
            let node = nodes[n]
            guard node.box.intersects(box) else { continue }
            if node.leaf {
                for e in Int(node.start)..<Int(node.end) where bounds[e].intersects(box) {
                    ranks.append(entries[e].rank)
                }
            } else {
                stack.append(contentsOf: Int(node.start)..<Int(node.end))
            }
        }
        ranks.sort()
        var out: [GridCode] = []
        out.reserveCapacity(ranks.count)
        for r in ranks where out.last != codes[Int(r)] { out.append(codes[Int(r)]) }
        return out
    }

    // MARK: - Query

    private func search(
        _ n: Int, _ x: Double, _ y: Double, _ xy: UnsafeBufferPointer<Double>,
        _ best: inout Int32, _ bestInside: inout Bool
    ) {
        let node = nodes[n]
        if !node.leaf {
            for c in Int(node.start)..<Int(node.end) where nodes[c].box.contains(lon: x, lat: y) {
                search(c, x, y, xy, &best, &bestInside)
            }
            return
        }
        for e in Int(node.start)..<Int(node.end) {
            let entry = entries[e]
            guard entry.search.contains(lon: x, lat: y) else { continue }
            // A lower-coded grid already has the point inside: this one cannot beat it.
            if bestInside, entry.rank > best { continue }
            switch classify(entry, x, y, xy) {
            case .inside:
                if !bestInside || entry.rank < best {
                    best = entry.rank
                    bestInside = true
                }
            case .boundary:
                if !bestInside, best < 0 || entry.rank < best { best = entry.rank }
            case .outside:
                break
            }
        }
    }

    /// `Geometry.locate` over the flat arrays.
    private func classify(_ entry: Entry, _ x: Double, _ y: Double, _ xy: UnsafeBufferPointer<Double>) -> PointLocation {
        var onBoundary = false
        for p in Int(entry.polygonStart)..<Int(entry.polygonEnd) {
            let polygon = polygons[p]
            let first = Int(polygon.ringStart)
            switch locateInRing(first, x, y, xy) {
            case .outside:
                continue
            case .boundary:
                onBoundary = true
                continue
            case .inside:
                break
            }
            var result = PointLocation.inside
            holes: for h in (first + 1)..<Int(polygon.ringEnd) {
                switch locateInRing(h, x, y, xy) {
                case .inside:
                    result = .outside
                    break holes
                case .boundary:
                    result = .boundary
                    break holes
                case .outside:
                    continue
                }
            }
            if result == .inside { return .inside }
            if result == .boundary { onBoundary = true }
        }
        return onBoundary ? .boundary : .outside
    }

    /// The twin of `locate(lon:lat:inRing:)`, with one exact shortcut: an edge lying wholly
    /// above or below the point can neither hold it nor cross its ray, so it is skipped before
    /// any arithmetic.
    @inline(__always)
    private func locateInRing(_ r: Int, _ x: Double, _ y: Double, _ xy: UnsafeBufferPointer<Double>) -> PointLocation {
        let ring = rings[r]
        guard ring.search.contains(lon: x, lat: y) else { return .outside }
        let n = Int(ring.count)
        guard n >= 4 else { return .outside }
        var k = 2 * Int(ring.start)
        var ax = xy[k]
        var ay = xy[k + 1]
        var inside = false
        for _ in 1..<n {
            k += 2
            let bx = xy[k]
            let by = xy[k + 1]
            defer {
                ax = bx
                ay = by
            }
            if (ay > y && by > y) || (ay < y && by < y) { continue }
            let cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax)
            if cross == 0, x >= Swift.min(ax, bx), x <= Swift.max(ax, bx),
               y >= Swift.min(ay, by), y <= Swift.max(ay, by) {
                return .boundary
            }
            if (ay > y) != (by > y) {
                let xi = ax + (y - ay) * (bx - ax) / (by - ay)
                if x < xi { inside.toggle() }
            }
        }
        return inside ? .inside : .outside
    }

    // MARK: - Building

    /// A box outside of which the ring classifies every point as outside.
    ///
    /// Rounding in the crossing abscissa can place it a few ulps beyond the ring's extent, so the
    /// box is widened by far more than that. A ring that is not closed, or has a non-finite
    /// coordinate, can count an odd number of crossings far to its left, so its box is
    /// unbounded westward (or everywhere). A ring of fewer than four positions is never entered.
    private static func searchBox(_ ring: [Position]) -> BoundingBox {
        guard ring.count >= 4 else { return .empty }
        var box = BoundingBox.empty
        var finite = true
        for p in ring {
            finite = finite && p.lon.isFinite && p.lat.isFinite
            box.extend(p)
        }
        guard finite else { return BoundingBox(minLon: -.infinity, minLat: -.infinity, maxLon: .infinity, maxLat: .infinity) }
        let magnitude = Swift.max(Swift.max(abs(box.minLon), abs(box.maxLon)), Swift.max(abs(box.minLat), abs(box.maxLat)))
        let pad = (magnitude + 1) * 1e-10
        box = BoundingBox(minLon: box.minLon - pad, minLat: box.minLat - pad, maxLon: box.maxLon + pad, maxLat: box.maxLat + pad)
        if ring.first != ring.last { box.minLon = -.infinity }
        return box
    }

    /// The box a tree node must cover for this entry to be found by both kinds of query.
    private static func cover(_ e: Entry, _ bounds: BoundingBox) -> BoundingBox {
        var b = e.search
        b.extend(bounds)
        return b
    }

    /// Sort-Tile-Recursive order: slice by x into about √(n/capacity) vertical strips, sort each
    /// strip by y, so that every run of `capacity` consecutive items is a compact tile.
    private static func tileOrder(_ boxes: [BoundingBox]) -> [Int] {
        // Unbounded boxes have no finite centre; clamping keeps the sort a strict weak order.
        func centre(_ lo: Double, _ hi: Double) -> Double {
            let c = Swift.min(Swift.max(lo, -1e300), 1e300) / 2 + Swift.min(Swift.max(hi, -1e300), 1e300) / 2
            return c.isNaN ? 0 : c
        }
        let cx = boxes.map { centre($0.minLon, $0.maxLon) }
        let cy = boxes.map { centre($0.minLat, $0.maxLat) }
        let leaves = (boxes.count + capacity - 1) / capacity
        let strips = Swift.max(1, Int(Double(leaves).squareRoot().rounded(.up)))
        let perStrip = strips * capacity
        var order = Array(boxes.indices)
        order.sort { cx[$0] != cx[$1] ? cx[$0] < cx[$1] : $0 < $1 }
        var start = 0
        while start < order.count {
            let end = Swift.min(start + perStrip, order.count)
            order[start..<end].sort { cy[$0] != cy[$1] ? cy[$0] < cy[$1] : $0 < $1 }
            start = end
        }
        return order
    }

    /// Builds the tree bottom-up over the entries at `base...` whose boxes are `covers` (already
    /// in tile order), re-tiling each level before grouping it, and returns the root's index.
    private static func buildTree(covers: [BoundingBox], base: Int, into nodes: inout [Node]) -> Int32 {
        var level: [Node] = []
        var i = 0
        while i < covers.count {
            let end = Swift.min(i + capacity, covers.count)
            var box = BoundingBox.empty
            for e in i..<end { box.extend(covers[e]) }
            level.append(Node(box: box, start: Int32(base + i), end: Int32(base + end), leaf: true))
            i = end
        }
        while level.count > 1 {
            let ordered = tileOrder(level.map(\.box)).map { level[$0] }
            let first = nodes.count
            nodes.append(contentsOf: ordered)
            var parents: [Node] = []
            var j = 0
            while j < ordered.count {
                let end = Swift.min(j + capacity, ordered.count)
                var box = BoundingBox.empty
                for c in j..<end { box.extend(ordered[c].box) }
                parents.append(Node(box: box, start: Int32(first + j), end: Int32(first + end), leaf: false))
                j = end
            }
            level = parents
        }
        nodes.append(level[0])
        return Int32(nodes.count - 1)
    }
}
