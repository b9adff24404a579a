import Hummingbird
import TariffCore
import TariffStore

/// The native API's authentication: an account's API key and secret in a Basic header; on the
/// operator's routes, an operator token as a Bearer token. Neither is taken in the other's place.
enum NativeAuth {
    static func account(_ request: Request, state: LiveState) async throws -> Account {
        guard let credentials = BasicCredentials(request) else { throw NativeError.unauthorized() }
        guard let account = try await state.accounts.authenticate(apiKey: credentials.user, secret: credentials.password) else {
            throw NativeError.credentialsRefused()
        }
        return account
    }

    /// The operator behind the request, or the reason there is none.
    static func `operator`(_ request: Request, state: LiveState) async throws -> OperatorToken {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw NativeError(
                status: .unauthorized,
                title: "Unauthorized",
                detail: "an operator token is required: Authorization: Bearer tariff_op_..."
            )
        }
        guard let token = try await state.store.operatorTokens.verify(String(header.dropFirst("bearer ".count))) else {
            throw NativeError(status: .unauthorized, title: "Unauthorized", detail: "the operator token was refused")
        }
        return token
    }
}
