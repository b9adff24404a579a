import Foundation
import Hummingbird
import NIOCore
import TariffCore

/// Tariff's own pricing API. `GET /v1/prices/{product}?to=NUMBER[&from=NUMBER|COUNTRY][&at=T]
/// [&seconds=N|&messages=N]` prices one number and says why: which list applied (domestic,
/// EEA, international), which row, since when, and what comes next; in the deck's currency and
/// in the account's. Basic auth with an API key and secret.
struct NativePriceController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        group.get("prices/:product") { request, context in
            try await price(request, productName: try context.parameters.require("product"))
        }
    }

    func price(_ request: Request, productName: String) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        guard let product = Product(apiName: productName) else {
            throw NativeError.notFound("unknown product '\(productName)': voice, sms, \(Product.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let query = request.uri.queryParameters
        guard let to = query.get("to") else { throw NativeError.badRequest("to: the number to price is required") }
        let number: PhoneNumber
        do { number = try PhoneNumber(parsing: to) } catch { throw NativeError.badRequest("to: \(error)") }
        var origin: CallOrigin?
        if let from = query.get("from") {
            do { origin = try CallOrigin(parsing: from) } catch { throw NativeError.badRequest("from: a number or an ISO country code: \(error)") }
        }
        let instant: Instant
        do { instant = try query.get("at").map { try Instant(parsing: $0) } ?? state.now() } catch { throw NativeError.badRequest("at: \(error)") }
        let seconds = try Self.count(query.get("seconds"), name: "seconds")
        let messages = try Self.count(query.get("messages"), name: "messages")

        let quote: PriceQuote
        do { quote = try state.book.quote(number, product: product, from: origin, at: instant) } catch {
            if error.isNotANumber { throw NativeError.badRequest("to: \(error)") }
            throw NativeError.notFound(error.description)
        }
        let report: PriceReport
        do {
            report = try PriceReport(quote: quote, seconds: seconds, messages: messages, target: account.currency, fx: state.exchangeRates)
        } catch {
            throw NativeError(status: .internalServerError, title: "Cannot convert", detail: "\(error)")
        }
        return try NativeEncoding.json(report)
    }

    /// `voice` and `sms` are the outbound products; the deck names work too.
    static func count(_ text: String?, name: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), (0...1_000_000).contains(value) else { throw NativeError.badRequest("\(name): a whole number from 0") }
        return value
    }
}
