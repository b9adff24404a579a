import Foundation
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

extension VoximplantPlatform {
    /// GetAccountInfo: the account, its currency, balance and credit limit. The balance is
    /// always the live one (read from the ledger), so `return_live_balance` changes nothing.
    func accountInfo(_ parameters: PlatformParameters, account: Account, request: Request) async throws -> ByteBuffer {
        _ = try parameters.bool("return_live_balance")
        guard let money = try await state.store.ledger.balance(accountID: account.id) else {
            throw VoximplantError.internalError()
        }
        let info = AccountInfoBody.Info(
            accountId: account.id,
            accountName: account.name,
            accountEmail: account.email ?? "",
            created: account.createdAt.spaceSeparated,
            languageCode: "en",
            location: "Etc/GMT",
            active: true,
            frozen: false,
            balance: money.balance.decimal,
            creditLimit: money.creditLimit.decimal,
            currency: account.currency.rawValue,
            minBalanceToNotify: 0,
            accountNotifications: false,
            tariffChangingNotifications: false,
            newsNotifications: false,
            supportRobokassa: false,
            supportBankCard: false,
            supportInvoice: false,
            sendJsError: false
        )
        // The address the client should keep using: the public one, or the Host it reached if allowed.
        return try VoximplantEncoding.json(AccountInfoBody(result: info, apiAddress: address.authority(for: request)))
    }

    /// GetTransactionHistory: the account's ledger between `from_date` and `to_date`
    /// (inclusive, in `timezone`), filtered by id and type, paged by `count` and `offset`.
    /// Types Voximplant has and Tariff never records (`gift`, `promo`, ...) match nothing.
    func transactionHistory(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let zone = try Self.timeZone(parameters.string("timezone"))
        guard let from = try parameters.date("from_date") else { throw VoximplantError.missingArgument("from_date") }
        guard let to = try parameters.date("to_date") else { throw VoximplantError.missingArgument("to_date") }
        guard from <= to else { throw VoximplantError.invalidArgument("to_date", "earlier than from_date") }
        let count = try parameters.int("count", in: 1...1000) ?? 20
        let offset = try parameters.int("offset", in: 0...10000) ?? 0
        for flag in ["children_transactions_only", "users_transactions_only", "with_total_count", "is_uncommitted"] {
            _ = try parameters.bool(flag)
        }
        let descending = try parameters.bool("desc_order") ?? false
        var query = TransactionQuery(
            accountID: account.id,
            from: zone.utc(from),
            until: zone.utc(to).adding(seconds: 1),
            descending: descending,
            offset: offset,
            limit: count
        )
        if let ids = try parameters.ids("transaction_id") {
            guard ids.count <= 1000 else { throw VoximplantError.invalidArgument("transaction_id", "at most 1000 ids") }
            query.ids = ids.sorted().map(Int64.init)
        }
        if let names = parameters.list("transaction_type") { query.types = Set(names.compactMap(TransactionType.init(rawValue:))) }
        // Only Voximplant's own filters that Tariff does not keep (a nil set would mean all).
        let page =
            query.types?.isEmpty == true || parameters.string("is_uncommitted") == "true"
            ? TransactionPage(transactions: [], totalCount: 0) : try await state.store.ledger.transactions(query)
        let rows = page.transactions.map { transaction in
            TransactionHistoryBody.Transaction(
                transactionId: transaction.id,
                accountId: String(transaction.accountID),
                performedAt: zone.local(transaction.performedAt).spaceSeparated,
                amount: transaction.amount.decimal,
                currency: transaction.currency.rawValue,
                transactionType: transaction.type.rawValue,
                transactionDescription: transaction.description
            )
        }
        return try VoximplantEncoding.json(
            TransactionHistoryBody(result: rows, totalCount: page.totalCount, count: rows.count, timezone: zone.name)
        )
    }

    /// The zone a history is read and written in: `Etc/GMT` without one (the Python SDK sends
    /// none and reads every time as UTC), the account's (`auto`: Etc/GMT) or any IANA name.
    static func timeZone(_ name: String?) throws(VoximplantError) -> HistoryZone {
        guard let name, name != "auto", name != "Etc/GMT" else { return HistoryZone(name: "Etc/GMT", zone: nil) }
        guard let zone = TimeZone(identifier: name) else { throw .invalidArgument("timezone", "'\(name)' is not a time zone") }
        return HistoryZone(name: name, zone: zone)
    }

    /// GetCurrencyRate: how many of each currency one US dollar buys, today or on `date`
    /// (Voximplant's `RUR` is the rouble, RUB).
    func currencyRate(_ parameters: PlatformParameters) throws -> ByteBuffer {
        guard let codes = parameters.list("currency") else { throw VoximplantError.missingArgument("currency") }
        let exchange = state.exchange
        let table = try parameters.date("date").map { ExchangeRateTable(rates: exchange.history, asOf: $0) } ?? exchange.table
        var rates: [String: Decimal] = [:]
        for text in codes {
            let name = text.uppercased()
            guard let code = CurrencyCode(name == "RUR" ? "RUB" : name), state.reference.currencies.all[code] != nil else {
                throw VoximplantError.invalidArgument("currency", "'\(text)' is not an ISO 4217 currency")
            }
            guard let rate = table.rate(from: .USD, to: code) else {
                throw VoximplantError.invalidArgument("currency", "no exchange rate between USD and \(code) on that date")
            }
            rates[name] = rate.decimal
        }
        return try VoximplantEncoding.json(ResultBody(result: rates), snakeCase: false)
    }
}

/// A time zone for the transaction history: instants shown as local times and back.
struct HistoryZone {
    let name: String
    /// nil: UTC.
    let zone: TimeZone?

    /// The local time of `instant`, as an instant whose UTC fields are the local ones.
    func local(_ instant: Instant) -> Instant {
        guard let zone else { return instant }
        return instant.adding(seconds: Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant.secondsSince1970)))))
    }

    /// The instant of a local time written in UTC fields (the offset in force then: a time in
    /// a daylight-saving gap or overlap is read with the offset of the instant it names).
    func utc(_ local: Instant) -> Instant {
        guard let zone else { return local }
        let guess = local.adding(seconds: -Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local.secondsSince1970)))))
        return local.adding(seconds: -Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess.secondsSince1970)))))
    }
}

extension LedgerTotal {
    /// The exact value as a JSON number.
    var decimal: Decimal { Decimal(string: plainText) ?? 0 }
}
