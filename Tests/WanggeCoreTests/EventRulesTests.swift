import Testing
@testable import WanggeCore

private func code(_ s: String) -> GridCode { try! GridCode(s) }

// A small tree: a city, its county, two townships, a community and a unit grid of township A.
private let city = code("520300000000")
private let county = code("520399000000")
private let townA = code("520399001000")
private let townB = code("520399002000")
private let communityA1 = code("520399001001")
private let gridG = code("520399001001001")

private let holdingDepartment: Int64 = 10
private let otherDepartment: Int64 = 11
private let reporterID: Int64 = 6

/// Every kind of actor the rules tell apart, by a readable name.
private let actors: [(String, EventActor)] = [
    ("countyOperator", .account(id: 1, role: .operator, scope: county, departmentID: nil)),
    ("townAOperator", .account(id: 2, role: .operator, scope: townA, departmentID: nil)),
    ("townBOperator", .account(id: 3, role: .operator, scope: townB, departmentID: nil)),
    ("communityOperator", .account(id: 4, role: .operator, scope: communityA1, departmentID: nil)),
    ("gridLeader", .account(id: 5, role: .gridLeader, scope: gridG, departmentID: nil)),
    ("reportingWorker", .account(id: reporterID, role: .gridWorker, scope: gridG, departmentID: nil)),
    ("otherWorker", .account(id: 7, role: .gridWorker, scope: gridG, departmentID: nil)),
    ("holdingDepartmentStaff", .account(id: 8, role: .department, scope: county, departmentID: holdingDepartment)),
    ("otherDepartmentStaff", .account(id: 9, role: .department, scope: county, departmentID: otherDepartment)),
    ("leader", .account(id: 12, role: .leader, scope: county, departmentID: nil)),
    ("admin", .account(id: 13, role: .admin, scope: county, departmentID: nil)),
    ("citizen", .citizen),
    ("system", .system),
]

private func actor(_ name: String) -> EventActor { actors.first { $0.0 == name }!.1 }

private func state(_ status: EventStatus, holder: HandlingUnit, dispatcher: HandlingUnit? = nil,
                   pending: Bool = false) -> EventState {
    EventState(status: status, holder: holder, dispatcher: dispatcher, grid: gridG, reporterAccountID: reporterID,
               extensionPending: pending)
}

/// The outcome of `EventRules.check`, comparable in one `#expect`.
private enum Outcome: Equatable, CustomStringConvertible {
    case allowed(EventStatus)
    case illegal([EventAction])
    case forbidden

    var description: String {
        switch self {
        case .allowed(let s): "allowed → \(s)"
        case .illegal(let a): "illegal, allowed \(a.map(\.rawValue))"
        case .forbidden: "not permitted"
        }
    }
}

private func outcome(_ action: EventAction, _ state: EventState, _ actor: EventActor) -> Outcome {
    do throws(EventRuleError) {
        return .allowed(try EventRules.check(action, state, by: actor))
    } catch {
        switch error {
        case .illegalTransition(let from, let a, let allowed):
            #expect(from == state.status && a == action)
            return .illegal(allowed)
        case .notPermitted(let a):
            #expect(a == action)
            return .forbidden
        }
    }
}

@Suite("EventAction.target")
struct EventTransitionTests {
    /// The whole graph without a pending extension; a missing pair means "not possible".
    static let graph: [EventStatus: [EventAction: EventStatus]] = [
        .reported: [.accept: .accepted, .reject: .rejected, .escalate: .reported, .merge: .merged,
                    .copy: .reported, .urgent: .reported, .instruct: .reported, .supervise: .reported],
        .accepted: [.escalate: .reported, .dispatch: .dispatched, .handle: .handled, .merge: .merged,
                    .copy: .accepted, .urgent: .accepted, .instruct: .accepted, .supervise: .accepted],
        .dispatched: [.sign: .signed, .return: .accepted, .requestExtension: .dispatched,
                      .copy: .dispatched, .urgent: .dispatched, .instruct: .dispatched, .supervise: .dispatched],
        .signed: [.dispatch: .dispatched, .handle: .handled, .return: .accepted, .requestExtension: .signed,
                  .copy: .signed, .urgent: .signed, .instruct: .signed, .supervise: .signed],
        .handled: [.verifyPass: .closed, .verifyFail: .signed,
                   .copy: .handled, .urgent: .handled, .instruct: .handled, .supervise: .handled],
        .closed: [.evaluate: .evaluated],
        .evaluated: [:],
        .rejected: [:],
        .merged: [:],
    ]

