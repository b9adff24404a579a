import Foundation
import Hummingbird
import NIOCore
import TariffCore

/// Vonage Pricing API v2: one product's prices, paged, with HAL links; Basic auth only; every
/// value a string; errors as RFC 7807 problem documents (wire-formats §1.7).
struct VonageV2Controller<Context: RequestContext> {
    let pricing: VonagePricing
    /// Where the links point: this server as its clients reach it.
    let address: PublicAddress

    static var maxPageSize: Int { 1000 }
    /// Far beyond any deck (a million rows at the largest page size is page 1,000), and small
    /// enough that no page arithmetic can overflow.
    static var maxPage: Int { 1_000_000 }

    func addRoutes(to router: Router<Context>) {
        let account = router.group("v2/account").add(middleware: ErrorMappingMiddleware.vonageV2.counting(into: pricing.state.metrics))
        account.get("pricing/:product") { request, context in
            try await page(request, productName: try context.parameters.require("product"))
        }
        account.answerVonageNotFound(besides: ["pricing/:product"])
    }

    struct Row: Encodable, Hashable {
        let countryName: String
        let dialingPrefix: String
        let destNetworkType: String
        let groupInternalStart: String
        let rateIncrement: String
        let currency: String
        let price: String

        enum CodingKeys: String, CodingKey {
            case countryName = "country_name"
            case dialingPrefix = "dialing_prefix"
            case destNetworkType = "dest_network_type"
            case groupInternalStart = "group_internal_start"
            case rateIncrement = "rate_increment"
            case currency, price
        }
    }

    struct Link: Encodable { let href: String }

    struct Page: Encodable {
        let pageSize: String
        let page: String
        let totalItems: String
        let totalPages: String
        let embedded: Embedded
        let links: [String: Link]

        struct Embedded: Encodable { let countries: [Row] }

        enum CodingKeys: String, CodingKey {
            case pageSize = "page_size"
            case page
            case totalItems = "total_items"
            case totalPages = "total_pages"
            case embedded = "_embedded"
            case links = "_links"
        }
    }

    func page(_ request: Request, productName: String) async throws -> Response {
        let product: Product
        switch productName {
        case "sms-outbound": product = .smsOutbound
        case "voice-outbound": product = .voiceOutbound
        default:
            throw VonageError.problem(
                status: .notFound,
                type: "not-found",
                title: "Not Found",
                detail: "Unknown product '\(productName)': sms-outbound or voice-outbound"
            )
        }
        guard let credentials = VonageCredentials.from(request, basicOnly: true) else {
            throw VonageError.problem(
                status: .unauthorized,
                type: "unauthorized",
                title: "Invalid credentials",
                detail: "Basic authentication with the API key and secret is required"
            )
        }
        let account: Account
        do {
            account = try await pricing.authorize(credentials, group: .pricing)
        } catch VonageError.authenticationFailed {
            throw VonageError.problem(
                status: .unauthorized,
                type: "unauthorized",
                title: "Invalid credentials",
                detail: "The API key or secret is not valid"
            )
        } catch VonageError.tooManyRequests(let wait) {
            throw VonageError.tooManyRequests(retryAfter: wait)
        }
        let query = request.uri.queryParameters
        let pageNumber = try Self.integer(query["page"].map(String.init), name: "page", default: 1, range: 1...Self.maxPage)
        let pageSize = try Self.integer(query["page_size"].map(String.init), name: "page_size", default: 100, range: 1...Self.maxPageSize)
        let country = query["country"].map { String($0).uppercased() }

        let catalog: VonageCatalog
        do {
            catalog = try pricing.catalog(product, for: account).catalog
        } catch VonageError.unknownError {
            throw VonageError.problem(
                status: .internalServerError,
                type: "internal-error",
                title: "Internal Error",
                detail: "Prices cannot be shown in \(account.currency): no exchange rate"
            )
        }
        let countries: [VonageCatalog.CountryPrices]
        if let country {
            guard let prices = catalog.country(country) else {
                throw VonageError.problem(
                    status: .badRequest,
                    type: "invalid-params",
                    title: "Invalid parameters",
                    detail: "country '\(country)' is not an ISO 3166-1 alpha-2 code"
                )
            }
            countries = [prices]
        } else {
            countries = catalog.countries
        }
        let rows = countries.flatMap { Self.rows($0, product: product, currency: account.currency) }
        // Both factors are range-checked above, so this stays below 10^9.
        let totalPages = max(1, (rows.count + pageSize - 1) / pageSize)
        let start = min(rows.count, (pageNumber - 1) * pageSize)
        let slice = Array(rows[start..<min(rows.count, start + pageSize)])

        let base = "\(address.base(for: request))/v2/account/pricing/\(productName)"
        func link(_ page: Int) -> Link {
            Link(href: base + "?" + ((country.map { "country=\($0)&" } ?? "") + "page=\(page)&page_size=\(pageSize)"))
        }
        var links = ["self": link(pageNumber), "first": link(1), "last": link(totalPages)]
        if pageNumber < totalPages { links["next"] = link(pageNumber + 1) }
        if pageNumber > 1 { links["prev"] = link(min(pageNumber - 1, totalPages)) }
        let body = Page(
            pageSize: String(pageSize),
            page: String(pageNumber),
            totalItems: String(rows.count),
            totalPages: String(totalPages),
            embedded: .init(countries: slice),
            links: links
        )
        return VonageEncoding.response(try VonageEncoding.json(body), xml: false)
    }

    /// A country's rows: its default (`ALL`) and one per network type, price and increments. A v2
    /// row has no network code, so networks of one type at one price are one row.
    static func rows(_ prices: VonageCatalog.CountryPrices, product: Product, currency: CurrencyCode) -> [Row] {
        func row(type: String, price: Amount, increment: BillingIncrement?) -> Row {
            // Messages have no billing blocks: one message is the unit.
            let increment = product.isVoice ? increment ?? .perMinute : nil
            return Row(
                countryName: prices.country.name,
                dialingPrefix: prices.country.callingCode ?? "",
                destNetworkType: type,
                groupInternalStart: "\(increment?.initial ?? 1)s",
                rateIncrement: String(increment?.subsequent ?? 1),
                currency: currency.rawValue,
                price: price.plainText
            )
        }
        var rows: [Row] = []
        var seen = Set<Row>()
        func add(_ row: Row) { if seen.insert(row).inserted { rows.append(row) } }
        if let price = prices.defaultPrice { add(row(type: "ALL", price: price, increment: prices.defaultIncrement)) }
        for network in prices.networks { add(row(type: network.type.uppercased(), price: network.price, increment: network.increment)) }
        return rows
    }

    static func integer(_ text: String?, name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            let bound = range.upperBound == Int.max ? "at least \(range.lowerBound)" : "from \(range.lowerBound) to \(range.upperBound)"
            throw VonageError.problem(
                status: .badRequest,
                type: "invalid-params",
                title: "Invalid parameters",
                detail: "\(name) must be a whole number \(bound)"
            )
        }
        return value
    }
}
