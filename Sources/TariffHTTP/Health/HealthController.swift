import Hummingbird
import NIOCore
import TariffCore

/// `GET /health`: up, and which deck version it serves.
struct HealthController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to router: Router<Context>) {
        router.get("health") { _, _ in
            let book = state.book
            let body = "{\"status\":\"ok\",\"deck\":\"\(book.deck)\",\"deck_version\":\(book.version),\"rates\":\(book.count)}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
    }
}
