/// Idempotency keys (a phone retrying after a lost answer, a double tap) and the SMS codes that
/// verify a citizen's phone number.
let m0007Mobile = Migration(7, "idempotency_and_phone_codes") { _ in
    [
        """
        CREATE TABLE idempotency_keys (
            scope TEXT NOT NULL,
            idem_key TEXT NOT NULL,
            fingerprint TEXT NOT NULL,
            resource TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            PRIMARY KEY (scope, idem_key)
        )
        """,
        "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)",
        """
        CREATE TABLE phone_codes (
            phone TEXT PRIMARY KEY,
            code_hash TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            attempts BIGINT NOT NULL,
            sent_at BIGINT NOT NULL,
            window_start BIGINT NOT NULL,
            window_count BIGINT NOT NULL
        )
        """,
    ]
}
