public import TariffCore

/// Opening an account, as the command line and the operator's route both do it: the checks,
/// then one insert. The secret is returned once and stored only as a salted hash.
public enum AccountOpening {
    public struct Request: Sendable {
        public var name: String
        public var currency: String
        public var email: String?
        public var apiKey: String?
        public var apiSecret: String?

        public init(name: String, currency: String, email: String? = nil, apiKey: String? = nil, apiSecret: String? = nil) {
            self.name = name
            self.currency = currency
            self.email = email
            self.apiKey = apiKey
            self.apiSecret = apiSecret
        }
    }

    public struct Issued: Sendable, Encodable {
        public let accountId: Int64
        public let apiKey: String
        public let apiSecret: String

        public init(accountId: Int64, apiKey: String, apiSecret: String) {
            self.accountId = accountId
            self.apiKey = apiKey
            self.apiSecret = apiSecret
        }
    }

    /// Why an account was not opened; `field` names what was wrong (`currency`, `email`...).
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let field: String
        public let reason: String
        /// Something else already holds it (a 409 rather than a 400).
        public let isConflict: Bool
        public var description: String { "\(field): \(reason)" }
    }

    public static func open(_ request: Request, store: any TariffStore, now: Instant) async throws -> Issued {
        let name = request.name
        guard (1...200).contains(name.count), !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Refusal(field: "name", reason: "1 to 200 characters, no control characters", isConflict: false)
        }
        let reference = try await store.reference.tables()
        guard let code = CurrencyCode(request.currency), reference.currencies.contains(where: { $0.code == code }) else {
            throw Refusal(field: "currency", reason: "'\(request.currency)' is not an ISO 4217 currency", isConflict: false)
        }
        if let apiKey = request.apiKey, try await store.accounts.credential(apiKey: apiKey) != nil {
            throw Refusal(field: "api_key", reason: "'\(apiKey)' is already in use", isConflict: true)
        }
        if let email = request.email {
            guard email.contains("@"), email.count <= 254, !email.contains(where: \.isWhitespace) else {
                throw Refusal(field: "email", reason: "'\(email)' is not an e-mail address", isConflict: false)
            }
            if let holder = try await store.accounts.account(email: email) {
                throw Refusal(field: "email", reason: "'\(email)' already belongs to account \(holder.id)", isConflict: true)
            }
        }
        let (credential, secret) = Credentials.make(apiKey: request.apiKey, secret: request.apiSecret)
        let account = try await store.accounts.create(
            name: name,
            email: request.email,
            currency: code,
            deck: "base",
            credential: credential,
            now: now
        )
        return Issued(accountId: account.id, apiKey: credential.apiKey, apiSecret: secret)
    }
}
