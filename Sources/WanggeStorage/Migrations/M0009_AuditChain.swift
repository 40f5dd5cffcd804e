/// Makes the audit log tamper-evident: each entry carries the hash of the one before it
/// (`AuditChain`). Entries written before this migration are chained here, in id order, so that
/// the whole log verifies. The unique index on `prev_hash` makes a fork (two entries claiming
/// the same predecessor) impossible even if the append lock were bypassed.
let m0009AuditChain = Migration(9, "audit_chain", statements: { _ in
    [
        "ALTER TABLE audit_log ADD COLUMN prev_hash TEXT",
        "ALTER TABLE audit_log ADD COLUMN hash TEXT",
        "CREATE UNIQUE INDEX audit_log_prev_hash ON audit_log (prev_hash)",
    ]
}, then: { sql, _ in
    try await AuditChain.chainUnsealed(sql)
})
