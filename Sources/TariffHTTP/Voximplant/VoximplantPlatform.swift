import Hummingbird
import Logging
import TariffCore

/// What the platform API's methods share: authentication (service-account tokens, or the
/// older account + api_key parameters) and the resource catalogs, kept per deck version,
/// rate set and currency.
final class VoximplantPlatform: Sendable {
    let state: LiveState
    let ranges: RangeDirectory
    let authenticator: VoximplantAuthenticator
    /// Where clients reach this server (`api_address`).
    let address: PublicAddress
    /// Resource catalogs by currency and price plan.
    private let catalogs = SnapshotCache<CatalogKey, ResourceCatalog>()

    struct CatalogKey: Hashable {
        let currency: CurrencyCode
        /// The account's price plan; nil for the deck's prices.
        let plan: String?
    }

    init(state: LiveState, ranges: RangeDirectory, address: PublicAddress) {
        self.state = state
        self.ranges = ranges
        self.address = address
        authenticator = VoximplantAuthenticator(store: state.store, epoch: state.cacheEpoch, now: state.steady)
    }

    /// The account a call is made for: a bearer token if there is one, else the legacy parameters.
    func authenticate(_ request: Request, parameters: PlatformParameters) async throws -> Account {
        do {
            if let authorization = request.headers[.authorization] {
                let parts = authorization.split(separator: " ", maxSplits: 1)
                guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                    throw VoximplantError.authorizationFailed("send 'Authorization: Bearer <JWT>' signed with a service-account key")
                }
                return try await authenticator.account(bearerToken: String(parts[1]), now: state.now())
            }
            guard let apiKey = parameters.string("api_key") else {
                throw VoximplantError.authorizationFailed("no credentials: a bearer token, or account_id and api_key")
            }
            let id = try parameters.int("account_id", in: 0...Int(Int64.max)).map(Int64.init)
            let name = parameters.string("account_name")
            let email = parameters.string("account_email")
            guard id != nil || name != nil || email != nil else {
                throw VoximplantError.authorizationFailed("api_key needs account_id, account_name or account_email")
            }
            return try await authenticator.account(accountID: id, accountName: name, accountEmail: email, apiKey: apiKey)
        } catch let error as VoximplantAuthError {
            // The reason stays in the log: telling the caller would say which accounts and keys exist.
            state.logger.info("platform API authorization failed", metadata: ["reason": "\(error)"])
            throw VoximplantError.authorizationFailed()
        }
    }

    /// Usage prices as `account` sees them (its currency and plan) for the deck version, plans
    /// and exchange rates in force.
    func resourceCatalog(for account: Account) throws -> ResourceCatalog {
        let plans = state.plans
        let book = plans.book(state.book, for: account.id)
        let exchange = state.exchange
        let now = state.now()
        let currency = account.currency
        return try catalogs.value(
            CatalogKey(currency: currency, plan: book.plan?.name),
            of: exchange.snapshot(of: book, plans: plans.cacheStamp),
            now: now
        ) {
            let catalog = try converting(currency) { () throws(ConversionError) in
                try ResourceCatalog(book: book, ranges: ranges, currency: currency, exchangeRates: exchange.table, at: now)
            }
            // A scheduled price change ends the catalog's life, as for Vonage's catalogs.
            return (catalog, book.nextScheduledChange(after: now))
        }
    }

    /// Subscription prices as `account` sees them, now (a few hundred rows: built per call).
    func numberCatalog(for account: Account) throws -> NumberCatalog {
        let book = state.book(for: account)
        let currency = account.currency
        let table = state.exchangeRates
        return try converting(currency) { () throws(ConversionError) in
            try NumberCatalog(book: book, currency: currency, exchangeRates: table, at: state.now())
        }
    }

    /// Runs `build`, turning a missing exchange rate into an error the caller can read.
    private func converting<T>(_ currency: CurrencyCode, _ build: () throws(ConversionError) -> T) throws -> T {
        do {
            return try build()
        } catch {
            state.logger.error("cannot convert prices", metadata: ["currency": "\(currency)", "error": "\(error)"])
            throw VoximplantError(code: 2, message: "Internal error: prices cannot be converted into \(currency): \(error)")
        }
    }
}
