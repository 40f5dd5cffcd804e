import Logging
import ServiceLifecycle
import WanggeCore
import WanggeStorage

/// When to try a failed notification again, and when to give up.
public struct RetryPolicy: Sendable {
    /// Seconds to wait after the 1st, 2nd, … failed attempt; the last one repeats.
    public let delays: [Int64]
    /// After this many failed attempts the notification is `dead`.
    public let maxAttempts: Int

    /// 30 s, 2 min, 8 min, 30 min, then every 2 h; dead after 8 attempts (about 6½ hours).
    public static let standard = RetryPolicy(delays: [30, 120, 480, 1800, 7200], maxAttempts: 8)

    public init(delays: [Int64], maxAttempts: Int) {
        precondition(!delays.isEmpty && delays.allSatisfy { $0 > 0 } && maxAttempts >= 1, "invalid retry policy")
        self.delays = delays
        self.maxAttempts = maxAttempts
    }

    /// The time of the next attempt after `failures` failed ones (counting the one that just
    /// failed), or nil when it is time to give up.
    public func nextAttempt(afterFailures failures: Int, at now: Int64) -> Int64? {
        guard failures < maxAttempts else { return nil }
        return now + delays[min(max(failures, 1), delays.count) - 1]
    }
}

/// Delivers the outbox: every few seconds it takes the due notifications, sends them, and marks
/// each sent, or failed with back-off, or dead after the last attempt, keeping the error text.
///
/// Delivery is at least once: a notification is claimed for `lease` seconds before it is sent,
/// so two workers (two server processes) do not send it together, and one whose worker died
/// mid-send is sent again after the lease. Receivers deduplicate on `X-Wangge-Delivery`.
public struct DeliveryWorker: Service {
    let database: WanggeDatabase
    let notifications: any NotificationRepository
    let webhooks: any WebhookSender
    let sms: any SMSGateway
    let policy: RetryPolicy
    let interval: Duration
    let batchSize: Int
    let concurrency: Int
    /// Longer than a delivery's time-out (10 s), so a claim does not run out while it is being sent.
    let lease: Int64 = 120
    let logger: Logger
    let now: @Sendable () -> Int64

    /// - Parameters:
    ///   - interval: the pause between two passes over the outbox.
    ///   - concurrency: deliveries in flight at once, so one slow receiver does not hold up the others.
    public init(database: WanggeDatabase, webhooks: any WebhookSender = HTTPWebhookSender(), sms: any SMSGateway,
                policy: RetryPolicy = .standard, interval: Duration = .seconds(5), batchSize: Int = 100, concurrency: Int = 8,
                logger: Logger, now: @escaping @Sendable () -> Int64 = Clock.nowSeconds) {
        self.database = database
        self.notifications = SQLNotificationRepository(database)
        self.webhooks = webhooks
        self.sms = sms
        self.policy = policy
        self.interval = interval
        self.batchSize = max(1, batchSize)
        self.concurrency = max(1, concurrency)
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let done = try await deliverDue(now: now())
                    if done.sent + done.failed > 0 { logger.info("通知投递：成功\(done.sent)条，失败\(done.failed)条") }
                } catch is CancellationError {
                    return
                } catch {
                    // The database may be restarting: the rows stay due and are taken at the next tick.
                    logger.error("通知投递失败：\(String(reflecting: error))")
                }
                // Cancelled while pausing means shutting down: end quietly rather than fail the service group.
                do { try await Task.sleep(for: interval) } catch { return }
            }
        }
    }

    /// One pass: sends every notification due at `now` (claimed by nobody else) and records the
    /// outcomes. Tests call it with a clock of their own instead of waiting for the service.
    @discardableResult
    public func deliverDue(now: Int64) async throws -> (sent: Int, failed: Int) {
        var sent = 0, failed = 0
        var seen = Set<Int64>()
        while true {
            // A claimed or failed row moves past `now`, so it is not due again in this pass; `seen`
            // guards against another worker whose clock is behind ours handing it back.
            let batch = try await notifications.due(now: now, limit: batchSize).filter { $0.id.map { seen.insert($0).inserted } ?? false }
            if batch.isEmpty { break }
            let outcomes = try await withThrowingTaskGroup(of: Bool?.self) { group in
                var pending = batch.makeIterator()
                for _ in 0..<concurrency {
                    guard let next = pending.next() else { break }
                    group.addTask { try await deliver(next, now: now) }
                }
                var outcomes: [Bool?] = []
                while let outcome = try await group.next() {
                    outcomes.append(outcome)
                    if let next = pending.next() { group.addTask { try await deliver(next, now: now) } }
                }
                return outcomes
            }
            sent += outcomes.filter { $0 == true }.count
            failed += outcomes.filter { $0 == false }.count
        }
        return (sent, failed)
    }

    /// Sends one notification: true when sent, false when it failed, nil when another worker has it.
    func deliver(_ notification: OutboxNotification, now: Int64) async throws -> Bool? {
        guard let id = notification.id else { return nil }
        let claimed = try await database.transaction { tx in
            try await notifications.claim(notification, until: now + lease, in: tx)
        }
        guard claimed else { return nil }
        do {
            try await send(notification)
        } catch {
            // Shutting down is not the receiver's fault: the claim runs out and it is sent after the restart.
            if Task.isCancelled { throw CancellationError() }
            let failures = notification.attempts + 1
            let next = policy.nextAttempt(afterFailures: failures, at: now)
            let text = (error as? DeliveryError)?.description ?? String(describing: error)
            try await database.transaction { tx in
                try await notifications.markFailed(id: id, error: text, nextAttemptAt: next, in: tx)
            }
            if next == nil {
                logger.error("通知\(id)(\(notification.kind)→\(notification.recipient))第\(failures)次投递失败，已放弃：\(text)")
            } else {
                logger.warning("通知\(id)(\(notification.kind)→\(notification.recipient))第\(failures)次投递失败：\(text)")
            }
            return false
        }
        try await database.transaction { tx in try await notifications.markSent(id: id, at: now, in: tx) }
        return true
    }

    private func send(_ n: OutboxNotification) async throws {
        switch n.channel {
        case .sms:
            try await sms.send(to: n.target, text: n.payload)
        case .webhook:
            // The secret is read at delivery, so a key changed after queueing signs the retries.
            guard n.recipient.hasPrefix("department:"), let departmentID = Int64(n.recipient.dropFirst("department:".count)) else {
                throw DeliveryError("收件单位\(n.recipient)没有推送配置")
            }
            guard let secret = try await notifications.endpoints(departmentID: departmentID)?.webhookSecret else {
                throw DeliveryError("部门\(departmentID)的推送配置已删除")
            }
            try await webhooks.send(url: n.target, body: n.payload, kind: n.kind, deliveryID: n.id ?? 0, secret: secret)
        }
    }
}
