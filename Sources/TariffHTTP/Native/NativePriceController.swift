import Foundation
import Hummingbird
import NIOCore
import TariffCore

/// Tariff's own pricing API. `GET /v1/prices/{product}?to=NUMBER[&from=NUMBER|COUNTRY][&at=T]
/// [&seconds=N|&messages=N]` prices one number and says why: which list applied (domestic,
/// EEA, international), which row, since when, and what comes next; in the deck's currency and
/// in the account's. A metered product is priced by product instead:
/// `GET /v1/prices/{product}?units=N[&variant=V][&country=CC][&at=T]`. Basic auth with an API
/// key and secret.
struct NativePriceController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("prices/:product") { request, context in
            try await price(request, productName: try context.parameters.require("product"))
        }
    }

    func price(_ request: Request, productName: String) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let query = request.uri.queryParameters
        guard let product = Product(apiName: productName) else {
            guard ServicePriceKey.isProductName(productName), state.book.services.products.contains(productName) else {
                let known = ["voice", "sms"] + Product.allCases.map(\.rawValue) + state.book.services.products
                throw NativeError.notFound("unknown product '\(productName)': \(known.joined(separator: ", "))")
            }
            return try servicePrice(query, product: productName, account: account)
        }
        guard let to = query.get("to") else { throw NativeError.badRequest("to: the number to price is required") }
        let number: PhoneNumber
        do { number = try PhoneNumber(parsing: to) } catch { throw NativeError.badRequest("to: \(error)") }
        let origin = try Self.origin(query.get("from"), state: state)
        let instant: Instant
        do { instant = try query.get("at").map { try Instant(parsing: $0) } ?? state.now() } catch { throw NativeError.badRequest("at: \(error)") }
        let seconds = try Self.count(query.get("seconds"), name: "seconds")
        let messages = try Self.count(query.get("messages"), name: "messages")

        let quote: PriceQuote
        do { quote = try state.book(for: account).quote(number, product: product, from: origin, at: instant) } catch {
            if error.isNotANumber { throw NativeError.badRequest("to: \(error)") }
            throw NativeError.notFound(error.description)
        }
        let report: PriceReport
        do {
            report = try PriceReport(quote: quote, seconds: seconds, messages: messages, target: account.currency, fx: state.exchangeRates)
        } catch {
            throw NativeError.cannotConvert("\(error)")
        }
        return try NativeEncoding.json(report)
    }

    private func servicePrice(_ query: Parameters, product: String, account: Account) throws -> Response {
        for name in ["to", "from", "seconds", "messages"] where query.get(name) != nil {
            throw NativeError.badRequest("\(name): \(product) is a metered product, priced by units (units, variant, country)")
        }
        let instant: Instant
        do { instant = try query.get("at").map { try Instant(parsing: $0) } ?? state.now() } catch { throw NativeError.badRequest("at: \(error)") }
        let units = try Self.count(query.get("units"), name: "units", upTo: UsageCharge.usageRange.upperBound)
        let variant = query.get("variant")
        if let variant, !ServicePriceKey.isToken(variant) {
            throw NativeError.badRequest("variant: 1 to 64 printable characters without spaces, commas or quotes")
        }
        var country: String?
        if let text = query.get("country") {
            guard let known = state.book.reference.country(text) else { throw NativeError.badRequest("country: unknown country '\(text)'") }
            country = known.iso2
        }
        let quote: ServiceQuote
        do { quote = try state.book(for: account).services.quote(product: product, variant: variant, country: country, at: instant) } catch {
            throw NativeError.notFound(error.description)
        }
        let report: ServicePriceReport
        do { report = try ServicePriceReport(quote: quote, units: units, target: account.currency, fx: state.exchangeRates) } catch {
            throw NativeError.cannotConvert("\(error)")
        }
        return try NativeEncoding.json(report)
    }

    /// The `from` parameter: a number, or a country code Tariff knows.
    static func origin(_ from: String?, state: LiveState) throws -> CallOrigin? {
        guard let from else { return nil }
        let origin: CallOrigin
        do { origin = try CallOrigin(parsing: from) } catch { throw NativeError.badRequest("from: a number or an ISO country code: \(error)") }
        if case .country(let code) = origin, state.reference.countries[code] == nil {
            throw NativeError.badRequest("from: '\(code)' is not an ISO 3166-1 country code Tariff knows")
        }
        return origin
    }

    /// `voice` and `sms` are the outbound products; the deck names work too.
    static func count(_ text: String?, name: String, upTo limit: Int = 1_000_000) throws -> Int? {
        guard let text else { return nil }
        guard text.utf8.count <= 10, let value = Int(text), (0...limit).contains(value) else {
            throw NativeError.badRequest("\(name): a whole number from 0 to \(limit)")
        }
        return value
    }
}
