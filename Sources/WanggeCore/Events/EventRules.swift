/// Who is acting on an event.
public enum EventActor: Hashable, Sendable {
    /// A logged-in account: its role, the root of its territory, its department.
    case account(id: Int64, role: Role, scope: GridCode?, departmentID: Int64?)
    /// A citizen following their own report by its tracking number.
    case citizen
    /// The platform itself (supervision cards).
    case system
}

/// The part of an event the rules look at.
public struct EventState: Hashable, Sendable {
    public var status: EventStatus
    /// The unit that has the event now.
    public var holder: HandlingUnit
    /// The center that dispatched it (and will verify it), if it was dispatched or handled on the spot.
    public var dispatcher: HandlingUnit?
    /// The grid where it happened.
    public var grid: GridCode
    /// The account that reported it (a grid worker's own report may be verified by them).
    public var reporterAccountID: Int64?
    public var extensionPending: Bool

    public init(status: EventStatus, holder: HandlingUnit, dispatcher: HandlingUnit?, grid: GridCode,
                reporterAccountID: Int64?, extensionPending: Bool = false) {
        self.status = status
        self.holder = holder
        self.dispatcher = dispatcher
        self.grid = grid
        self.reporterAccountID = reporterAccountID
        self.extensionPending = extensionPending
    }
}

/// Why an action was refused.
public enum EventRuleError: Error, Equatable, Sendable {
    /// Not possible in this status; `allowed` lists what is (for this actor).
    case illegalTransition(from: EventStatus, action: EventAction, allowed: [EventAction])
    /// Possible, but not for this actor's place in the tree.
    case notPermitted(action: EventAction)
}

/// The rules of the loop: which actions the status allows, and which the actor's place allows.
public enum EventRules {
    /// True when `actor` speaks for `unit`: department staff for their department; an operator
    /// for the center of any node in their subtree (a county center may act for a township's);
    /// a grid leader for their own grid.
    public static func actsFor(_ actor: EventActor, _ unit: HandlingUnit) -> Bool {
        guard case .account(_, let role, let scope, let departmentID) = actor else { return false }
        switch unit {
        case .department(let id):
            return role == .department && departmentID == id
        case .center(let node):
            guard let scope else { return false }
            switch role {
            case .operator: return scope.contains(node)
            case .gridLeader: return scope == node
            default: return false
            }
        }
    }

    /// True for a grid worker whose grid is the unit holding the event.
    static func worksIn(_ actor: EventActor, _ unit: HandlingUnit) -> Bool {
        guard case .account(_, .gridWorker, let scope?, _) = actor, let node = unit.center else { return false }
        return node.level == .grid && scope == node
    }

    /// Whether `actor` may do `action` given who holds the event (status aside).
    public static func permits(_ action: EventAction, _ state: EventState, by actor: EventActor) -> Bool {
        let holderIsCenter = state.holder.center != nil
        let isReporter: Bool = {
            if case .account(let id, _, _, _) = actor { return id == state.reporterAccountID }
            return false
        }()
        let dispatcherActs = state.dispatcher.map { actsFor(actor, $0) } ?? false
        switch action {
        case .accept, .reject, .merge:
            return holderIsCenter && actsFor(actor, state.holder)
        case .escalate:
            // The service also checks that the tree has a node above the holder's.
            guard let node = state.holder.center, node.level > .city else { return false }
            return actsFor(actor, state.holder)
        case .dispatch:
            return holderIsCenter && actsFor(actor, state.holder)
        case .sign, .return, .requestExtension, .handle:
            // The workers of a grid do the work sent to it (一员多责); deciding about it stays with the leader.
            return actsFor(actor, state.holder) || worksIn(actor, state.holder)
        case .verifyPass, .verifyFail:
            // The center that dispatched it, or the grid worker (or leader) who reported it and can go and look.
            let reporterOnTheGround = isReporter && [.gridWorker, .gridLeader].contains(actorRole(actor))
            return dispatcherActs || reporterOnTheGround
        case .approveExtension, .rejectExtension:
            return dispatcherActs
        case .evaluate:
            if case .citizen = actor { return true }
            return isReporter || dispatcherActs
        case .copy:
            return actsFor(actor, state.holder) || dispatcherActs
        case .urgent:
            // A center above the holder, or the holder's own center.
            return operatorOver(actor, state, strictly: false)
        case .instruct:
            guard case .account(_, let role, let scope?, _) = actor, role == .leader else { return false }
            return scope.contains(state.grid)
        case .supervise:
            if case .system = actor { return true }
            // A supervisor's note comes from a center above the one holding the event.
            return operatorOver(actor, state, strictly: true)
        }
    }

    /// True when `actor` is an operator whose territory holds the event's grid and whose center
    /// is above the unit holding the event (or is that unit's own center, unless `strictly`).
    /// A department counts as below the center that dispatched to it; one with no known
    /// dispatcher can be supervised by the system only.
    private static func operatorOver(_ actor: EventActor, _ state: EventState, strictly: Bool) -> Bool {
        guard case .account(_, let role, let scope?, _) = actor, role == .operator, scope.contains(state.grid) else { return false }
        switch state.holder {
        case .center(let node):
            return scope.contains(node) && !(strictly && scope == node)
        case .department:
            guard let dispatcher = state.dispatcher?.center else { return false }
            return scope.contains(dispatcher)
        }
    }

    /// The actions `actor` may take now.
    public static func allowedActions(_ state: EventState, by actor: EventActor) -> [EventAction] {
        EventAction.allCases.filter {
            $0.target(from: state.status, extensionPending: state.extensionPending) != nil && permits($0, state, by: actor)
        }
    }

    /// The status after `action`, or why it is refused: illegal in this status (409) or not
    /// for this actor (403).
    public static func check(_ action: EventAction, _ state: EventState, by actor: EventActor) throws(EventRuleError) -> EventStatus {
        guard let target = action.target(from: state.status, extensionPending: state.extensionPending) else {
            throw .illegalTransition(from: state.status, action: action, allowed: allowedActions(state, by: actor))
        }
        guard permits(action, state, by: actor) else { throw .notPermitted(action: action) }
        return target
    }

    private static func actorRole(_ actor: EventActor) -> Role? {
        if case .account(_, let role, _, _) = actor { return role }
        return nil
    }
}
