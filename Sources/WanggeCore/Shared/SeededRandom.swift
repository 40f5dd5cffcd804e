/// Our own pseudo-random generator (SplitMix64), for synthetic data, benchmarks and tests.
///
/// The standard library's `random(in:using:)` and `shuffled(using:)` are free to change their
/// algorithms between Swift releases, which would silently change the demo county; every draw
/// here goes through our own arithmetic so that a seed names one county forever, on every
/// platform.
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<n`. Multiply-shift has a bias of at most n/2⁶⁴, which no
    /// demo figure can show.
    public mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next().multipliedFullWidth(by: UInt64(n)).high)
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.count)
    }

    /// A uniform double in `[0, 1)` with 53 random bits; only exact operations, so the value is
    /// the same on every platform.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    public mutating func double(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * unit()
    }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Fisher–Yates in place.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }

    /// `count` distinct elements of `items`, in the order drawn.
    public mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var pool = items
        shuffle(&pool)
        return Array(pool.prefix(count))
    }

    /// An independent stream, so that adding draws to one part of the generator does not
    /// reshuffle every part generated after it.
    public mutating func fork() -> SeededRandom { SeededRandom(seed: next()) }
}
