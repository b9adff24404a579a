import Hummingbird

extension ErrorMappingMiddleware {
    /// Twilio answers every failure, a missing page included, with its JSON error body.
    static var twilio: Self {
        Self(internalError: { TwilioError.internalError() }, notFound: nil, unavailable: { TwilioError.unavailable })
    }
}

extension RouterGroup {
    /// Every method on every path below this group that no route serves, and methods other
    /// than GET on `paths`, answer Twilio's 404 through the group's middleware (Hummingbird's
    /// own 404 would bypass it).
    func answerTwilioNotFound(besides paths: [RouterPath]) {
        let others: [HTTPRequest.Method] = [.head, .post, .put, .delete, .patch, .options]
        for path in paths {
            for method in others {
                on(path, method: method) { request, _ -> Response in throw TwilioError.notFound(request.uri.path) }
            }
        }
        for method in others + [.get] {
            on("**", method: method) { request, _ -> Response in throw TwilioError.notFound(request.uri.path) }
        }
    }
}
