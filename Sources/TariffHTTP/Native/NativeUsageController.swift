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
        let data: ByteBuffer
        do { data = try await request.body.collect(upTo: Self.maxBodyBytes) } catch {
            throw NativeError.badRequest("the body is larger than \(Self.maxBodyBytes) bytes")
        }
        let fields: UsageFields
        do { fields = try JSONDecoder().decode(UsageFields.self, from: Data(data.readableBytesView)) } catch {
            throw NativeError.badRequest("the body is " + UsageFields.notARecord)
        }
        let posting: LedgerPosting
        do { posting = try state.usagePosting(for: fields, account: account) } catch { throw NativeError(error) }
        switch try await state.ledger.post([posting]).first {
        case .posted(let transaction): return NativeEncoding.json(text: TransactionRecord(transaction).jsonText, status: .created)
        case .repeated(let transaction): return NativeEncoding.json(text: TransactionRecord(transaction).jsonText)
        case .refused(let refusal): throw NativeError(UsageProblem(refusal: refusal))
        case nil: throw NativeError.badRequest("nothing was charged")
        }
    }
}

extension LiveState {
    /// Checks and rates one record for `account`, at the prices and exchange rates in force
    /// when it occurred.
    func usagePosting(for fields: UsageFields, account: Account) throws(UsageProblem) -> LedgerPosting {
        let record = try UsageRecord(validating: fields, now: now())
        return try record.posting(
            accountID: account.id,
            currency: account.currency,
            book: book,
            exchange: exchange.table(at: record.occurredAt)
        )
    }
}
