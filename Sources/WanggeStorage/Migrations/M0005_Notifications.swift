/// The notification outbox and where each department wants to be told.
///
/// A notification row is written in the same transaction as the event change it reports, so a
/// change is never committed without its notifications, nor the reverse. The delivery worker
/// takes rows whose `next_attempt_at` has come (the `(status, next_attempt_at)` index), and the
/// row keeps every attempt's outcome for the administrators' view.
let m0005Notifications = Migration(5, "notifications") { engine in
    [
        """
        CREATE TABLE notifications (
            \(engine.idColumn),
            created_at BIGINT NOT NULL,
            event_id BIGINT REFERENCES events(id),
            kind TEXT NOT NULL,
            channel TEXT NOT NULL,
            recipient TEXT NOT NULL,
            target TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL,
            last_error TEXT,
            sent_at BIGINT
        )
        """,
        "CREATE INDEX notifications_due ON notifications (status, next_attempt_at)",
        // Re-targeting a department's undelivered rows when its endpoints change.
        "CREATE INDEX notifications_recipient ON notifications (recipient, channel, status)",
        "CREATE INDEX notifications_event ON notifications (event_id)",
        """
        CREATE TABLE department_endpoints (
            department_id BIGINT PRIMARY KEY REFERENCES departments(id),
            webhook_url TEXT,
            webhook_secret TEXT,
            sms_phone TEXT,
            updated_at BIGINT NOT NULL
        )
        """,
    ]
}
