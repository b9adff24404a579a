import Hummingbird
import Logging

/// The one place errors become responses. Each dialect's errors already know their status and
/// body; anything else is logged with its cause and answered with the dialect's 500 body —
/// never an empty 500.
struct ErrorMappingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as VonageError {
            throw error
        } catch let error as VoximplantError {
            throw error
        } catch let error as HTTPError where error.status == .notFound && Self.isVonage(request.uri.path) {
            // Vonage answers unknown paths and products with an HTML 404.
            throw VonageError.notFound
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            context.logger.error("unexpected error", metadata: [
                "error": "\(String(reflecting: error))", "method": "\(request.method)", "path": "\(LoggedPath.redacted(request.uri.path, matched: context.endpointPath != nil))",
            ])
            if request.uri.path.hasPrefix("/platform_api") {
                throw VoximplantError.internalError()
            }
            if Self.isVonage(request.uri.path) {
                throw request.uri.path.hasPrefix("/v2/")
                    ? VonageError.problem(status: .internalServerError, type: "internal-error", title: "Internal Error", detail: "The request could not be completed")
                    : VonageError.unknownError
            }
            throw HTTPError(.internalServerError, message: "internal error: the request could not be completed")
        }
    }

    static func isVonage(_ path: String) -> Bool { path.hasPrefix("/account/") || path.hasPrefix("/v2/account/") }
}