    /// With an extension pending: no second request; the dispatcher may approve or reject it.
    static let graphWithPendingExtension: [EventStatus: [EventAction: EventStatus]] = {
        var g = graph
        for status in EventStatus.allCases where status.isOpen {
            g[status]![.requestExtension] = nil
            g[status]![.approveExtension] = status
            g[status]![.rejectExtension] = status
        }
        return g
    }()

    @Test(arguments: [false, true])
    func everyStatusAndActionMatchesTheTable(pending: Bool) {
        let table = pending ? Self.graphWithPendingExtension : Self.graph
        #expect(Set(table.keys) == Set(EventStatus.allCases))
        for status in EventStatus.allCases {
            for action in EventAction.allCases {
                #expect(action.target(from: status, extensionPending: pending) == table[status]![action],
                        "\(action) from \(status), pending \(pending)")
            }
        }
    }

    @Test func pendingTableSpotChecks() {
        #expect(EventAction.approveExtension.target(from: .signed, extensionPending: true) == .signed)
        #expect(EventAction.requestExtension.target(from: .signed, extensionPending: true) == nil)
        #expect(EventAction.approveExtension.target(from: .closed, extensionPending: true) == nil)
    }

    @Test func closedStatusesAreNotOpen() {
        #expect(EventStatus.allCases.filter(\.isOpen) == [.reported, .accepted, .dispatched, .signed, .handled])
        #expect(EventStatus.allCases.filter(\.isCompleted) == [.closed, .evaluated])
    }
}

@Suite("EventRules permissions")
struct EventPermissionTests {
    /// A state and, for each actor, exactly the actions it may take there (others: none).
    struct Scenario: CustomStringConvertible, Sendable {
        var name: String
        var state: EventState
        var allowed: [String: Set<EventAction>]
        var description: String { name }
    }

    static let watchers: [String: Set<EventAction>] = ["leader": [.instruct], "system": [.supervise]]

