import Foundation
import SQLKit
import WanggeCore
import WanggeStorage

/// Decides who hears about an event change and queues the messages in the outbox, inside the
/// transaction of the change: a change is never committed without its notifications, nor the reverse.
///
/// Units are told through their endpoints (a department's webhook and SMS phone); a unit without
/// endpoints (a command center, or a department not yet configured) is simply not told here — it
/// sees the event in its queue. Reporters who came in as citizens (随手拍, Open311) get an SMS when
/// their problem is closed. The reporter's phone never goes into a webhook.
public struct OutboxNotifier: EventNotifier {
    let notifications: any NotificationRepository

    public init(notifications: any NotificationRepository) {
        self.notifications = notifications
    }

    public func eventChanged(_ event: Event, action: String, step: EventStep, in tx: any SQLDatabase) async throws {
        guard let plan = Self.plan(event: event, action: action, step: step) else { return }
        var told = Set<Int64>()
        for unit in plan.units {
            guard let departmentID = unit?.departmentID, told.insert(departmentID).inserted,
                  let endpoints = try await notifications.endpoints(departmentID: departmentID, in: tx) else { continue }
            if let url = endpoints.webhookURL, endpoints.webhookSecret != nil {
                let body = try Self.webhookBody(event: event, action: action, step: step)
                _ = try await notifications.enqueue(OutboxNotification(
                    createdAt: step.at, eventID: event.id, kind: plan.kind, channel: .webhook, recipient: endpoints.recipient,
                    target: url, payload: body, nextAttemptAt: step.at), in: tx)
            }
            if let phone = endpoints.smsPhone {
                _ = try await notifications.enqueue(OutboxNotification(
                    createdAt: step.at, eventID: event.id, kind: plan.kind, channel: .sms, recipient: endpoints.recipient,
                    target: phone, payload: Self.unitText(plan.kind, event: event, action: action, step: step),
                    nextAttemptAt: step.at), in: tx)
            }
        }
        guard plan.tellsReporters, let id = event.id else { return }
        // Everyone who reported the same problem hears the result (并单 keeps every reporter informed).
        var reporters: [(eventID: Int64, tracking: String, source: EventSource, phone: String)] = []
        if let phone = event.reporterPhone { reporters.append((id, event.trackingNumber, event.source, phone)) }
        for merged in try await notifications.mergedReporters(into: id, in: tx) {
            reporters.append((merged.eventID, merged.trackingNumber, merged.source, merged.phone))
        }
        var texted = Set<String>()
        for r in reporters where Self.citizenSources.contains(r.source) {
            guard let mobile = Self.mobile(r.phone), texted.insert(mobile).inserted else { continue }
            _ = try await notifications.enqueue(OutboxNotification(
                createdAt: step.at, eventID: r.eventID, kind: plan.kind, channel: .sms, recipient: "reporter", target: mobile,
                payload: "您反映的问题已办结，编号\(r.tracking)。感谢您对网格化服务管理工作的支持。", nextAttemptAt: step.at), in: tx)
        }
    }

    /// Channels whose reporters are members of the public, with no account to follow the event in.
    static let citizenSources: Set<EventSource> = [.citizen, .open311]

    struct Plan {
        var kind: String
        /// The units concerned; nil entries (no dispatcher yet) are skipped.
        var units: [HandlingUnit?]
        var tellsReporters = false
    }

    /// Who hears about `action`, and under which kind. Actions that concern nobody outside the
    /// actor's own unit (accept, sign, handle, …) queue nothing.
    static func plan(event: Event, action: String, step: EventStep) -> Plan? {
        if action.hasPrefix("card_") { return Plan(kind: "card", units: [event.holder]) }
        switch EventAction(rawValue: action) {
        case .dispatch: return Plan(kind: "dispatched", units: [event.holder])
        // The unit that dispatched it learns that the work passed verification, and so does the
        // unit that did the work.
        case .verifyPass: return Plan(kind: "closed", units: [event.dispatcher, event.holder], tellsReporters: true)
        case .copy: return Plan(kind: "copied", units: [step.toUnit])
        case .return: return Plan(kind: "returned", units: [step.toUnit ?? event.holder])
        case .verifyFail: return Plan(kind: "reopened", units: [event.holder])
        case .urgent: return Plan(kind: "urgent", units: [event.holder])
        case .instruct: return Plan(kind: "instructed", units: [event.holder])
        case .approveExtension, .rejectExtension: return Plan(kind: "extension", units: [event.holder])
        default: return nil
        }
    }

