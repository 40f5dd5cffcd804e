/// Accounts with login state, sessions (only a keyed hash of each token is stored) and the audit
/// log, whose entries carry the territory they concern so that each administrator reads only theirs.
let m0003AccountsAndAudit = Migration(3, "accounts_and_audit") { engine in
    [
        """
        CREATE TABLE accounts (
            \(engine.idColumn),
            username TEXT NOT NULL UNIQUE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            scope_code TEXT REFERENCES grids(code),
            department_id BIGINT REFERENCES departments(id),
            password_hash TEXT NOT NULL,
            disabled BIGINT NOT NULL DEFAULT 0,
            failed_logins BIGINT NOT NULL DEFAULT 0,
            locked_until BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            account_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            created_at BIGINT NOT NULL,
            last_seen_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX sessions_account ON sessions (account_id)",
        """
        CREATE TABLE audit_log (
            \(engine.idColumn),
            at BIGINT NOT NULL,
            actor_id BIGINT,
            actor TEXT,
            action TEXT NOT NULL,
            target TEXT,
            detail TEXT,
            ip TEXT,
            scope_code TEXT
        )
        """,
        "CREATE INDEX audit_log_at ON audit_log (at)",
        "CREATE INDEX audit_log_scope ON audit_log (scope_code)",
    ]
}
