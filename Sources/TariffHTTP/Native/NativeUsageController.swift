import Foundation
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// `POST /v1/usage`: one call or message batch, rated at the price in force when it occurred,
/// converted into the account's currency at the rates in force then, and charged at once.
/// `id` is the client's idempotency key: a retry with the same body gets the first answer
/// and charges nothing; the same id with another body is a 409 and charges nothing.
/// `POST /v1/usage:batch` does the same for a stream of records (`+Batch`).
struct NativeUsageController<Context: RequestContext> {
    let state: LiveState

    /// A usage record is a few hundred bytes; this leaves room and refuses a flood.
    static var maxBodyBytes: Int { 16 * 1024 }

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("usage") { request, context in try await usage(request, context: context) }
        group.post("usage:batch") { request, context in try await batch(request, context: context) }
    }

    func usage(_ request: Request, context: Context) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let data = try await NativeEncoding.body(request, upTo: Self.maxBodyBytes)
        let fields: UsageFields
        do { fields = try data.withUnsafeReadableBytes { try UsageFields.decoded(json: $0) } } catch {
            throw NativeError.badRequest("the body is " + UsageFields.notARecord)
        }
        let posting: LedgerPosting
        switch try await state.usagePostings(for: [fields], account: account)[0] {
        case .success(let rated): posting = rated
        case .failure(let problem): throw NativeError(problem)
        }
        switch try await state.ledger.post([posting]).first {
        case .posted(let transaction): return NativeEncoding.json(text: TransactionRecord(transaction).jsonText, status: .created)
        case .repeated(let transaction): return NativeEncoding.json(text: TransactionRecord(transaction).jsonText)
        case .refused(let refusal): throw NativeError(UsageProblem(refusal: refusal))
        case nil: throw NativeError.badRequest("nothing was charged")
        }
    }
}

extension LiveState {
    /// Checks and rates records for `account`, at the prices and exchange rates in force when
    /// each occurred; inbound ones only on numbers the account held then (one read for all).
    func usagePostings(for fields: [UsageFields], account: Account) async throws -> [Result<LedgerPosting, UsageProblem>] {
        let now = now()
        let records = fields.map { fields in Result { () throws(UsageProblem) in try UsageRecord(validating: fields, now: now) } }
        return try await UsagePricing.postings(
            for: records,
            account: account,
            book: book(for: account),
            exchange: exchange.rates,
            numbers: store.numbers,
            subscriptions: store.serviceSubscriptions,
            now: now
        )
    }
}
