import Hummingbird

extension ErrorMappingMiddleware {
    /// Voximplant answers a failure with its JSON error, code 2 (`Internal error`), status 200
    /// as every platform error is.
    static var voximplant: Self {
        Self(internalError: { VoximplantError.internalError() }, notFound: nil)
    }
}