    static let scenarios: [Scenario] = [
        Scenario(name: "reported, at township A's center", state: state(.reported, holder: .center(townA)), allowed: watchers.merging([
            "countyOperator": [.accept, .reject, .escalate, .merge, .copy, .urgent, .supervise],
            "townAOperator": [.accept, .reject, .escalate, .merge, .copy, .urgent],
        ]) { $1 }),
        Scenario(name: "reported, at the county center", state: state(.reported, holder: .center(county)), allowed: watchers.merging([
            "countyOperator": [.accept, .reject, .escalate, .merge, .copy, .urgent],
        ]) { $1 }),
        Scenario(name: "accepted, at the grid leader's grid", state: state(.accepted, holder: .center(gridG)), allowed: watchers.merging([
            "countyOperator": [.escalate, .dispatch, .handle, .merge, .copy, .urgent, .supervise],
            "townAOperator": [.escalate, .dispatch, .handle, .merge, .copy, .urgent, .supervise],
            "communityOperator": [.escalate, .dispatch, .handle, .merge, .copy, .urgent, .supervise],
            "gridLeader": [.escalate, .dispatch, .handle, .merge, .copy],
            // Its workers may handle it on the spot; accepting, passing on and dispatching stay with the leader.
            "reportingWorker": [.handle],
            "otherWorker": [.handle],
        ]) { $1 }),
        Scenario(name: "dispatched by township A down to the unit grid",
                 state: state(.dispatched, holder: .center(gridG), dispatcher: .center(townA)), allowed: watchers.merging([
                     "countyOperator": [.sign, .return, .requestExtension, .copy, .urgent, .supervise],
                     "townAOperator": [.sign, .return, .requestExtension, .copy, .urgent, .supervise],
                     "communityOperator": [.sign, .return, .requestExtension, .copy, .urgent, .supervise],
                     "gridLeader": [.sign, .return, .requestExtension, .copy],
                     "reportingWorker": [.sign, .return, .requestExtension],
                     "otherWorker": [.sign, .return, .requestExtension],
                 ]) { $1 }),
        Scenario(name: "dispatched by township A to a department",
                 state: state(.dispatched, holder: .department(holdingDepartment), dispatcher: .center(townA)),
                 allowed: watchers.merging([
                     "countyOperator": [.copy, .urgent, .supervise],
                     "townAOperator": [.copy, .urgent, .supervise],
                     "holdingDepartmentStaff": [.sign, .return, .requestExtension, .copy],
                 ]) { $1 }),
        Scenario(name: "dispatched, extension pending",
                 state: state(.dispatched, holder: .department(holdingDepartment), dispatcher: .center(townA), pending: true),
                 allowed: watchers.merging([
                     "countyOperator": [.copy, .urgent, .approveExtension, .rejectExtension, .supervise],
                     "townAOperator": [.copy, .urgent, .approveExtension, .rejectExtension, .supervise],
                     "holdingDepartmentStaff": [.sign, .return, .copy],
                 ]) { $1 }),
        Scenario(name: "signed by township A, dispatched by the county",
                 state: state(.signed, holder: .center(townA), dispatcher: .center(county)), allowed: watchers.merging([
                     "countyOperator": [.dispatch, .handle, .return, .copy, .urgent, .requestExtension, .supervise],
                     "townAOperator": [.dispatch, .handle, .return, .copy, .urgent, .requestExtension],
                 ]) { $1 }),
        Scenario(name: "signed by a department",
                 state: state(.signed, holder: .department(holdingDepartment), dispatcher: .center(townA)),
                 allowed: watchers.merging([
                     "countyOperator": [.copy, .urgent, .supervise],
                     "townAOperator": [.copy, .urgent, .supervise],
                     "holdingDepartmentStaff": [.handle, .return, .copy, .requestExtension],
                 ]) { $1 }),
        Scenario(name: "handled by a department",
                 state: state(.handled, holder: .department(holdingDepartment), dispatcher: .center(townA)),
                 allowed: watchers.merging([
                     "countyOperator": [.verifyPass, .verifyFail, .copy, .urgent, .supervise],
                     "townAOperator": [.verifyPass, .verifyFail, .copy, .urgent, .supervise],
                     "reportingWorker": [.verifyPass, .verifyFail],
                     "holdingDepartmentStaff": [.copy],
                 ]) { $1 }),
        Scenario(name: "closed", state: state(.closed, holder: .department(holdingDepartment), dispatcher: .center(townA)),
                 allowed: [
                     "countyOperator": [.evaluate], "townAOperator": [.evaluate], "reportingWorker": [.evaluate],
                     "citizen": [.evaluate],
                 ]),
        Scenario(name: "evaluated", state: state(.evaluated, holder: .department(holdingDepartment), dispatcher: .center(townA)),
                 allowed: [:]),
    ]

    @Test(arguments: scenarios)
    func everyActorAndAction(_ scenario: Scenario) {
        let unknown = Set(scenario.allowed.keys).subtracting(actors.map(\.0))
        #expect(unknown.isEmpty, "misspelt actor names \(unknown)")
        for (name, actor) in actors {
            let allowed = scenario.allowed[name] ?? []
            let inOrder = EventAction.allCases.filter(allowed.contains)
            #expect(EventRules.allowedActions(scenario.state, by: actor) == inOrder, "\(name)")
            for action in EventAction.allCases {
                let expected: Outcome
                if let target = action.target(from: scenario.state.status, extensionPending: scenario.state.extensionPending) {
                    expected = allowed.contains(action) ? .allowed(target) : .forbidden
                } else {
                    #expect(!allowed.contains(action), "table lists an impossible action \(action)")
                    expected = .illegal(inOrder)
                }
                #expect(outcome(action, scenario.state, actor) == expected, "\(name) \(action)")
            }
        }
    }

    @Test func townshipOperatorCannotActForAnotherTownship() {
        let reported = state(.reported, holder: .center(townA))
        #expect(outcome(.accept, reported, actor("townBOperator")) == .forbidden)
        #expect(outcome(.accept, reported, actor("townAOperator")) == .allowed(.accepted))
        #expect(outcome(.accept, reported, actor("countyOperator")) == .allowed(.accepted))
        // A community operator is below the township: it cannot accept for it.
        #expect(outcome(.accept, reported, actor("communityOperator")) == .forbidden)
    }

