import HTTPTypes
import Hummingbird
import Logging

/// One structured line per request: method, path, status and duration; and the same request
/// counted in the metrics (by route template, never by path). The query string is left out
/// on purpose: Vonage clients put `api_secret` there, and secrets never go to logs; for the
/// same reason the path is redacted (`LoggedPath`).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            log(request, context: context, status: Int(response.status.code), started: started)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context: context, status: Int(error.status.code), started: started)
            throw error
        } catch {
            log(request, context: context, status: 500, started: started)
            throw error
        }
    }

    private func log(_ request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        // Hummingbird names the route of an unmatched request "NotFound"; templates start with "/".
        let route = context.endpointPath.flatMap { $0.hasPrefix("/") ? $0 : nil }
        // A 404 of a matched route (an unknown id) still hides its path: it may be a guess at a key.
        Self.log(
            context.logger,
            metrics,
            method: request.method,
            path: request.uri.path,
            route: route,
            showPath: context.endpointPath != nil && status != 404,
            status: status,
            started: started
        )
    }

    /// The line and the count, for the router and for the fast path alike. `path` is without
    /// the query; `route` is the matched route's template (nil: none matched).
    static func log(
        _ logger: Logger,
        _ metrics: ServerMetrics,
        method: HTTPRequest.Method,
        path: String,
        route: String?,
        showPath: Bool,
        responder: Responder = .router,
        status: Int,
        started: ContinuousClock.Instant
    ) {
        let elapsed = ContinuousClock.now - started
        metrics.request(RequestLabels(route: route, path: path, method: method.rawValue, status: status, responder: responder), duration: elapsed)
        logger.info(
            "request",
            metadata: [
                "method": "\(method)", "path": "\(LoggedPath.redacted(path, matched: showPath))", "status": "\(status)",
                "duration_us": "\(Self.microseconds(elapsed))",
            ]
        )
    }

    private static func microseconds(_ elapsed: Duration) -> Int64 {
        let components = elapsed.components
        return components.seconds * 1_000_000 + components.attoseconds / 1_000_000_000_000
    }
}
