import TariffCore
import TariffStore

extension LiveState {
    /// A number's installation and monthly fees in `currency`, at the price and exchange rates
    /// in force now, with the row and conversion that explain them.
    func subscriptionFees(for number: StockNumber, currency: CurrencyCode) throws(NumberError) -> SubscriptionFees {
        let now = now()
        let key = number.priceKey
        guard let price = book.numberPrice(country: key.country, category: key.category, regionCode: key.regionCode, at: now), let terms = price.terms
        else { throw .noPrice("no subscription price for \(number.number.e164) (\(key.label)) now") }
        let table = exchangeRates
        do {
            let installation = try table.convert(Money(terms.installation, terms.currency), to: currency).amount
            let monthly = try table.convert(Money(terms.monthly, terms.currency), to: currency).amount
            var note = "\(price.key.label): \(terms.installation.plainText) + \(terms.monthly.plainText)/month \(terms.currency.rawValue)"
            note += ", deck version \(price.deckVersion)"
            let used = table.ratesUsed(from: terms.currency, to: currency) ?? []
            for rate in used {
                note += ", 1 \(rate.base.rawValue) = \(rate.rate) \(rate.quote.rawValue) on \(rate.date.date) (\(rate.source))"
            }
            func explanation(_ fee: Amount, _ converted: Amount, unit: String) -> ChargeExplanation {
                ChargeExplanation(
                    fee: fee,
                    unit: unit,
                    number: number.number,
                    price: price,
                    terms: terms,
                    converted: converted,
                    currency: currency,
                    ratesUsed: used,
                    at: now
                )
            }
            return SubscriptionFees(
                installation: installation,
                monthly: monthly,
                note: note,
                installationExplanation: explanation(terms.installation, installation, unit: "installation"),
                monthlyExplanation: explanation(terms.monthly, monthly, unit: "months")
            )
        } catch {
            throw .noPrice("the subscription price of \(number.number.e164) cannot be converted into \(currency.rawValue): \(error)")
        }
    }

    /// Rents numbers to `account` at today's prices in its currency.
    func rent(_ selection: RentalRequest.Selection, for account: Account) async throws -> [RentedSubscription] {
        let currency = account.currency
        return try await store.numbers.rent(RentalRequest(accountID: account.id, selection: selection), now: now()) { number in
            try self.subscriptionFees(for: number, currency: currency)
        }
    }
}
