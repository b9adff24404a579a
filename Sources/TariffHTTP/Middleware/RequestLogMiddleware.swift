import HTTPTypes
import Hummingbird
import Logging

/// One structured line per request: method, path, status and duration. The query string is
/// left out on purpose: Vonage clients put `api_secret` there, and secrets never go to logs;
/// for the same reason the path is redacted (`LoggedPath`).
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
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
        Self.log(
            context.logger,
            method: request.method,
            path: request.uri.path,
            matched: context.endpointPath != nil && status != 404,
            status: status,
            started: started
        )
    }

    /// The line, for the router and for the fast path alike. `path` is without the query.
    static func log(_ logger: Logger, method: HTTPRequest.Method, path: String, matched: Bool, status: Int, started: ContinuousClock.Instant) {
        logger.info(
            "request",
            metadata: [
                "method": "\(method)", "path": "\(LoggedPath.redacted(path, matched: matched))", "status": "\(status)",
                "duration_us": "\(Self.microseconds(since: started))",
            ]
        )
    }

    private static func microseconds(since started: ContinuousClock.Instant) -> Int64 {
        let elapsed = (ContinuousClock.now - started).components
        return elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
    }
}