    @Test func gridWorkerVerifiesOnlyHisOwnReport() {
        let handled = state(.handled, holder: .department(holdingDepartment), dispatcher: .center(townA))
        #expect(outcome(.verifyPass, handled, actor("reportingWorker")) == .allowed(.closed))
        #expect(outcome(.verifyFail, handled, actor("reportingWorker")) == .allowed(.signed))
        #expect(outcome(.verifyPass, handled, actor("otherWorker")) == .forbidden)
        var anonymous = handled
        anonymous.reporterAccountID = nil
        #expect(outcome(.verifyPass, anonymous, actor("reportingWorker")) == .forbidden)
    }

    @Test func adminCannotDispatch() {
        let accepted = state(.accepted, holder: .center(townA))
        #expect(outcome(.dispatch, accepted, actor("admin")) == .forbidden)
        #expect(EventRules.allowedActions(accepted, by: actor("admin")).isEmpty)
    }

    @Test func leaderCanOnlyInstruct() {
        for status in EventStatus.allCases {
            let s = state(status, holder: .center(townA), dispatcher: .center(county))
            let allowed = EventRules.allowedActions(s, by: actor("leader"))
            #expect(allowed == (status.isOpen ? [.instruct] : []), "\(status)")
        }
        // Only within the leader's territory.
        let elsewhere = EventActor.account(id: 12, role: .leader, scope: townB, departmentID: nil)
        #expect(outcome(.instruct, state(.signed, holder: .center(townA)), elsewhere) == .forbidden)
    }

    @Test func onlySystemOrAnOperatorAboveSupervises() {
        let atTownship = state(.signed, holder: .center(townA), dispatcher: .center(county))
        #expect(outcome(.supervise, atTownship, .system) == .allowed(.signed))
        #expect(outcome(.supervise, atTownship, actor("countyOperator")) == .allowed(.signed))
        #expect(outcome(.supervise, atTownship, actor("townAOperator")) == .forbidden)  // its own center
        #expect(outcome(.supervise, atTownship, actor("communityOperator")) == .forbidden)  // below it
        #expect(outcome(.supervise, atTownship, actor("holdingDepartmentStaff")) == .forbidden)
        #expect(outcome(.supervise, atTownship, .citizen) == .forbidden)
        // A department is supervised by the center that dispatched to it, or one above that.
        let atDepartment = state(.dispatched, holder: .department(holdingDepartment), dispatcher: .center(townA))
        #expect(outcome(.supervise, atDepartment, actor("townAOperator")) == .allowed(.dispatched))
        #expect(outcome(.supervise, atDepartment, actor("communityOperator")) == .forbidden)
        let undispatched = state(.signed, holder: .department(holdingDepartment))
        #expect(outcome(.supervise, undispatched, actor("countyOperator")) == .forbidden)
        #expect(outcome(.supervise, undispatched, .system) == .allowed(.signed))
    }

    @Test func escalateFromCountyButNotFromCity() {
        #expect(outcome(.escalate, state(.accepted, holder: .center(county)), actor("countyOperator")) == .allowed(.reported))
        // No operator account sits at a city, but the rule must refuse even one that did.
        let cityOperator = EventActor.account(id: 20, role: .operator, scope: city, departmentID: nil)
        let atCity = state(.accepted, holder: .center(city))
        #expect(outcome(.dispatch, atCity, cityOperator) == .allowed(.dispatched))
        #expect(outcome(.escalate, atCity, cityOperator) == .forbidden)
        // A department never escalates; it returns the event instead.
        let atDepartment = state(.signed, holder: .department(holdingDepartment), dispatcher: .center(townA))
        #expect(outcome(.escalate, atDepartment, actor("holdingDepartmentStaff"))
                == .illegal([.handle, .return, .copy, .requestExtension]))
    }

    @Test func departmentStaffActOnlyForTheirDepartment() {
        let dispatched = state(.dispatched, holder: .department(holdingDepartment), dispatcher: .center(townA))
        #expect(outcome(.sign, dispatched, actor("holdingDepartmentStaff")) == .allowed(.signed))
        #expect(outcome(.sign, dispatched, actor("otherDepartmentStaff")) == .forbidden)
        #expect(outcome(.sign, dispatched, actor("townAOperator")) == .forbidden)
    }

    @Test func citizenOnlyEvaluates() {
        for status in EventStatus.allCases {
            let s = state(status, holder: .center(townA), dispatcher: .center(townA))
            #expect(EventRules.allowedActions(s, by: .citizen) == (status == .closed ? [.evaluate] : []), "\(status)")
        }
    }
}
