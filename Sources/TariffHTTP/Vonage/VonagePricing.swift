import Foundation
import Hummingbird
import Logging
import NIOCore
import TariffCore
import XMLCoder

/// What the Vonage routes share: authentication, rate limits, and catalogs with their
/// rendered bodies, kept per deck version, rate set, currency and product.
final class VonagePricing: Sendable {
    let state: LiveState
    let ranges: RangeDirectory
    private let limiter: RateLimiter
    private let catalogs = SnapshotCache<CatalogKey, RenderedCatalog<VonageCatalog>>()

    struct CatalogKey: Hashable {
        let currency: CurrencyCode
        let product: Product
        /// The account's price plan; nil for the deck's prices.
        let plan: String?
    }

    init(state: LiveState, rateLimits: RateLimits) {
        self.state = state
        ranges = RangeDirectory(reference: state.reference)
        limiter = RateLimiter(rateLimits, now: state.steady)
    }

    /// The account behind the credentials, within its rate limit; throws Vonage's 401 or 429.
    func authorize(_ credentials: VonageCredentials?, balance: Bool = false, group: RateLimits.Group) async throws -> Account {
        let account = try await authenticate(credentials, balance: balance)
        // Authenticated: the credentials are there.
        if let credentials, let wait = admit(credentials, group: group) { throw VonageError.tooManyRequests(retryAfter: wait) }
        return account
    }

    /// The account behind the credentials (read from the store when not cached); throws Vonage's 401.
    func authenticate(_ credentials: VonageCredentials?, balance: Bool = false) async throws -> Account {
        guard let credentials, let account = try await state.accounts.authenticate(apiKey: credentials.apiKey, secret: credentials.secret) else {
            throw VonageError.authenticationFailed(balance: balance)
        }
        return account
    }

    /// Spends one of the key's tokens: nil when the request may go ahead, else the seconds to wait.
    func admit(_ credentials: VonageCredentials, group: RateLimits.Group) -> Int? {
        limiter.admit(key: credentials.apiKey, group: group)
    }

    /// The catalog of `product` as `account` sees it (its currency and plan) for the deck version, plans and rates in force, if it
    /// is built already (the fast path never builds one on an event loop).
    func cachedCatalog(_ product: Product, for account: Account) -> RenderedCatalog<VonageCatalog>? {
        let plans = state.plans
        let book = plans.book(state.book, for: account.id)
        let key = CatalogKey(currency: account.currency, product: product, plan: book.plan?.name)
        return catalogs.cachedValue(key, of: state.exchange.snapshot(of: book, plans: plans.cacheStamp), now: state.now())
    }

    /// The catalog of `product` as `account` sees it (its currency and plan) for the deck version, plans and rates in force.
    func catalog(_ product: Product, for account: Account) throws -> RenderedCatalog<VonageCatalog> {
        let plans = state.plans
        let book = plans.book(state.book, for: account.id)
        let exchange = state.exchange
        let now = state.now()
        let currency = account.currency
        let key = CatalogKey(currency: currency, product: product, plan: book.plan?.name)
        return try catalogs.value(key, of: exchange.snapshot(of: book, plans: plans.cacheStamp), now: now) {
            let catalog: VonageCatalog
            do {
                catalog = try VonageCatalog(book: book, ranges: ranges, product: product, currency: currency, exchangeRates: exchange.table, at: now)
            } catch {
                state.logger.error("cannot convert prices", metadata: ["currency": "\(currency)", "error": "\(error)"])
                throw VonageError.unknownError
            }
            // A scheduled price change ends the catalog's life (exchange rates dated later are
            // published by the live state, which changes the stamp).
            return (RenderedCatalog(catalog), book.nextScheduledChange(after: now, product: product))
        }
    }
}

/// JSON and XML encoders for Vonage bodies.
enum VonageEncoding {
    static func json(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    static func xml(_ value: some Encodable, root: String) throws -> ByteBuffer {
        let encoder = XMLEncoder()
        encoder.outputFormatting = []
        let header = XMLHeader(version: 1.0, encoding: "UTF-8", standalone: "yes")
        return ByteBuffer(bytes: try encoder.encode(value, withRootKey: root, header: header))
    }

    static func response(_ body: ByteBuffer, xml: Bool) -> Response { rendered(body, xml: xml).response }

    static func rendered(_ body: ByteBuffer, xml: Bool) -> RenderedResponse {
        VonageFormat.bytes(body, contentType: xml ? "application/xml" : "application/json")
    }
}
