import Hummingbird
import NIOCore
import TariffStore

/// `GET /metrics`: the Prometheus text format (version 0.0.4).
struct MetricsController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to router: Router<Context>) {
        router.get("metrics") { _, _ in
            let text = state.metrics.exposition(now: state.now(), store: state.store.connectionUse.reading)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text))
            )
        }
    }
}
