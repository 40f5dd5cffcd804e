import Foundation
import HTTPTypes

/// Counts requests per client in fixed windows, in memory: enough to keep one address from
/// flooding the public report form. Several server processes each keep their own counts.
actor RateLimiter {
    private let limit: Int
    private let window: Int64
    private var counts: [String: (start: Int64, count: Int)] = [:]

    init(limit: Int, windowSeconds: Int64) {
        self.limit = limit
        self.window = windowSeconds
    }

    /// False once `key` has used up its requests in the current window.
    func allow(_ key: String, now: Int64) -> Bool {
        if counts.count > 50_000 { counts = counts.filter { now - $0.value.start < window } }
        var entry = counts[key] ?? (now, 0)
        if now - entry.start >= window { entry = (now, 0) }
        guard entry.count < limit else { return false }
        entry.count += 1
        counts[key] = entry
        return true
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
