/// What can be done to an event. Some move it along the loop; the others leave its status as
/// it is and only add to its timeline (抄告, 加急, 领导批示, 督办, 延期).
public enum EventAction: String, CaseIterable, Codable, Sendable {
    /// 受理
    case accept
    /// 不予受理 (with a reason)
    case reject
    /// 上报: pass up to the next level's center when beyond this unit's authority.
    case escalate
    /// 派遣/交办: to a department or down to a lower center, with a deadline.
    case dispatch
    /// 签收
    case sign
    /// 处置反馈 (text and photos); also a center handling on the spot what it accepted.
    case handle
    /// 回退: the handler sends it back to whoever dispatched it, with a reason.
    case `return`
    /// 核查通过 → 办结归档
    case verifyPass = "verify_pass"
    /// 核查不通过 → back to the handler
    case verifyFail = "verify_fail"
    /// 评价 (satisfaction 1–5)
    case evaluate
    /// 并单: this report is a duplicate of another open one.
    case merge
    /// 抄告: inform another unit.
    case copy
    /// 加急
    case urgent
    /// 申请延期
    case requestExtension = "request_extension"
    /// 同意延期
    case approveExtension = "approve_extension"
    /// 不同意延期
    case rejectExtension = "reject_extension"
    /// 领导批示
    case instruct
    /// 督办 (a yellow or red card, or a supervisor's note)
    case supervise

    public var label: String {
        switch self {
        case .accept: "受理"
        case .reject: "不予受理"
        case .escalate: "上报"
        case .dispatch: "派遣"
        case .sign: "签收"
        case .handle: "处置反馈"
        case .return: "回退"
        case .verifyPass: "核查通过"
        case .verifyFail: "核查不通过"
        case .evaluate: "评价"
        case .merge: "并单"
        case .copy: "抄告"
        case .urgent: "加急"
        case .requestExtension: "申请延期"
        case .approveExtension: "同意延期"
        case .rejectExtension: "不同意延期"
        case .instruct: "领导批示"
        case .supervise: "督办"
        }
    }

    /// The status after the action, or `nil` when the action is not possible in `status`.
    /// The second part of the rules — who may act — is `EventRules.permits`.
    public func target(from status: EventStatus, extensionPending: Bool) -> EventStatus? {
        switch (self, status) {
        case (.accept, .reported): .accepted
        case (.reject, .reported): .rejected
        case (.escalate, .reported), (.escalate, .accepted): .reported
        case (.dispatch, .accepted), (.dispatch, .signed): .dispatched
        case (.sign, .dispatched): .signed
        case (.handle, .accepted), (.handle, .signed): .handled
        case (.return, .dispatched), (.return, .signed): .accepted
        case (.verifyPass, .handled): .closed
        case (.verifyFail, .handled): .signed
        case (.evaluate, .closed): .evaluated
        case (.merge, .reported), (.merge, .accepted): .merged
        case (.copy, _), (.urgent, _), (.instruct, _), (.supervise, _):
            status.isOpen ? status : nil
        case (.requestExtension, .signed), (.requestExtension, .dispatched):
            extensionPending ? nil : status
        case (.approveExtension, _), (.rejectExtension, _):
            extensionPending && status.isOpen ? status : nil
        default: nil
        }
    }
}
