/// The part of the territory a caller may see (属地管理): the subtree under `root`.
///
/// Anything outside it is answered as "not found", so that a street operator cannot even learn
/// that another street's records exist.
public struct Territory: Hashable, Sendable {
    public let root: GridCode

    public init(root: GridCode) { self.root = root }

    public func contains(_ code: GridCode) -> Bool { root.contains(code) }

    /// The SQL range of codes in this territory.
    public var range: CodeRange { root.range }
}
