/// Open311 GeoReport v2: the keys issued to client applications, and what a request brought
/// beyond the event itself.
///
/// Only a SHA-256 of each key is kept (with its first characters as a hint for the list), so a
/// leaked database does not leak working keys. The contact fields of a request (email, device,
/// client account, names) stay in their own table: they are for the command center's follow-up
/// and never appear in the public answers.
let m0006Open311 = Migration(6, "open311") { engine in
    [
        """
        CREATE TABLE open311_keys (
            \(engine.idColumn),
            name TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            key_hint TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            created_by BIGINT REFERENCES accounts(id),
            revoked_at BIGINT
        )
        """,
        """
        CREATE TABLE open311_requests (
            event_id BIGINT PRIMARY KEY REFERENCES events(id),
            key_id BIGINT NOT NULL REFERENCES open311_keys(id),
            email TEXT,
            device_id TEXT,
            account_id TEXT,
            first_name TEXT,
            last_name TEXT,
            media_url TEXT,
            attributes TEXT NOT NULL DEFAULT '{}'
        )
        """,
        "CREATE INDEX open311_requests_key ON open311_requests (key_id)",
    ]
}
