import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import TariffCore

/// Country pricing and phone pricing, the routes the SDKs call most. One function decides
/// their answers whichever way a request comes — through the router, or through the fast
/// path straight after NIO's decoder — so the two ways cannot answer one request differently.
struct VonageHotRoutes: Sendable {
    enum Route: Sendable {
        /// `/account/get-pricing/outbound/{type}?country=`
        case country
        /// `/account/get-phone-pricing/outbound/{type}?phone=`
        case phone

        var parameter: String { self == .country ? "country" : "phone" }

        /// The router's template for the same route, so that metrics name it alike either way.
        var template: String { self == .country ? "/account/get-pricing/outbound/{p1}" : "/account/get-phone-pricing/outbound/{p1}" }
    }

    /// What the two routes read of a request.
    struct Query: Sendable {
        let route: Route
        /// Nil: the type names no product (404).
        let product: Product?
        let credentials: VonageCredentials?
        /// The country or the phone number: nil when missing or empty (400).
        let value: String?
        let xml: Bool

        /// The typed form: the product in the path, everything else in the query and headers.
        init(route: Route, type: String, head: HTTPRequest, uri: URI) {
            self.init(route: route, type: type, head: head, uri: uri, pathCredentials: nil, pathValue: nil)
        }

        /// The forms with the key, the secret and the country or number in the path.
        init(route: Route, type: String, head: HTTPRequest, uri: URI, pathCredentials: (String, String)?, pathValue: String?) {
            self.route = route
            product = VonageCatalog.product(v1: type)
            let query = uri.queryParameters
            credentials =
                pathCredentials.map { VonageCredentials(apiKey: $0.0, secret: $0.1) }
                ?? VonageCredentials.from(authorization: head.headerFields[.authorization], query: query)
            value = (pathValue ?? query.get(route.parameter)).flatMap { $0.isEmpty ? nil : $0 }
            xml = VonageFormat.wantsXML(accept: head.headerFields[.accept])
        }
    }

    let pricing: VonagePricing

    /// The route of a path the fast path may answer: exactly a typed form the router sends to
    /// the same handler (anything else, escapes included, is left to the router).
    static func route(path: String) -> (Route, type: String)? {
        for (prefix, route) in prefixes where path.hasPrefix(prefix) {
            let type = String(path.dropFirst(prefix.count))
            return VonageCatalog.product(v1: type) == nil ? nil : (route, type)
        }
        return nil
    }

    private static let prefixes = [("/account/get-pricing/outbound/", Route.country), ("/account/get-phone-pricing/outbound/", .phone)]

    // MARK: The router's way

    func respond(_ query: Query) async throws -> Response {
        guard let product = query.product else { throw VonageError.notFound }
        let account = try await pricing.authenticate(query.credentials)
        // Building never leaves anything out.
        guard let result = decide(query, product: product, account: account, building: true) else { throw VonageError.unknownError }
        return try VonageEncoding.response(result.get(), xml: query.xml)
    }

    // MARK: The fast path's way

    /// The whole answer, when everything it needs is in memory: a key read recently and a
    /// catalog (for countries, the body too) already rendered. Nil leaves the request to the
    /// router, with no rate-limit token spent. The path (without the query) is for the log.
    func answerFromMemory(_ head: HTTPRequest) -> (RenderedResponse, path: String, route: Route)? {
        guard head.method == .get, let target = head.path else { return nil }
        let uri = URI(target)
        guard let (route, type) = Self.route(path: uri.path) else { return nil }
        let query = Query(route: route, type: type, head: head, uri: uri)
        guard let product = query.product, let credentials = query.credentials,
            let account = pricing.state.accounts.cachedAuthentication(apiKey: credentials.apiKey, secret: credentials.secret),
            let result = decide(query, product: product, account: account, building: false)
        else { return nil }
        switch result {
        case .success(let body): return (VonageEncoding.rendered(body, xml: query.xml), uri.path, route)
        case .failure(let error): return (error.rendered(for: head), uri.path, route)
        }
    }