    /// The webhook body: `{event: {…}, action, step: {at, actor, note}, sentAt}`, keys sorted.
    /// `sentAt` is when the notification was made; every retry sends these exact bytes.
    static func webhookBody(event: Event, action: String, step: EventStep) throws -> String {
        let payload = WebhookPayload(
            event: .init(id: event.id ?? 0, serial: event.serial, status: event.status.rawValue, itemCode: event.itemCode,
                         description: event.description, grid: event.grid.value, holder: event.holder.description,
                         deadline: event.deadline, urgent: event.urgent),
            action: action, step: .init(at: step.at, actor: step.actor, note: step.note), sentAt: step.at)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(payload), as: UTF8.self)
    }

    /// A short text for a unit's duty phone.
    static func unitText(_ kind: String, event: Event, action: String, step: EventStep) -> String {
        let serial = "事件\(event.serial)"
        let note = step.note.map { String($0.prefix(40)) } ?? ""
        switch kind {
        case "dispatched":
            let deadline = event.deadline.map { "，办理时限\(Self.localTime($0))" } ?? ""
            return "【派遣】\(serial)已派至你单位：\(event.description.prefix(30))。请及时签收\(deadline)。"
        case "card": return "【督办】\(serial)：\(note.isEmpty ? "请尽快办理" : note)。"
        case "closed": return "【办结】\(serial)已核查通过，办结归档。"
        case "copied": return "【抄告】\(serial)抄告你单位：\(event.description.prefix(30))。"
        case "returned": return "【回退】\(serial)被回退：\(note)。请重新研判。"
        case "reopened": return "【核查不通过】\(serial)：\(note)。请继续办理。"
        case "urgent": return "【加急】\(serial)已加急，请优先办理。"
        case "instructed": return "【领导批示】\(serial)：\(note)"
        case "extension":
            let granted = action == EventAction.approveExtension.rawValue
            let until = granted ? event.deadline.map { "，新时限\(Self.localTime($0))" } ?? "" : ""
            return "【延期】\(serial)的延期申请\(granted ? "已同意" : "未同意")\(until)。"
        default: return "\(serial)：\(note)"
        }
    }

    /// `5月12日 17:30`, Beijing time.
    static func localTime(_ instant: Int64) -> String {
        let day = Day(localDateOf: instant)
        let seconds = Int(((instant + Day.utcOffsetSeconds) % 86_400 + 86_400) % 86_400)
        let minutes = seconds / 60 % 60
        return "\(day.month)月\(day.day)日 \(seconds / 3600):\(minutes < 10 ? "0" : "")\(minutes)"
    }

    /// The 11 digits of a mainland mobile number, or nil for a landline (which cannot take SMS).
    static func mobile(_ phone: String) -> String? {
        let digits = phone.filter { $0 != "-" && $0 != " " }
        guard digits.count == 11, digits.first == "1", digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return digits
    }
}

/// The JSON a department's webhook receives. Optional fields are sent as null rather than left
/// out, so receivers see the same keys every time.
struct WebhookPayload: Encodable {
    struct EventPart: Encodable {
        var id: Int64
        var serial: String
        var status: String
        var itemCode: String
        var description: String
        var grid: String
        var holder: String
        var deadline: Int64?
        var urgent: Bool

        enum CodingKeys: String, CodingKey { case id, serial, status, itemCode, description, grid, holder, deadline, urgent }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(serial, forKey: .serial)
            try c.encode(status, forKey: .status)
            try c.encode(itemCode, forKey: .itemCode)
            try c.encode(description, forKey: .description)
            try c.encode(grid, forKey: .grid)
            try c.encode(holder, forKey: .holder)
            try c.encode(deadline, forKey: .deadline)
            try c.encode(urgent, forKey: .urgent)
        }
    }

    struct StepPart: Encodable {
        var at: Int64
        var actor: String
        var note: String?

        enum CodingKeys: String, CodingKey { case at, actor, note }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(at, forKey: .at)
            try c.encode(actor, forKey: .actor)
            try c.encode(note, forKey: .note)
        }
    }

    var event: EventPart
    var action: String
    var step: StepPart
    var sentAt: Int64
}
