import Foundation
import Hummingbird
import Logging
import NIOCore
import TariffCore
import TariffStore

/// The operator's routes: top-ups, corrections and credit limits of any account, behind an
/// operator token (`Authorization: Bearer tariff_op_...`, made by `tariff operator token-create`),
/// never an account's key.
///
/// - `GET /v1/admin/accounts/{id}/balance`
/// - `POST /v1/admin/accounts/{id}/transactions` `{"type": "card_payment" | "refund" |
///   "adjustment", "amount": "12.50" (an adjustment's may be negative), "description"?,
///   "reference"?}`: `reference` makes a retry safe, as a usage record's id does.
/// - `PUT /v1/admin/accounts/{id}/credit-limit` `{"credit_limit": "100"}`
struct NativeAdminController<Context: RequestContext> {
    let state: LiveState

    static var maxBodyBytes: Int { 8 * 1024 }

    func addRoutes(to group: RouterGroup<Context>) {
        let admin = group.group("admin/accounts")
        admin.get(":id/balance") { request, context in try await balance(request, context: context) }
        admin.post(":id/transactions") { request, context in try await post(request, context: context) }
        admin.put(":id/credit-limit") { request, context in try await creditLimit(request, context: context) }
    }

    static func accountID(_ context: Context) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else { throw NativeError.notFound("no such account") }
        return id
    }

    static var creditLimitRule: String { "credit_limit: zero or a positive amount, as a string (\"100\")" }

    /// A credit limit as a body gives it, or a 400.
    static func creditLimit(_ text: String) throws -> Amount {
        guard let limit = try? Amount(parsing: text), limit.units >= 0 else { throw NativeError.badRequest(creditLimitRule) }
        return limit
    }

    /// The account the path names, or 404.
    static func account(_ context: Context, state: LiveState) async throws -> Account {
        guard let account = try await state.store.accounts.account(id: try accountID(context)) else {
            throw NativeError.notFound("no such account")
        }
        return account
    }

    /// The account the path names, open, or 404 / 409: a closed account is not changed.
    static func openAccount(_ context: Context, state: LiveState) async throws -> Account {
        let account = try await account(context, state: state)
        if account.isClosed { throw NativeError.conflict("account \(account.id) is closed") }
        return account
    }

    func balance(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let id = try Self.accountID(context)
        guard let money = try await state.store.ledger.balance(accountID: id) else { throw NativeError.notFound("no account \(id)") }
        return try NativeEncoding.json(BalanceRecord(money))
    }

    struct EntryBody: Decodable {
        let type: String?
        let amount: String?
        let description: String?
        let reference: String?
    }

    func post(_ request: Request, context: Context) async throws -> Response {
        let operatorToken = try await NativeAuth.operator(request, state: state)
        let id = try Self.accountID(context)
        let body = try await NativeEncoding.decode(EntryBody.self, request, upTo: Self.maxBodyBytes)
        let allowed: [TransactionType] = [.cardPayment, .refund, .adjustment]
        guard let name = body.type, let type = TransactionType(rawValue: name), allowed.contains(type) else {
            throw NativeError.badRequest("type: one of \(allowed.map(\.rawValue).joined(separator: ", "))")
        }
        guard let text = body.amount, let amount = try? Amount(parsing: text) else {
            throw NativeError.badRequest("amount: a decimal amount in the account's currency, as a string (\"12.50\")")
        }
        let description = body.description ?? "by operator \(operatorToken.name)"
        let posting = LedgerPosting(
            accountID: id,
            type: type,
            amount: amount,
            performedAt: state.now(),
            description: description,
            reference: body.reference,
            fingerprint: body.reference == nil ? nil : "\(type.rawValue)|\(amount.units)|\(description)"
        )
        switch try await state.ledger.post([posting]).first {
        case .posted(let transaction):
            state.logger.notice(
                "operator entry posted",
                metadata: ["operator": "\(operatorToken.id)", "account": "\(id)", "type": "\(type.rawValue)", "amount": "\(amount.plainText)"]
            )
            await state.audit(
                operatorToken,
                "ledger.post",
                target: "account:\(id)",
                detail: "\(type.rawValue) \(amount.plainText) \(transaction.currency.rawValue), transaction \(transaction.id)"
            )
            return NativeEncoding.json(text: TransactionRecord(transaction).jsonText, status: .created)
        case .repeated(let transaction): return NativeEncoding.json(text: TransactionRecord(transaction).jsonText)
        case .refused(.unknownAccount): throw NativeError.notFound("no account \(id)")
        case .refused(.referenceConflict(let reference)):
            throw NativeError.conflict("the reference '\(reference)' was already used for another entry")
        case .refused(let refusal): throw NativeError.badRequest("\(refusal)")
        case nil: throw NativeError.badRequest("nothing was posted")
        }
    }

    struct LimitBody: Decodable {
        let creditLimit: String?
        enum CodingKeys: String, CodingKey { case creditLimit = "credit_limit" }
    }

    func creditLimit(_ request: Request, context: Context) async throws -> Response {
        let operatorToken = try await NativeAuth.operator(request, state: state)
        let id = try Self.accountID(context)
        let body = try await NativeEncoding.decode(LimitBody.self, request, upTo: Self.maxBodyBytes)
        guard let text = body.creditLimit else { throw NativeError.badRequest(Self.creditLimitRule) }
        let limit = try Self.creditLimit(text)
        guard try await state.store.ledger.setCreditLimit(accountID: id, to: limit) else { throw NativeError.notFound("no account \(id)") }
        state.logger.notice("credit limit set", metadata: ["operator": "\(operatorToken.id)", "account": "\(id)", "limit": "\(limit.plainText)"])
        await state.audit(operatorToken, "credit_limit.set", target: "account:\(id)", detail: "credit limit \(limit.plainText)")
        guard let money = try await state.store.ledger.balance(accountID: id) else { throw NativeError.notFound("no account \(id)") }
        return try NativeEncoding.json(BalanceRecord(money))
    }
}
