import Foundation
import SQLKit
import WanggeCore
import WanggeStorage

extension EventService {
    /// Whether `caller` may see the event at all; others get 404.
    func isVisible(_ event: Event, to caller: EventCaller) -> Bool {
        guard let territory = caller.territory else { return caller.actor == .system }
        return territory.contains(event.grid)
    }

    /// Reads an event the caller may see.
    public func event(_ id: Int64, for caller: EventCaller) async throws -> Event {
        guard let event = try await repos.events.find(id: id), isVisible(event, to: caller) else {
            throw AppError.notFound("没有找到事件\(id)")
        }
        return event
    }

    /// Takes one action on an event: the rules decide (409 with the allowed actions, or 403),
    /// then the event and its timeline row are written together.
    /// - Parameter alongside: more rows to write in the same transaction (an idempotency key).
    @discardableResult
    public func act(_ action: EventAction, on id: Int64, input: ActionInput, by caller: EventCaller,
                    alongside: (@Sendable (Event, any SQLDatabase) async throws -> Void)? = nil) async throws -> Event {
        let visible = try await event(id, for: caller)
        let at = now()
        let calendar = try await calendars.current()
        let snapshot = try await index.current()
        let catalog = try await catalogs.current()
        let note = input.note.map { String($0.trimmed) }.flatMap { $0.isEmpty ? nil : $0 }
        if let note, note.count > 2000 { throw AppError.badRequest("说明不能超过2000字", field: "note") }
        let needsNote: Set<EventAction> = [.reject, .return, .verifyFail, .handle, .instruct, .supervise, .requestExtension]
        if needsNote.contains(action), note == nil {
            throw AppError.badRequest("“\(action.label)”须填写说明", field: "note")
        }
        // Checks that need other rows are done before the transaction.
        var target: HandlingUnit?
        if action == .dispatch || action == .copy {
            target = try await resolveTarget(input.to, for: visible, action: action, nodes: snapshot.nodes)
        }
        var parentCenter: GridCode?
        if action == .escalate, let node = visible.holder.center {
            guard let parent = snapshot.nodes[node]?.parent else {
                throw AppError.conflict("\(node)已是最高一级，无法再上报")
            }
            parentCenter = parent
        }
        var mergeTarget: Event?
        if action == .merge {
            guard let into = input.into else { throw AppError.badRequest("请指定并入的事件", field: "into") }
            let other = try await event(into, for: caller)
            guard other.id != visible.id, other.status.isOpen, other.itemCode == visible.itemCode else {
                throw AppError.conflict("只能并入同一事项下仍在办理的另一事件", field: "into")
            }
            mergeTarget = other
        }
        if action == .evaluate {
            guard let s = input.satisfaction, (1...5).contains(s) else {
                throw AppError.badRequest("满意度应为1–5分", field: "satisfaction")
            }
        }
        if action == .dispatch, let deadline = input.deadline, deadline <= at {
            throw AppError.badRequest("处理时限须晚于当前时间", field: "deadline")
        }
        if action == .requestExtension {
            guard let until = input.deadline, until > (visible.deadline ?? at) else {
                throw AppError.badRequest("申请的新时限须晚于当前时限", field: "deadline")
            }
        }
        let attachmentIDs = input.attachments ?? []
        let item = catalog.item(visible.itemCode)
        let (unit, parent, other) = (target, parentCenter, mergeTarget)

        return try await repos.database.transaction { tx in
            guard var event = try await repos.events.find(id: id, in: tx) else { throw AppError.notFound("没有找到事件\(id)") }
            let before = event
            let next: EventStatus
            do {
                next = try EventRules.check(action, event.state, by: caller.actor)
            } catch let error as EventRuleError {
                switch error {
                case .illegalTransition(let from, _, let allowed):
                    throw AppError.illegalTransition(action: action, from: from, allowed: allowed)
                case .notPermitted:
                    throw AppError.forbidden("您所在的单位不能对此事件执行“\(action.label)”")
                }
            }
            var toUnit: HandlingUnit? = nil
            switch action {
            case .accept:
                event.acceptedAt = at
            case .reject, .instruct, .supervise:
                break
            case .escalate:
                event.holder = .center(parent!)
                toUnit = event.holder
            case .dispatch:
                event.dispatcher = event.holder
                event.holder = unit!
                toUnit = unit
                event.dispatchedAt = at
                event.signedAt = nil
                event.handledAt = nil
                event.requestedDeadline = nil
                event.deadline = input.deadline ?? item?.deadline.deadline(from: at, calendar: calendar)
            case .sign:
                event.signedAt = at
            case .handle:
                if before.status == .accepted { event.dispatcher = event.holder }
                event.handledAt = at
                event.resolvedLevel = event.holder.center?.level.rawValue ?? "department"
            case .return:
                toUnit = event.dispatcher
                event.holder = event.dispatcher ?? event.holder
                event.dispatcher = nil
                event.requestedDeadline = nil
            case .verifyPass:
                event.closedAt = at
            case .verifyFail:
                event.handledAt = nil
                event.resolvedLevel = nil
            case .evaluate:
                event.satisfaction = input.satisfaction
            case .merge:
                event.mergedInto = other?.id
            case .copy:
                toUnit = unit
            case .urgent:
                event.urgent = true
            case .requestExtension:
                event.requestedDeadline = input.deadline
            case .approveExtension:
                event.deadline = event.requestedDeadline
                event.requestedDeadline = nil
            case .rejectExtension:
                event.requestedDeadline = nil
            }
            event.status = next
            event.updatedAt = at
            try await repos.events.update(event, previous: before, in: tx)
            let step = try await repos.events.appendStep(EventStep(
                eventID: id, at: at, actorID: caller.accountID, actor: caller.name, action: action.rawValue,
                fromStatus: before.status, toStatus: next, fromUnit: before.holder, toUnit: toUnit,
                note: note ?? Self.defaultNote(action, input: input), attachments: attachmentIDs), in: tx)
            try await notifier.eventChanged(event, action: action.rawValue, step: step, in: tx)
            try await alongside?(event, tx)
            if let other, let targetID = other.id {
                _ = try await repos.events.appendStep(EventStep(
                    eventID: targetID, at: at, actorID: caller.accountID, actor: caller.name, action: "merged_in",
                    fromStatus: other.status, toStatus: other.status, fromUnit: nil, toUnit: nil,
                    note: "事件\(before.serial)并入本件，上报人将一并收到办理结果"), in: tx)
            }
            return event
        }
    }

