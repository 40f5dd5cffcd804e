import SQLKit
import WanggeCore

/// Hears about every change of an event, inside the transaction that makes it, so that whatever
/// it queues (the notification outbox) is committed exactly when the change is.
public protocol EventNotifier: Sendable {
    func eventChanged(_ event: Event, action: String, step: EventStep, in tx: any SQLDatabase) async throws
}

/// For tools that change events without telling anyone (benchmarks).
public struct SilentNotifier: EventNotifier {
    public init() {}
    public func eventChanged(_ event: Event, action: String, step: EventStep, in tx: any SQLDatabase) async throws {}
}
