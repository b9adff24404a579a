import Foundation
import Hummingbird
import NIOCore
import TariffCore

extension VoximplantPlatform {
    /// GetAccountInfo: the account, its currency and balance (zero until billing lands).
    func accountInfo(_ parameters: PlatformParameters, account: Account, request: Request) throws -> ByteBuffer {
        _ = try parameters.bool("return_live_balance")
        let info = AccountInfoBody.Info(
            accountId: account.id,
            accountName: account.name,
            accountEmail: account.email ?? "",
            created: account.createdAt.spaceSeparated,
            languageCode: "en",
            location: "Etc/GMT",
            active: true,
            frozen: false,
            balance: 0,
            creditLimit: 0,
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

    /// GetTransactionHistory: the arguments are checked as Voximplant checks them; there are
    /// no transactions until billing lands, and the answer has its full shape.
    func transactionHistory(_ parameters: PlatformParameters, account: Account) throws -> ByteBuffer {
        guard let from = try parameters.date("from_date") else { throw VoximplantError.missingArgument("from_date") }
        guard let to = try parameters.date("to_date") else { throw VoximplantError.missingArgument("to_date") }
        guard from <= to else { throw VoximplantError.invalidArgument("to_date", "earlier than from_date") }
        _ = try parameters.int("count", in: 1...1000)
        _ = try parameters.int("offset", in: 0...10000)
        for flag in ["children_transactions_only", "users_transactions_only", "desc_order", "with_total_count", "is_uncommitted"] {
            _ = try parameters.bool(flag)
        }
        let timezone = parameters.string("timezone") ?? "Etc/GMT"
        return try VoximplantEncoding.json(TransactionHistoryBody(result: [], totalCount: 0, count: 0, timezone: timezone))
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