    /// The unit named by `to`: a department serving the event's place, or a center of a node
    /// between the holder and the event's grid (dispatch goes down, never sideways).
    private func resolveTarget(_ raw: String?, for event: Event, action: EventAction, nodes: [GridCode: Grid]) async throws -> HandlingUnit {
        guard let raw, !raw.isEmpty else { throw AppError.badRequest("请指定\(action == .copy ? "抄告" : "派遣")对象", field: "to") }
        let unit: HandlingUnit
        do { unit = try HandlingUnit(parsing: raw) } catch { throw AppError.badRequest(error.message, field: "to") }
        switch unit {
        case .department(let id):
            guard let department = try await repos.departments.find(id: id), department.serves.contains(event.grid) else {
                throw AppError.badRequest("部门\(id)不存在或不负责该事件所在区域", field: "to")
            }
        case .center(let node):
            guard nodes[node] != nil, node.contains(event.grid) else {
                throw AppError.badRequest("\(node)不是该事件所在区域的单位", field: "to")
            }
            if action == .dispatch, let holder = event.holder.center, !(holder.contains(node) && holder != node) {
                throw AppError.badRequest("只能派遣给下级单位或职能部门", field: "to")
            }
        }
        return unit
    }

    static func defaultNote(_ action: EventAction, input: ActionInput) -> String? {
        switch action {
        case .evaluate: input.satisfaction.map { "满意度\($0)分" }
        case .requestExtension, .approveExtension: nil
        default: nil
        }
    }
}

extension AppError {
    /// 409 with the actions that are possible now, so a client can offer them.
    static func illegalTransition(action: EventAction, from: EventStatus, allowed: [EventAction]) -> AppError {
        let list = allowed.isEmpty ? "无" : allowed.map { "\($0.label)(\($0.rawValue))" }.joined(separator: "、")
        var error = AppError(.conflict, code: "illegal_transition", "事件处于“\(from.label)”状态，不能“\(action.label)”。当前可执行：\(list)")
        error.allowed = allowed.map(\.rawValue)
        return error
    }
}
