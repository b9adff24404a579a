import Hummingbird
import Logging
import TariffCore
import TariffStore

/// The operator's view of accounts, behind an operator token:
/// - `GET /v1/admin/accounts`: every account (`id`, `name`, `email`?, `currency`, `deck`, `created_at`).
/// - `POST /v1/admin/accounts` `{"name", "currency", "email"?}`: opens one; answers 201 with
///   `account_id`, `api_key` and `api_secret` (the secret is shown only in this answer).
/// - `GET /v1/admin/accounts/{id}`: one account, its API keys (never their secrets) and its money.
struct NativeAdminAccountsController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        let accounts = group.group("admin/accounts")
        accounts.get { request, _ in try await list(request) }
        accounts.post { request, _ in try await open(request) }
        accounts.get(":id") { request, context in try await show(request, context: context) }
    }

    struct AccountBody: Encodable {
        let id: Int64
        let name: String
        let email: String?
        let currency: String
        let deck: String
        let createdAt: String

        init(_ account: Account) {
            id = account.id
            name = account.name
            email = account.email
            currency = account.currency.rawValue
            deck = account.deck
            createdAt = account.createdAt.iso8601
        }
    }

    struct ListBody: Encodable {
        let accounts: [AccountBody]
        let totalCount: Int
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let accounts = try await state.store.accounts.accounts().map(AccountBody.init)
        return try NativeEncoding.json(ListBody(accounts: accounts, totalCount: accounts.count))
    }

    struct OpenBody: Decodable {
        let name: String?
        let currency: String?
        let email: String?
    }

    func open(_ request: Request) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let body = try await NativeEncoding.decode(OpenBody.self, request, upTo: NativeAdminController<Context>.maxBodyBytes)
        guard let name = body.name else { throw NativeError.badRequest("name: required") }
        guard let currency = body.currency else { throw NativeError.badRequest("currency: required, an ISO 4217 code") }
        let issued: AccountOpening.Issued
        do {
            issued = try await AccountOpening.open(
                AccountOpening.Request(name: name, currency: currency, email: body.email),
                store: state.store,
                now: state.now()
            )
        } catch let refusal as AccountOpening.Refusal {
            throw refusal.isConflict ? NativeError.conflict(refusal.description) : NativeError.badRequest(refusal.description)
        }
        state.logger.notice("account opened", metadata: ["operator": "\(token.id)", "account": "\(issued.accountId)"])
        return try NativeEncoding.json(issued, status: .created)
    }

    struct ShowBody: Encodable {
        let account: AccountBody
        let apiKeys: [String]
        let balance: BalanceRecord
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let id = try NativeAdminController<Context>.accountID(context)
        guard let account = try await state.store.accounts.account(id: id),
            let money = try await state.store.ledger.balance(accountID: id)
        else { throw NativeError.notFound("no such account") }
        let keys = try await state.store.accounts.credentials(accountID: id).map(\.apiKey)
        return try NativeEncoding.json(ShowBody(account: AccountBody(account), apiKeys: keys, balance: BalanceRecord(money)))
    }
}
