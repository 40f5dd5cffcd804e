import WanggeCore

/// Zero-padded decimal, e.g. `pad(7, 3)` = "007"; codes are built digit by digit, without
/// Foundation's `String(format:)`.
func pad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: Swift.max(0, width - s.count)) + s
}

/// A code the generator built itself; an invalid one is a bug in the generator, not bad input.
func demoCode(_ raw: String) -> GridCode {
    do {
        return try GridCode(raw)
    } catch {
        preconditionFailure("demo generator built an invalid code \(raw): \(error)")
    }
}
