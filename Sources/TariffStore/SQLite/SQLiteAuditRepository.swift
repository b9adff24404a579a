import SQLiteNIO
import TariffCore

struct SQLiteAuditRepository: AuditRepository {
    let engine: SQLiteEngine

    func record(_ event: AuditEvent) async throws -> AuditEvent {
        try await engine.transaction { connection in
            _ = try await connection.query(
                "INSERT INTO audit_events (at, actor, actor_name, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    .int(event.at.secondsSince1970), .text(event.actor.id), .text(event.actor.name), .text(event.action),
                    .text(event.target), .text(event.detail),
                ]
            )
            return event.stored(as: Int64(try await connection.lastAutoincrementID()))
        }
    }

    func events(after: Int64, limit: Int, action: String?, target: String?) async throws -> [AuditEvent] {
        let query = AccountRows.auditFilter(after: after, limit: limit, action: action, target: target)
        return try await engine.select(query.sql, query.binds.map(\.sqlite), decode: AccountRows.auditEvent)
    }
}
