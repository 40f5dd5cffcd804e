/// The figures the seeds report (办结率, 按期办结率, 满意率, 超期, 未签收, 解决层级) for one subtree
/// and period, from the counters the storage layer keeps per dimension.
public struct EventFigures: Hashable, Codable, Sendable {
    /// The events of one value of one dimension (`status`, `category`, `source`, `level`), with
    /// how many of them were handled on time, were rated, were rated 4–5.
    public struct Count: Hashable, Codable, Sendable {
        public var dimension: String
        public var value: String
        public var count: Int
        public var onTime: Int
        public var rated: Int
        public var satisfied: Int

        public init(dimension: String, value: String, count: Int, onTime: Int, rated: Int, satisfied: Int) {
            self.dimension = dimension
            self.value = value
            self.count = count
            self.onTime = onTime
            self.rated = rated
            self.satisfied = satisfied
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
    /// Open, not handled, past the deadline: a fact of now, filled in separately from the period's counts.
    public var overdue = 0
    public var unsigned = 0

    public init(counts: [Count]) {
        for c in counts where c.count != 0 {
            switch c.dimension {
            case "status":
                total += c.count
                byStatus[c.value, default: 0] += c.count
                rated += c.rated
                satisfied += c.satisfied
                if let status = EventStatus(rawValue: c.value) {
                    if status.isCompleted {
                        completed += c.count
                        completedOnTime += c.onTime
                    }
                    if status == .dispatched { unsigned += c.count }
                }
            case "category": byCategory[c.value, default: 0] += c.count
            case "source": bySource[c.value, default: 0] += c.count
            case "level": byResolvedLevel[c.value, default: 0] += c.count
            default: continue
            }
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
