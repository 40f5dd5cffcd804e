import Logging
import ServiceLifecycle
import WanggeCore
import WanggeStorage

/// 督办: issues yellow and red cards to dispatched events that are not signed or not finished in
/// time. Each sweep recomputes what is due from the stored events, and a card is stored once per
/// (event, kind, colour), so a restart neither loses a card nor issues one twice.
public struct Supervisor: Service {
    let service: EventService
    let thresholds: SupervisionThresholds
    let interval: Duration
    let logger: Logger

    public init(service: EventService, thresholds: SupervisionThresholds = .standard, interval: Duration = .seconds(60),
                logger: Logger) {
        self.service = service
        self.thresholds = thresholds
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let issued = try await sweep()
                    if issued > 0 { logger.info("督办：发出\(issued)张督办牌") }
                } catch is CancellationError {
                    return
                } catch {
                    // A failed sweep (database restarting) is retried at the next tick.
                    logger.error("督办扫描失败：\(String(reflecting: error))")
                }
                // Cancelled at shutdown: leave quietly.
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    /// One pass over every event under supervision; returns the number of new cards.
    @discardableResult
    public func sweep() async throws -> Int {
        let now = service.now()
        let calendar = try await service.calendars.current()
        let repos = service.repos
        // Housekeeping that needs a clock: a phone's outbox never holds a request for a week.
        try await repos.idempotency.purge(before: now - 7 * 86_400)
        var issued = 0
        var after: Int64 = 0
        while true {
            let page = try await repos.events.underSupervision(limit: 500, afterID: after)
            guard let last = page.last?.id else { break }
            after = last
            for event in page {
                let due = Supervision.dueCards(status: event.status, dispatchedAt: event.dispatchedAt, signedAt: event.signedAt,
                                               handledAt: event.handledAt, deadline: event.deadline, now: now, calendar: calendar,
                                               thresholds: thresholds)
                guard !due.isEmpty, let id = event.id else { continue }
                issued += try await repos.database.transaction { tx in
                    var count = 0
                    for card in due where try await repos.events.issueCard(eventID: id, kind: card.kind.rawValue,
                                                                             color: card.color.rawValue, at: now, in: tx) {
                        let step = try await repos.events.appendStep(EventStep(
                            eventID: id, at: now, actorID: nil, actor: "系统", action: EventAction.supervise.rawValue,
                            fromStatus: event.status, toStatus: event.status, fromUnit: nil, toUnit: event.holder,
                            note: card.label), in: tx)
                        try await service.notifier.eventChanged(event, action: "card_\(card.kind.rawValue)_\(card.color.rawValue)",
                                                                step: step, in: tx)
                        count += 1
                    }
                    return count
                }
            }
        }
        return issued
    }
}