    // MARK: Shared

    /// The answer for an authenticated account: 429 over the rate limit, otherwise the
    /// prepared one. Nil when `building` is false and something is not in memory yet; the
    /// token is spent only once the answer is known.
    func decide(_ query: Query, product: Product, account: Account, building: Bool) -> Result<ByteBuffer, VonageError>? {
        guard let prepared = prepare(query, product: product, account: account, building: building) else { return nil }
        // Credentials are there: the account was found by them.
        if let credentials = query.credentials, let wait = pricing.admit(credentials, group: .pricing) {
            return .failure(.tooManyRequests(retryAfter: wait))
        }
        return prepared
    }

    /// Everything but the rate limit, with no side effect but caching.
    private func prepare(_ query: Query, product: Product, account: Account, building: Bool) -> Result<ByteBuffer, VonageError>? {
        guard let value = query.value else { return .failure(.badRequest(parameter: query.route.parameter, message: "Is required")) }
        switch query.route {
        case .country: return countryBody(product: product, account: account, iso: value, xml: query.xml, building: building)
        case .phone:
            return Result(catching: { () throws(VonageError) -> ByteBuffer in
                try phoneBody(product: product, account: account, phone: value, xml: query.xml)
            })
        }
    }

    private func countryBody(product: Product, account: Account, iso: String, xml: Bool, building: Bool) -> Result<ByteBuffer, VonageError>? {
        let catalog: RenderedCatalog<VonageCatalog>
        if building {
            do { catalog = try pricing.catalog(product, for: account) } catch {
                return .failure(error as? VonageError ?? .unknownError)
            }
        } else {
            guard let cached = pricing.cachedCatalog(product, for: account) else { return nil }
            catalog = cached
        }
        guard let prices = catalog.catalog.country(iso) else {
            return .failure(.badRequest(parameter: "country", message: "Is not a valid ISO 3166-1 alpha-2 country code"))
        }
        let key = "country|\(prices.country.iso2)|\(xml)"
        guard building else { return catalog.cachedBody(key).map { .success($0) } }
        do {
            return .success(
                try catalog.body(key) {
                    let json = VonageV1.Country(prices, currency: account.currency)
                    return xml ? try VonageEncoding.xml(VonageV1XML.Country(json), root: "outbound-country-pricing") : try VonageEncoding.json(json)
                }
            )
        } catch {
            pricing.state.logger.error("cannot render a country", metadata: ["country": "\(prices.country.iso2)", "error": "\(error)"])
            return .failure(.unknownError)
        }
    }

    private func phoneBody(product: Product, account: Account, phone text: String, xml: Bool) throws(VonageError) -> ByteBuffer {
        // Vonage answers 420 "method failed" for anything that is not an MSISDN (a country code, letters).
        guard text.count >= 7, let number = try? PhoneNumber(parsing: text) else { throw .methodFailed }
        let state = pricing.state
        guard let quote = try? state.book(for: account).quote(number, product: product, at: state.now(), nextChange: false) else {
            throw .methodFailed
        }
        let price: Money
        do { price = try state.exchangeRates.convert(quote.price, to: account.currency) } catch { throw .unknownError }
        let network = VonageV1Controller<BasicRequestContext>.networkCode(quote)
        let json = VonageV1.PhonePrice(
            countryCode: quote.destination.country?.iso2 ?? "",
            networkCode: network,
            network: network,
            phone: number.digits,
            price: price.amount.formatted(),
            currency: account.currency.rawValue
        )
        if xml {
            do { return try VonageEncoding.xml(json, root: "outbound-pricing") } catch { throw .unknownError }
        }
        // Written directly: every value is digits, an ISO code or a network code.
        return ByteBuffer(
            string: "{\"country-code\":\"\(json.countryCode)\",\"network-code\":\"\(json.networkCode)\",\"network\":\"\(json.network)\","
                + "\"phone\":\"\(json.phone)\",\"price\":\"\(json.price)\",\"currency\":\"\(json.currency)\"}"
        )
    }
}
