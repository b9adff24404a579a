import Hummingbird
import Logging
import TariffCore
import TariffStore

/// The operator's view of accounts, behind an operator token:
/// - `GET /v1/admin/accounts`: every account (`id`, `name`, `email`?, `currency`, `deck`, `created_at`).
/// - `POST /v1/admin/accounts` `{"name", "currency", "email"?}`: opens one; answers 201 with
///   `account_id`, `api_key` and `api_secret` (the secret is shown only in this answer).
/// - `GET /v1/admin/accounts/{id}`: one account, its API keys (never their secrets) and its money.
/// - `PATCH /v1/admin/accounts/{id}` `{"currency"?, "credit_limit"?}`: changes them.
/// - `POST /v1/admin/accounts/{id}/close`: closes it.
struct NativeAdminAccountsController<Context: RequestContext> {
    let state: LiveState

    func addRoutes(to group: RouterGroup<Context>) {
        let accounts = group.group("admin/accounts")
        accounts.get { request, _ in try await list(request) }
        accounts.post { request, _ in try await open(request) }
        accounts.get(":id") { request, context in try await show(request, context: context) }
        accounts.patch(":id") { request, context in try await change(request, context: context) }
        accounts.post(":id/close") { request, context in try await close(request, context: context) }
    }

    struct AccountBody: Encodable {
        let id: Int64
        let name: String
        let email: String?
        let currency: String
        let deck: String
        let createdAt: String
        let closedAt: String?

        init(_ account: Account) {
            id = account.id
            name = account.name
            email = account.email
            currency = account.currency.rawValue
            deck = account.deck
            createdAt = account.createdAt.iso8601
            closedAt = account.closedAt?.iso8601
        }

        enum CodingKeys: String, CodingKey { case id, name, email, currency, deck, createdAt, closedAt }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(email, forKey: .email)
            try container.encode(currency, forKey: .currency)
            try container.encode(deck, forKey: .deck)
            try container.encode(createdAt, forKey: .createdAt)
            // Written as null while open: a client reads one shape, open or closed.
            try container.encode(closedAt, forKey: .closedAt)
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
        await state.audit(
            token,
            "account.open",
            target: "account:\(issued.accountId)",
            detail: "name \(name.debugDescription), currency \(currency), first key \(issued.apiKey)"
        )
        return try NativeEncoding.json(issued, status: .created)
    }

    struct ShowBody: Encodable {
        let account: AccountBody
        let apiKeys: [String]
        let balance: BalanceRecord
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        return try await detail(try NativeAdminController<Context>.accountID(context))
    }

    func detail(_ id: Int64) async throws -> Response {
        guard let account = try await state.store.accounts.account(id: id),
            let money = try await state.store.ledger.balance(accountID: id)
        else { throw NativeError.notFound("no such account") }
        let keys = try await state.store.accounts.credentials(accountID: id).map(\.apiKey)
        return try NativeEncoding.json(ShowBody(account: AccountBody(account), apiKeys: keys, balance: BalanceRecord(money)))
    }

    struct ChangeBody: Decodable {
        let currency: String?
        let creditLimit: String?
        enum CodingKeys: String, CodingKey {
            case currency
            case creditLimit = "credit_limit"
        }
    }

    /// `PATCH /v1/admin/accounts/{id}` `{"currency"?, "credit_limit"?}`: both checked before
    /// either is changed.
    func change(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let id = try NativeAdminController<Context>.accountID(context)
        let body = try await NativeEncoding.decode(ChangeBody.self, request, upTo: NativeAdminController<Context>.maxBodyBytes)
        guard body.currency != nil || body.creditLimit != nil else { throw NativeError.badRequest("give currency, credit_limit or both") }
        let currency = try body.currency.map { text in
            guard let code = CurrencyCode(text), state.reference.currencies[code] != nil else {
                throw NativeError.badRequest("currency: an ISO 4217 code Tariff knows, such as EUR")
            }
            return code
        }
        let limit = try body.creditLimit.map(NativeAdminController<Context>.creditLimit)
        let account = try await NativeAdminController<Context>.openAccount(context, state: state)
        if let currency {
            switch try await state.store.accounts.changeCurrency(accountID: id, to: currency) {
            case .changed(let changed) where changed.currency != account.currency:
                state.cacheEpoch.advance()
                await state.audit(
                    token,
                    "account.update",
                    target: "account:\(id)",
                    detail: "currency \(account.currency.rawValue) to \(currency.rawValue)"
                )
            case .changed: break
            case .unknownAccount: throw NativeError.notFound("no such account")
            case .refused(let reason): throw NativeError.conflict(reason)
            }
        }
        if let limit {
            guard try await state.store.ledger.setCreditLimit(accountID: id, to: limit) else { throw NativeError.notFound("no such account") }
            await state.audit(token, "credit_limit.set", target: "account:\(id)", detail: "credit limit \(limit.plainText)")
        }
        return try await detail(id)
    }

    /// `POST /v1/admin/accounts/{id}/close`: the account's keys stop working on this node at
    /// once (on PostgreSQL, on every node), and charges are refused by the ledger itself.
    func close(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let id = try NativeAdminController<Context>.accountID(context)
        // Closing again answers as the first close did, and is not audited twice.
        if let account = try await state.store.accounts.account(id: id), account.isClosed { return try await detail(id) }
        switch try await state.store.accounts.close(accountID: id, now: state.now()) {
        case .changed(let account):
            state.cacheEpoch.advance()
            await state.audit(token, "account.close", target: "account:\(id)", detail: "closed at \(account.closedAt?.iso8601 ?? "")")
        case .unknownAccount: throw NativeError.notFound("no such account")
        case .refused(let reason): throw NativeError.conflict(reason)
        }
        return try await detail(id)
    }
}
