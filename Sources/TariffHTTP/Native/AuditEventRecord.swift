public import TariffCore

/// An audit event as `tariff audit --json` and `GET /v1/admin/audit` show it.
public struct AuditEventRecord: Encodable, Sendable {
    let id: Int64
    let at: String
    let actor: String
    let actorName: String
    let action: String
    let target: String
    let detail: String

    public init(_ event: AuditEvent) {
        id = event.id ?? 0
        at = event.at.iso8601
        actor = event.actor.id
        actorName = event.actor.name
        action = event.action
        target = event.target
        detail = event.detail
    }
}
