/// Lockout after repeated failed logins, and expiry of idle sessions. Times are seconds since
/// the Unix epoch so that the rules stay pure and testable.
public struct LoginPolicy: Hashable, Sendable {
    public var maxFailures: Int
    public var lockoutSeconds: Int64
    public var idleTimeoutSeconds: Int64
    public var maxSessionSeconds: Int64

    public init(maxFailures: Int = 5, lockoutSeconds: Int64 = 15 * 60, idleTimeoutSeconds: Int64 = 30 * 60,
                maxSessionSeconds: Int64 = 12 * 3600) {
        self.maxFailures = maxFailures
        self.lockoutSeconds = lockoutSeconds
        self.idleTimeoutSeconds = idleTimeoutSeconds
        self.maxSessionSeconds = maxSessionSeconds
    }

    public static let standard = LoginPolicy()

    /// The login state kept per account.
    public struct State: Hashable, Sendable {
        public var failures: Int
        public var lockedUntil: Int64?

        public init(failures: Int = 0, lockedUntil: Int64? = nil) {
            self.failures = failures
            self.lockedUntil = lockedUntil
        }
    }

    public func isLocked(_ state: State, now: Int64) -> Bool {
        if let until = state.lockedUntil { return now < until }
        return false
    }

    /// The state after a wrong password. The counter restarts once an earlier lockout has run out.
    public func afterFailure(_ state: State, now: Int64) -> (state: State, lockedNow: Bool) {
        var failures = state.failures
        if let until = state.lockedUntil, now >= until { failures = 0 }
        failures += 1
        if failures >= maxFailures {
            return (State(failures: failures, lockedUntil: now + lockoutSeconds), true)
        }
        return (State(failures: failures, lockedUntil: nil), false)
    }

    public func afterSuccess() -> State { State() }

    /// A session lives while it is used at least every `idleTimeoutSeconds`, and never longer than `maxSessionSeconds`.
    public func sessionAlive(createdAt: Int64, lastSeenAt: Int64, now: Int64) -> Bool {
        now - lastSeenAt < idleTimeoutSeconds && now - createdAt < maxSessionSeconds
    }
}
