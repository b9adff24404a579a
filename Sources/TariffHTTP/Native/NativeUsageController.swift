import Foundation
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// `POST /v1/usage`: one call or message batch, rated at the price in force when it occurred,
/// converted into the account's currency at the rates in force then, and charged at once.
/// `id` is the client's idempotency key: a retry with the same body gets the first answer
/// and charges nothing; the same id with another body is a 409 and charges nothing.
struct NativeUsageController<Context: RequestContext> {
    let state: LiveState

    /// A usage record is a few hundred bytes; this leaves room and refuses a flood.
    static var maxBodyBytes: Int { 16 * 1024 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("usage") { request, context in try await usage(request, context: context) }
    }

    struct UsageBody: Decodable {
        let id: String?
        let product: String?
        let to: String?
        let from: String?
        let seconds: Int?
        let messages: Int?
        let occurredAt: String?

        enum CodingKeys: String, CodingKey {
            case id, product, to, from, seconds, messages
            case occurredAt = "occurred_at"
        }
    }

    func usage(_ request: Request, context: Context) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let data: ByteBuffer
        do { data = try await request.body.collect(upTo: Self.maxBodyBytes) } catch {
            throw NativeError.badRequest("the body is larger than \(Self.maxBodyBytes) bytes")
        }
        let body: UsageBody
        do { body = try JSONDecoder().decode(UsageBody.self, from: Data(data.readableBytesView)) } catch {
            throw NativeError.badRequest(
                "the body is not a usage record: {\"id\", \"product\", \"to\", \"seconds\" or \"messages\", \"occurred_at\"}"
            )
        }
        let usage = try Self.validate(body, now: state.now())
        let quote: PriceQuote
        do {
            quote = try state.book.quote(usage.number, product: usage.product, from: usage.origin, at: usage.occurredAt)
        } catch {
            throw NativeError.unprocessable("no price for \(usage.number.e164) (\(usage.product.rawValue)) at \(usage.occurredAt.iso8601): \(error)")
        }
        let rated: RatedUsage
        do {
            rated = try RatedUsage(
                quote: quote,
                from: body.from,
                seconds: usage.seconds,
                messages: usage.messages,
                currency: account.currency,
                exchange: state.exchange.table(at: usage.occurredAt)
            )
        } catch {
            throw NativeError.unprocessable("\(error)")
        }
        let posting = LedgerPosting(
            accountID: account.id,
            type: .resourceCharge,
            amount: Amount(units: -rated.amount.units),
            performedAt: usage.occurredAt,
            description: "\(usage.product.rawValue) \(usage.number.e164), \(rated.explanation.quantity) \(rated.explanation.unit)",
            reference: usage.id,
            fingerprint: usage.fingerprint,
            explanation: rated.explanation
        )
        let outcome = try await state.store.ledger.post([posting], now: state.now())
        switch outcome.first {
        case .posted(let transaction): return try NativeEncoding.json(TransactionRecord(transaction), status: .created)
        case .repeated(let transaction): return try NativeEncoding.json(TransactionRecord(transaction))
        case .refused(.referenceConflict(let id)): throw NativeError.conflict("the id '\(id)' was already used for a different usage record")
        case .refused(let error):
            if case .insufficientFunds = error { throw NativeError.insufficientFunds("\(error)") }
            throw NativeError.badRequest("\(error)")
        case nil: throw NativeError.badRequest("nothing was charged")
        }
    }

    /// A usage record whose every field was checked, ranges included, before any arithmetic.
    struct Usage {
        let id: String
        let product: Product
        let number: PhoneNumber
        let origin: CallOrigin?
        let seconds: Int?
        let messages: Int?
        let occurredAt: Instant
        /// The record as the ledger compares retries: the same key with another fingerprint is a conflict.
        let fingerprint: String
    }

    static func validate(_ body: UsageBody, now: Instant) throws -> Usage {
        guard let id = body.id, !id.isEmpty, id.utf8.count <= LedgerPosting.maxReferenceLength else {
            throw NativeError.badRequest("id: the record's unique id, 1 to \(LedgerPosting.maxReferenceLength) bytes, is required")
        }
        guard let name = body.product, let product = NativePriceController<Context>.product(name) else {
            throw NativeError.badRequest("product: voice or sms (or a deck product name)")
        }
        guard !product.isInbound else {
            throw NativeError.unprocessable(
                "\(product.rawValue): inbound usage is charged to the owner of the number called, once numbers are rented"
            )
        }
        guard let to = body.to else { throw NativeError.badRequest("to: the number called is required") }
        let number: PhoneNumber
        do { number = try PhoneNumber(parsing: to) } catch { throw NativeError.badRequest("to: \(error)") }
        var origin: CallOrigin?
        if let from = body.from {
            do { origin = try CallOrigin(parsing: from) } catch { throw NativeError.badRequest("from: a number or an ISO country code: \(error)") }
        }
        switch (product.isVoice, body.seconds, body.messages) {
        case (true, .some(let seconds), nil):
            guard UsageCharge.usageRange.contains(seconds) else {
                throw NativeError.badRequest("seconds: a whole number from 0 to \(UsageCharge.usageRange.upperBound)")
            }
        case (false, nil, .some(let messages)):
            guard UsageCharge.usageRange.contains(messages) else {
                throw NativeError.badRequest("messages: a whole number from 0 to \(UsageCharge.usageRange.upperBound)")
            }
        case (true, _, _): throw NativeError.badRequest("seconds: a call is charged by its seconds (and has no messages)")
        case (false, _, _): throw NativeError.badRequest("messages: messages are charged by their count (and have no seconds)")
        }
        guard let text = body.occurredAt else { throw NativeError.badRequest("occurred_at: when the usage happened is required") }
        let occurredAt: Instant
        do { occurredAt = try Instant(parsing: text) } catch { throw NativeError.badRequest("occurred_at: \(error)") }
        guard occurredAt <= now else { throw NativeError.badRequest("occurred_at: \(occurredAt.iso8601) is in the future") }
        let fingerprint = [
            product.rawValue, number.e164, Self.originKey(origin), body.seconds.map(String.init) ?? "",
            body.messages.map(String.init) ?? "", String(occurredAt.secondsSince1970),
        ].joined(separator: "|")
        return Usage(
            id: id,
            product: product,
            number: number,
            origin: origin,
            seconds: body.seconds,
            messages: body.messages,
            occurredAt: occurredAt,
            fingerprint: fingerprint
        )
    }

    /// The origin in one normal form: `+34...` for a number, `ES` for a country.
    static func originKey(_ origin: CallOrigin?) -> String {
        switch origin {
        case .number(let number): number.e164
        case .country(let code): code
        case nil: ""
        }
    }
}
