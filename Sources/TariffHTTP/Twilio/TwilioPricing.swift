import Foundation
import Hummingbird
import Logging
import NIOCore
import TariffCore

/// What the Twilio routes share: Basic authentication with an account's API key and secret,
/// rate limits as for the other dialects' pricing routes, and catalogs kept per deck version,
/// rate set, plan and currency.
final class TwilioPricing: Sendable {
    let state: LiveState
    let ranges: RangeDirectory
    /// Where the `url` fields and page links point: this server as its clients reach it.
    let address: PublicAddress
    /// The EEA countries' calling codes, for the EEA list's `origination_prefixes`.
    let eeaCallingCodes: [String]
    private let limiter: RateLimiter
    private let catalogs = SnapshotCache<CatalogKey, RenderedCatalog<TwilioCatalog>>()

    struct CatalogKey: Hashable {
        let currency: CurrencyCode
        /// The account's price plan; nil for the deck's prices.
        let plan: String?
    }

    init(state: LiveState, ranges: RangeDirectory, rateLimits: RateLimits, address: PublicAddress) {
        self.state = state
        self.ranges = ranges
        self.address = address
        eeaCallingCodes = Set(state.reference.countries.values.filter(\.isEEA).compactMap(\.callingCode)).sorted()
        limiter = RateLimiter(rateLimits, now: state.steady)
    }

    /// The account whose API key and secret the Basic header carries, within its rate limit.
    func authorize(_ request: Request) async throws -> Account {
        guard let credentials = BasicCredentials(request),
            let account = try await state.accounts.authenticate(apiKey: credentials.user, secret: credentials.password)
        else { throw TwilioError.authenticate }
        if let wait = limiter.admit(key: credentials.user, group: .pricing) { throw TwilioError.tooManyRequests(retryAfter: wait) }
        return account
    }

    /// The account's prices as Twilio shows them (with the bodies rendered from them), and the
    /// book and rates they come from.
    func catalog(for account: Account) throws -> (rendered: RenderedCatalog<TwilioCatalog>, book: PricedBook, exchange: ExchangeRateTable) {
        let plans = state.plans
        let book = plans.book(state.book, for: account.id)
        let exchange = state.exchange
        let now = state.now()
        let currency = account.currency
        let key = CatalogKey(currency: currency, plan: book.plan?.name)
        let catalog = try catalogs.value(key, of: exchange.snapshot(of: book, plans: plans.cacheStamp), now: now) {
            let catalog: TwilioCatalog
            do {
                catalog = try TwilioCatalog(book: book, ranges: ranges, currency: currency, exchangeRates: exchange.table, at: now)
            } catch {
                state.logger.error("cannot convert prices", metadata: ["currency": "\(currency)", "error": "\(error)"])
                throw TwilioError.internalError("Prices cannot be shown in \(currency): no exchange rate")
            }
            // A scheduled price change ends the catalog's life.
            return (RenderedCatalog(catalog), book.nextScheduledChange(after: now))
        }
        return (catalog, book, exchange.table)
    }

    /// `path` on this server, as an absolute URL.
    func url(_ request: Request, _ path: String) -> String { address.base(for: request) + path }
}

/// Twilio's JSON: snake-case keys, sorted; slashes in URLs left as they are.
enum TwilioEncoding {
    static func json(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return ByteBuffer(bytes: try encoder.encode(value))
    }

    static func response(_ value: some Encodable) throws -> Response {
        response(try json(value))
    }

    static func response(_ body: ByteBuffer) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }
}
