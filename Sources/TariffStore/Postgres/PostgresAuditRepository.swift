import TariffCore

struct PostgresAuditRepository: AuditRepository {
    let engine: PostgresEngine

    func record(_ event: AuditEvent) async throws -> AuditEvent {
        let ids = try await engine.select(
            "INSERT INTO audit_events (at, actor, actor_name, action, target, detail) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [
                .int(event.at.secondsSince1970), .text(event.actor.id), .text(event.actor.name), .text(event.action), .text(event.target),
                .text(event.detail),
            ]
        ) { try $0.int("id") }
        guard let id = ids.first else { throw StoreError.corrupt("an audit event was stored without an id") }
        return event.stored(as: id)
    }

    func events(after: Int64, limit: Int, action: String?, target: String?) async throws -> [AuditEvent] {
        let query = AccountRows.auditFilter(after: after, limit: limit, action: action, target: target)
        return try await engine.select(query.sql, query.binds, decode: AccountRows.auditEvent)
    }
}
