import Hummingbird

extension ErrorMappingMiddleware {
    /// Vonage v1 answers a failure with its JSON `unknown error` and a missing page with an
    /// HTML 404.
    static var vonageV1: Self {
        Self(internalError: { VonageError.unknownError }, notFound: { VonageError.notFound })
    }

    /// Vonage v2 answers a failure with an RFC 7807 problem document, a missing page as v1 does.
    static var vonageV2: Self {
        Self(
            internalError: {
                VonageError.problem(
                    status: .internalServerError,
                    type: "internal-error",
                    title: "Internal Error",
                    detail: "The request could not be completed"
                )
            },
            notFound: { VonageError.notFound },
            unavailable: {
                VonageError.problem(
                    status: .serviceUnavailable,
                    type: "service-unavailable",
                    title: "Service Unavailable",
                    detail: "The request could not be completed now; retry it"
                )
            }
        )
    }
}

extension RouterGroup {
    /// Vonage answers a path it does not serve, and a method other than GET on a path it
    /// does, with its HTML 404: every other method on `paths`, and every method on every
    /// other path below this group, is routed to that answer (so that it passes through the
    /// group's middleware, which Hummingbird's own 404 does not).
    func answerVonageNotFound(besides paths: [RouterPath]) {
        let others: [HTTPRequest.Method] = [.head, .post, .put, .delete, .patch, .options, .trace, .connect]
        for path in paths {
            for method in others {
                on(path, method: method) { _, _ -> Response in throw VonageError.notFound }
            }
        }
        for method in others + [.get] {
            on("**", method: method) { _, _ -> Response in throw VonageError.notFound }
        }
    }
}
