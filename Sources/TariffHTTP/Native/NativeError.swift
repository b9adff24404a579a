import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// The native API's errors: RFC 7807 problem documents, one shape for every route.
struct NativeError: Error, HTTPResponseError {
    let status: HTTPResponse.Status
    let title: String
    let detail: String
    /// An upload's problems, each at its line (`body:LINE: column: problem`); nil elsewhere.
    var problems: ImportFailure? = nil

    static func badRequest(_ detail: String) -> NativeError { NativeError(status: .badRequest, title: "Invalid request", detail: detail) }
    static func unauthorized() -> NativeError {
        NativeError(status: .unauthorized, title: "Unauthorized", detail: "Basic authentication with an API key and secret is required")
    }

    /// Credentials were sent and are wrong; which part is not said, so as not to tell a caller
    /// which keys exist.
    static func credentialsRefused() -> NativeError {
        NativeError(status: .unauthorized, title: "Unauthorized", detail: "The API key and secret were refused")
    }
    static func notFound(_ detail: String) -> NativeError { NativeError(status: .notFound, title: "Not found", detail: detail) }
    /// The id was used before for another request: nothing was charged.
    static func conflict(_ detail: String) -> NativeError { NativeError(status: .conflict, title: "Conflict", detail: detail) }
    /// The charge would take the balance below minus the credit limit: nothing was charged.
    static func insufficientFunds(_ detail: String) -> NativeError {
        NativeError(status: HTTPResponse.Status(code: 402, reasonPhrase: "Payment Required"), title: "Insufficient funds", detail: detail)
    }
    /// Well-formed, but not something Tariff can charge (no price, no exchange rate).
    static func unprocessable(_ detail: String) -> NativeError {
        NativeError(status: .unprocessableContent, title: "Cannot charge", detail: detail)
    }

    /// An upload that stored nothing, with every problem found (the first 200).
    static func importRefused(_ failure: ImportFailure) -> NativeError {
        NativeError(
            status: .unprocessableContent,
            title: "Import refused",
            detail: "\(failure.total) problem\(failure.total == 1 ? "" : "s"); nothing was imported",
            problems: failure
        )
    }

    /// The price is known but not in the account's currency: no exchange rate for it.
    static func cannotConvert(_ detail: String) -> NativeError {
        NativeError(status: .unprocessableContent, title: "Cannot convert", detail: detail)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/problem+json"], body: ResponseBody(byteBuffer: ByteBuffer(string: bodyText)))
    }

    /// The problem document, written by hand: a refused request should not cost
    /// more than an answered one, and `JSONSerialization` was a quarter of a refusal's cost.
    var bodyText: String {
        var json = JSONObjectWriter(capacity: 160)
        json.string("detail", detail)
        if let problems {
            json.array("problems", problems.problems) { item, problem in
                item.string("column", problem.column)
                item.integer("line", problem.line)
                item.string("message", problem.message)
                item.string("text", problem.description)
            }
            json.integer("problems_total", problems.total)
        }
        json.integer("status", Int(status.code))
        json.string("title", title)
        json.string("type", "about:blank")
        return json.finish()
    }
}

extension NativeError {
    /// A usage record that was not charged, as the native API answers it.
    init(_ problem: UsageProblem) {
        switch problem {
        case .invalid(let detail): self = .badRequest(detail)
        case .unchargeable(let detail): self = .unprocessable(detail)
        case .conflict(let detail): self = .conflict(detail)
        case .insufficientFunds(let detail): self = .insufficientFunds(detail)
        }
    }
}

extension NativeError {
    /// A rental or cancellation refused, as the native API answers it.
    init(_ error: NumberError) {
        switch error {
        case .unknownAccount, .notFound: self = .notFound("\(error)")
        case .notInStock, .notEnoughInStock: self = .conflict("\(error)")
        case .insufficientFunds(.closedAccount), .insufficientFunds(.currencyChanged): self = .conflict("\(error)")
        case .invalidCount: self = .badRequest("\(error)")
        case .insufficientFunds: self = .insufficientFunds("\(error)")
        case .noPrice: self = .unprocessable("\(error)")
        }
    }
}
