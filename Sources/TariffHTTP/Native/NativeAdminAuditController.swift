import Hummingbird
import TariffCore
import TariffStore

/// `GET /v1/admin/audit?after=&limit=&action=&target=`: what operators did, oldest first, a
/// page at a time (`next_after` names the next page).
struct NativeAdminAuditController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("admin/audit") { request, _ in try await list(request) }
    }

    struct Page: Encodable {
        let events: [AuditEventRecord]
        let nextAfter: Int64?

        enum CodingKeys: String, CodingKey { case events, nextAfter }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(events, forKey: .events)
            try container.encode(nextAfter, forKey: .nextAfter)
        }
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let query = request.uri.queryParameters
        var after: Int64 = 0
        if let text = query.get("after") {
            guard let value = Int64(text), value >= 0 else { throw NativeError.badRequest("after: an event id, 0 or more") }
            after = value
        }
        var limit = 100
        if let text = query.get("limit") {
            guard let value = Int(text), (1...1000).contains(value) else { throw NativeError.badRequest("limit: 1 to 1000") }
            limit = value
        }
        let action = query.get("action")
        let target = query.get("target")
        for (name, value) in [("action", action), ("target", target)] where (value?.utf8.count ?? 0) > 200 {
            throw NativeError.badRequest("\(name): at most 200 bytes")
        }
        let events = try await state.store.audit.events(after: after, limit: limit, action: action, target: target)
        // A full page may have a next one; a short page is the last.
        let next = events.count == limit ? events.last?.id : nil
        return try NativeEncoding.json(Page(events: events.map(AuditEventRecord.init), nextAfter: next))
    }
}
