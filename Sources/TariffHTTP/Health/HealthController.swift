import Hummingbird
import NIOCore
import TariffCore

/// `GET /health`: up, and which deck version it serves. `GET /ready`: 200 when the node can
/// serve (see ``Readiness``), 503 with the reasons otherwise.
struct HealthController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to router: Router<Context>) {
        router.get("health") { _, _ in
            let book = state.book
            let body = "{\"status\":\"ok\",\"deck\":\(JSONText.quoted(book.deck)),\"deck_version\":\(book.version),\"rates\":\(book.count)}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("ready") { _, _ in
            let readiness = await Readiness.check(state)
            let book = state.book
            var body = "{\"status\":\"\(readiness.ready ? "ready" : "not ready")\",\"deck_version\":\(book.version)"
            if let version = readiness.schemaVersion { body += ",\"schema_version\":\(version)" }
            body += ",\"problems\":[" + readiness.problems.map { JSONText.quoted($0) }.joined(separator: ",") + "]}"
            return Response(
                status: readiness.ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body))
            )
        }
    }
}
