import Hummingbird
import TariffCore

/// The native API's authentication: an account's API key and secret in a Basic header.
enum NativeAuth {
    static func account(_ request: Request, state: LiveState) async throws -> Account {
        guard let credentials = BasicCredentials(request) else { throw NativeError.unauthorized() }
        guard let account = try await state.accounts.authenticate(apiKey: credentials.user, secret: credentials.password) else {
            throw NativeError.credentialsRefused()
        }
        return account
    }
}
