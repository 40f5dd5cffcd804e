/// The figures the seeds report (办结率, 按期办结率, 满意率, 超期, 未签收, 解决层级) for one subtree
/// and period, from counts the storage layer adds up.
public struct EventFigures: Hashable, Codable, Sendable {
    /// One group of events that share status, category, source and resolution level.
    public struct Group: Hashable, Codable, Sendable {
        public var status: EventStatus
        public var categoryCode: String
        public var source: EventSource
        public var resolvedLevel: String?
        public var count: Int
        /// Handled no later than the deadline (or without one).
        public var onTime: Int
        public var rated: Int
        /// Rated 4 or 5.
        public var satisfied: Int
        public var overdue: Int

        public init(status: EventStatus, categoryCode: String, source: EventSource, resolvedLevel: String?, count: Int, onTime: Int,
                    rated: Int, satisfied: Int, overdue: Int) {
            self.status = status
            self.categoryCode = categoryCode
            self.source = source
            self.resolvedLevel = resolvedLevel
            self.count = count
            self.onTime = onTime
            self.rated = rated
            self.satisfied = satisfied
            self.overdue = overdue
        }
    }

    public var total = 0
    public var byStatus: [String: Int] = [:]
    public var byCategory: [String: Int] = [:]
    public var bySource: [String: Int] = [:]
    /// Completed events by the level that handled them.
    public var byResolvedLevel: [String: Int] = [:]
    public var completed = 0
    public var completedOnTime = 0
    public var rated = 0
    public var satisfied = 0
    public var overdue = 0
    public var unsigned = 0

    public init(groups: [Group]) {
        for g in groups {
            total += g.count
            byStatus[g.status.rawValue, default: 0] += g.count
            byCategory[g.categoryCode, default: 0] += g.count
            bySource[g.source.rawValue, default: 0] += g.count
            if g.status.isCompleted {
                completed += g.count
                completedOnTime += g.onTime
                byResolvedLevel[g.resolvedLevel ?? "unknown", default: 0] += g.count
            }
            rated += g.rated
            satisfied += g.satisfied
            overdue += g.overdue
            if g.status == .dispatched { unsigned += g.count }
        }
    }

    /// Events that entered the loop for real: neither turned down nor merged into another.
    public var accepted: Int { total - (byStatus[EventStatus.rejected.rawValue] ?? 0) - (byStatus[EventStatus.merged.rawValue] ?? 0) }

    /// 办结率: completed / accepted; nil when nothing was accepted.
    public var completionRate: Double? { accepted > 0 ? Double(completed) / Double(accepted) : nil }
    /// 按期办结率: completed on time / completed.
    public var onTimeRate: Double? { completed > 0 ? Double(completedOnTime) / Double(completed) : nil }
    /// 满意率: rated 4–5 / rated.
    public var satisfactionRate: Double? { rated > 0 ? Double(satisfied) / Double(rated) : nil }
}
