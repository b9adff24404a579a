/// The operators' audit log, append-only like the ledger, and the closing of accounts.
struct AuditAndClosing012: SQLiteMigration {
    let version = 12
    let name = "audit log and closed accounts"
    let statements = [
        """
        CREATE TABLE audit_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, actor_name TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL)
        """,
        "CREATE INDEX audit_events_by_target ON audit_events (target, id)",
        """
        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are never updated'); END
        """,
        """
        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit events are never deleted'); END
        """,
        "ALTER TABLE accounts ADD COLUMN closed_at INTEGER",
    ]
}
