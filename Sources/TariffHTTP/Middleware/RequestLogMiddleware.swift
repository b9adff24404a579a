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
        let elapsed = (ContinuousClock.now - started).components
        let microseconds = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
        context.logger.info("request", metadata: [
            "method": "\(request.method)", "path": "\(LoggedPath.redacted(request.uri.path, matched: context.endpointPath != nil && status != 404))", "status": "\(status)", "duration_us": "\(microseconds)",
        ])
    }
}
