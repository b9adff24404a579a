import Hummingbird
import TariffCore

/// `GET /v1/countries` and `GET /v1/countries/{iso}/prices`: the countries Tariff knows, and one
/// country's prices as the account sees them (its plan; its currency unless `currency` names
/// another), each with its next scheduled price. What the price explorer reads; a country's
/// lines are gathered once per deck version and plan, then paged. `GET /v1/countries/summary`:
/// each country's lowest and highest price of one product, what the world map colours.
///
/// With `--public-prices`, a request with no Authorization header at all reads the published
/// prices; a credential that is given and wrong is still refused.
struct NativeCountriesController<Context: RequestContext> {
    let state: LiveState
    let publicPrices: PublicPrices?
    let sheets: SnapshotCache<SheetKey, CountryPrices>
    let summaries: SnapshotCache<SummaryKey, CountrySummary>
    /// A sheet or summary is built one at a time: at a million rates a build takes a second and
    /// hundreds of megabytes, and a burst of first views must not build it once per request.
    let builds = OneAtATime()

    struct SheetKey: Hashable, Sendable {
        let country: String
        /// The account's price plan; nil for the deck's prices.
        let plan: String?
    }

    struct SummaryKey: Hashable, Sendable {
        let product: Product
        let origin: OriginScope?
        let plan: String?
    }

    /// Whose prices a request reads, and the currency it sees them in unless it asks for another.
    struct Viewer {
        let book: PricedBook
        let currency: CurrencyCode
    }

    init(state: LiveState, publicPrices: PublicPrices? = nil) {
        self.state = state
        self.publicPrices = publicPrices
        sheets = SnapshotCache()
        summaries = SnapshotCache()
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("countries") { request, _ in try await countries(request) }
        group.get("countries/summary") { request, _ in try await summary(request) }
        group.get("countries/:iso/prices") { request, context in
            try await prices(request, iso: try context.parameters.require("iso"))
        }
    }

    func viewer(_ request: Request) async throws -> Viewer {
        guard request.headers[.authorization] == nil, let publicPrices else {
            let account = try await NativeAuth.account(request, state: state)
            return Viewer(book: state.book(for: account), currency: account.currency)
        }
        switch publicPrices.source {
        case .deck:
            return Viewer(book: PricedBook(state.book), currency: publicPrices.currency)
        case .plan(let name):
            guard let book = state.plans.book(state.book, plan: name) else {
                throw NativeError(
                    status: .serviceUnavailable,
                    title: "Public prices unavailable",
                    detail: "the public price plan '\(name)' does not exist"
                )
            }
            return Viewer(book: book, currency: publicPrices.currency)
        }
    }

    /// `currency=`, else the viewer's.
    static func currency(_ request: Request, default fallback: CurrencyCode) throws -> CurrencyCode {
        guard let text = request.uri.queryParameters.get("currency") else { return fallback }
        guard text.utf8.count == 3, let code = CurrencyCode(text.uppercased()) else { throw NativeError.badRequest("currency: an ISO 4217 code") }
        return code
    }

    func countries(_ request: Request) async throws -> Response {
        _ = try await viewer(request)
        let countries = state.reference.countries.values.sorted { $0.name < $1.name }.map(CountryRecord.init)
        return try NativeEncoding.json(CountryList(countries: countries))
    }

    func prices(_ request: Request, iso: String) async throws -> Response {
        let viewer = try await viewer(request)
        guard iso.utf8.count == 2, let country = state.reference.country(iso.uppercased()) else {
            throw NativeError.notFound("country '\(iso.prefix(8))' is not an ISO 3166-1 code Tariff knows")
        }
        let query = request.uri.queryParameters
        var product: Product?
        if let text = query.get("product") {
            guard let known = Product(rawValue: text) else {
                throw NativeError.badRequest("product: one of \(Product.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            product = known
        }
        let prefix = query.get("prefix")
        if let prefix, prefix.isEmpty || prefix.utf8.count > DigitKey.maxLength || !prefix.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
            throw NativeError.badRequest("prefix: 1 to \(DigitKey.maxLength) digits")
        }
        let currency = try Self.currency(request, default: viewer.currency)
        let (limit, offset) = try NativeNumbersController<Context>.page(request)
        let book = viewer.book
        let now = state.now()
        let exchange = state.exchange
        let sheet = try await sheets.value(
            SheetKey(country: country.iso2, plan: book.plan?.name),
            of: exchange.snapshot(of: book, plans: state.plans.cacheStamp),
            now: now,
            buildingIn: builds
        ) {
            (CountryPrices(book, country: country, at: now), book.nextScheduledChange(after: now))
        }
        let ranges = sheet.rates.matching(product: product, prefix: prefix)
        let record: CountryPricesRecord
        do {
            record = try CountryPricesRecord(
                sheet,
                rates: sheet.rates.page(ranges, offset: offset, limit: limit),
                totalRates: ranges.reduce(0) { $0 + $1.count },
                showNumbers: product == nil && prefix == nil,
                deckVersion: book.version,
                currency: currency,
                fx: exchange.table,
                reference: state.reference
            )
        } catch {
            throw NativeError.cannotConvert("\(error)")
        }
        return try NativeEncoding.json(record)
    }

    func summary(_ request: Request) async throws -> Response {
        let viewer = try await viewer(request)
        let query = request.uri.queryParameters
        guard let text = query.get("product"), let product = Product(rawValue: text) else {
            throw NativeError.badRequest("product: one of \(Product.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let origin = try query.get("list").map { text in
            guard let known = OriginScope(rawValue: text) else {
                throw NativeError.badRequest("list: one of \(OriginScope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return known
        }
        let currency = try Self.currency(request, default: viewer.currency)
        let book = viewer.book
        let now = state.now()
        let exchange = state.exchange
        let summary = try await summaries.value(
            SummaryKey(product: product, origin: origin, plan: book.plan?.name),
            of: exchange.snapshot(of: book, plans: state.plans.cacheStamp),
            now: now,
            buildingIn: builds
        ) {
            (CountrySummary(book, product: product, origin: origin, at: now), book.nextScheduledChange(after: now))
        }
        do {
            return try NativeEncoding.json(CountrySummaryRecord(summary, deckVersion: book.version, currency: currency, fx: exchange.table))
        } catch let error as ConversionError {
            throw NativeError.cannotConvert("\(error)")
        }
    }

    struct CountryList: Encodable {
        let countries: [CountryRecord]
    }
}
