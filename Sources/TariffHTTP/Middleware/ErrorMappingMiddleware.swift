import Hummingbird
import Logging
import TariffStore

/// The one place errors become responses. Each dialect installs it on its own route group with
/// its own answers (`ErrorMappingMiddleware+Vonage`, `+Voximplant`); the router installs the
/// plain one around everything. A dialect's errors already know their status and body; any
/// other error is logged with its cause and answered with the dialect's 500 body, never an
/// empty 500.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// What the dialect answers when something failed that no error of its own describes.
    let internalError: @Sendable () -> any HTTPResponseError
    /// What the dialect answers in place of Hummingbird's own 404 (nil: that 404 as it is).
    let notFound: (@Sendable () -> any HTTPResponseError)?
    /// What the dialect answers while the database cannot be reached (nil: its 500 body).
    var unavailable: (@Sendable () -> any HTTPResponseError)? = nil
    /// Counts the store's failures (nil: not counted).
    var metrics: ServerMetrics? = nil

    /// The same answers, with the store's failures counted in `metrics`.
    func counting(into metrics: ServerMetrics) -> Self {
        var counted = self
        counted.metrics = metrics
        return counted
    }

    /// Tariff's own answers: `internal error` as text, Hummingbird's 404.
    static var plain: Self {
        Self(internalError: { HTTPError(.internalServerError, message: "internal error: the request could not be completed") }, notFound: nil)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && notFound != nil {
            throw notFound?() ?? error
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as StoreError where error.isUnavailable {
            metrics?.storeError(error)
            // Expected while PostgreSQL restarts: the client retries; no stack of errors in the log.
            context.logger.warning("database unavailable", metadata: ["error": "\(error)", "method": "\(request.method)"])
            throw (unavailable ?? internalError)()
        } catch {
            if let error = error as? StoreError { metrics?.storeError(error) }
            context.logger.error(
                "unexpected error",
                metadata: [
                    "error": "\(String(reflecting: error))", "method": "\(request.method)",
                    "path": "\(LoggedPath.redacted(request.uri.path, matched: context.endpointPath != nil))",
                ]
            )
            throw internalError()
        }
    }
}
