import Hummingbird

extension ErrorMappingMiddleware {
    /// The native API answers a failure with a problem document, as every other native error.
    static var native: Self {
        Self(
            internalError: {
                NativeError(status: .internalServerError, title: "Internal error", detail: "The request could not be completed")
            },
            notFound: nil,
            unavailable: {
                NativeError(
                    status: .serviceUnavailable,
                    title: "Service unavailable",
                    detail: "The database cannot be reached now; retry the request"
                )
            }
        )
    }
}
