public import TariffCore

/// The operators' audit log: appended to after each operator action, never changed.
public protocol AuditRepository: Sendable {
    /// Appends an event; returns it with its id.
    @discardableResult
    func record(_ event: AuditEvent) async throws -> AuditEvent
    /// Events with an id above `after`, oldest first, at most `limit` of them; only those with
    /// exactly this `action` and `target` when given.
    func events(after: Int64, limit: Int, action: String?, target: String?) async throws -> [AuditEvent]
}
