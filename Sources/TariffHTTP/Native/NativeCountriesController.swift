import Hummingbird
import TariffCore

/// `GET /v1/countries` and `GET /v1/countries/{iso}/prices`: the countries Tariff knows, and one
/// country's prices as the account sees them (its plan; its currency unless `currency` names
/// another), each with its next scheduled price. What the price explorer reads; a country's
/// lines are gathered once per deck version and plan, then paged.
struct NativeCountriesController<Context: RequestContext> {
    let state: LiveState
    let sheets: SnapshotCache<SheetKey, CountryPrices>

    struct SheetKey: Hashable, Sendable {
        let country: String
        /// The account's price plan; nil for the deck's prices.
        let plan: String?
    }

    init(state: LiveState) {
        self.state = state
        sheets = SnapshotCache()
    }

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("countries") { request, _ in try await countries(request) }
        group.get("countries/:iso/prices") { request, context in
            try await prices(request, iso: try context.parameters.require("iso"))
        }
    }

    func countries(_ request: Request) async throws -> Response {
        _ = try await NativeAuth.account(request, state: state)
        let countries = state.reference.countries.values.sorted { $0.name < $1.name }.map(CountryRecord.init)
        return try NativeEncoding.json(CountryList(countries: countries))
    }

    func prices(_ request: Request, iso: String) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
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
        var currency = account.currency
        if let text = query.get("currency") {
            guard text.utf8.count == 3, let code = CurrencyCode(text.uppercased()) else { throw NativeError.badRequest("currency: an ISO 4217 code") }
            currency = code
        }
        let (limit, offset) = try NativeNumbersController<Context>.page(request)
        let book = state.book(for: account)
        let now = state.now()
        let exchange = state.exchange
        let sheet = try sheets.value(
            SheetKey(country: country.iso2, plan: book.plan?.name),
            of: exchange.snapshot(of: book, plans: state.plans.cacheStamp),
            now: now
        ) {
            (CountryPrices(book, country: country, at: now), book.nextScheduledChange(after: now))
        }
        let lines = sheet.rates.filter { line in
            (product == nil || line.entry.key.product == product) && (prefix.map { line.entry.key.prefix?.hasPrefix($0) ?? false } ?? true)
        }
        let record: CountryPricesRecord
        do {
            record = try CountryPricesRecord(
                sheet,
                rates: lines.dropFirst(min(offset, lines.count)).prefix(limit),
                totalRates: lines.count,
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

    struct CountryList: Encodable {
        let countries: [CountryRecord]
    }
}
