import WanggeCore
import WanggeStorage

/// The spatial index of the grid tree, rebuilt whenever the tree's version changes — after an
/// import through the API at once, and within `recheckSeconds` after one made by another process.
actor GridIndexCache {
    struct Snapshot: Sendable {
        var version: String
        var index: SpatialIndex
        /// Name, level and parent of every node, for answering with the chain of ancestors.
        var nodes: [GridCode: Grid]
    }

    private let repos: Repositories
    private let recheckSeconds: Int64
    private var snapshot: Snapshot?
    private var checkedAt: Int64 = .min

    init(repos: Repositories, recheckSeconds: Int64 = 2) {
        self.repos = repos
        self.recheckSeconds = recheckSeconds
    }

    func current() async throws -> Snapshot {
        let now = Clock.nowSeconds()
        if let snapshot, now - checkedAt < recheckSeconds { return snapshot }
        let version = try await repos.grids.version()
        checkedAt = now
        if let snapshot, snapshot.version == version { return snapshot }
        let grids = try await repos.grids.subtree(nil, withBoundaries: true)
        var nodes: [GridCode: Grid] = [:]
        for var g in grids {
            g.boundary = nil
            nodes[g.code] = g
        }
        let fresh = Snapshot(version: version, index: SpatialIndex(grids: grids), nodes: nodes)
        snapshot = fresh
        return fresh
    }

    /// Forces the next lookup to re-read the version (called after a change made in this process).
    func invalidate() {
        checkedAt = .min
    }
}
