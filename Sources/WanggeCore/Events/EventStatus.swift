/// Where an event stands in the closed loop (事件闭环):
/// 发现上报 → 受理派遣 → 处置反馈 → 任务核查 → 事件归档 → 考核评价.
public enum EventStatus: String, CaseIterable, Codable, Sendable {
    /// 已上报: waiting for a center (or a grid leader) to accept it.
    case reported
    /// 已受理: accepted; to be dispatched, handled on the spot, or passed up.
    case accepted
    /// 已派遣: sent to a department or down to a lower center; waiting for it to sign.
    case dispatched
    /// 已签收: the handler has signed for it and is working on it.
    case signed
    /// 已处置: the handler has fed back; waiting for verification.
    case handled
    /// 已办结: verified and archived.
    case closed
    /// 已评价: the reporter or the center has rated the result.
    case evaluated
    /// 不予受理: turned down, with a reason.
    case rejected
    /// 已并单: merged into another report of the same problem.
    case merged

    public var label: String {
        switch self {
        case .reported: "已上报"
        case .accepted: "已受理"
        case .dispatched: "已派遣"
        case .signed: "已签收"
        case .handled: "已处置"
        case .closed: "已办结"
        case .evaluated: "已评价"
        case .rejected: "不予受理"
        case .merged: "已并单"
        }
    }

    /// Still in the loop: counts as open for supervision and for citizens' "open/closed".
    public var isOpen: Bool {
        switch self {
        case .reported, .accepted, .dispatched, .signed, .handled: true
        case .closed, .evaluated, .rejected, .merged: false
        }
    }

    /// Finished with a result (办结), the numerator of the completion rate.
    public var isCompleted: Bool { self == .closed || self == .evaluated }
}

/// How an event came in.
public enum EventSource: String, CaseIterable, Codable, Sendable {
    case gridApp = "grid_app"
    case citizen
    case hotline12345 = "hotline_12345"
    case police110 = "police_110"
    case cityManagement = "city_management"
    case iot
    case pc
    case visit
    case open311

    public var label: String {
        switch self {
        case .gridApp: "网格员APP"
        case .citizen: "群众随手拍"
        case .hotline12345: "12345热线"
        case .police110: "110非警务转办"
        case .cityManagement: "数字城管"
        case .iot: "物联感知"
        case .pc: "PC录入"
        case .visit: "走访"
        case .open311: "Open311接口"
        }
    }
}

/// Who holds an event at a moment: the command center (or grid leader) of a node of the tree,
/// or a department.
public enum HandlingUnit: Hashable, Codable, Sendable, CustomStringConvertible {
    case center(GridCode)
    case department(Int64)

    public var center: GridCode? {
        if case .center(let code) = self { return code }
        return nil
    }

    public var departmentID: Int64? {
        if case .department(let id) = self { return id }
        return nil
    }

    /// `center:520399001000` or `department:12`, the form stored and sent.
    public var description: String {
        switch self {
        case .center(let code): "center:\(code)"
        case .department(let id): "department:\(id)"
        }
    }

    public init(parsing raw: String) throws(ValidationError) {
        let parts = raw.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw ValidationError(field: "unit", "单位应写作 center:编码 或 department:编号，收到“\(raw)”") }
        switch parts[0] {
        case "center": self = .center(try GridCode(parts[1]))
        case "department":
            guard let id = Int64(parts[1]), id > 0 else { throw ValidationError(field: "unit", "部门编号无效：\(parts[1])") }
            self = .department(id)
        default:
            throw ValidationError(field: "unit", "单位应写作 center:编码 或 department:编号，收到“\(raw)”")
        }
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: raw)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
