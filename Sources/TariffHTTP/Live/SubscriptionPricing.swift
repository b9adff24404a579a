import TariffCore
import TariffStore

extension LiveState {
    /// A number's installation and monthly fees in `currency`, at the price and exchange rates
    /// in force now, with the row and conversion that explain them.
    func subscriptionFees(for number: StockNumber, account: Account) throws(NumberError) -> SubscriptionFees {
        let now = now()
        let key = number.priceKey
        let currency = account.currency
        guard let price = book(for: account).numberPrice(country: key.country, category: key.category, regionCode: key.regionCode, at: now),
            let terms = price.terms
        else { throw .noPrice("no subscription price for \(number.number.e164) (\(key.label)) now") }
        do {
            return try fees(
                installation: terms.installation,
                monthly: terms.monthly,
                in: terms.currency,
                label: price.key.label,
                deckVersion: price.deckVersion,
                currency: currency
            ) { fee, converted, unit, used in
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
        } catch {
            throw .noPrice("the subscription price of \(number.number.e164) cannot be converted into \(currency.rawValue): \(error)")
        }
    }

    /// A template's installation and monthly fees in `currency`, at the price and exchange
    /// rates in force now.
    func templateFees(_ price: TemplatePrice, currency: CurrencyCode) throws(NumberError) -> SubscriptionFees {
        let now = now()
        guard let terms = price.terms else { throw .noPrice("the template \(price.key.name) is not offered now") }
        do {
            return try fees(
                installation: terms.installation,
                monthly: terms.monthly,
                in: terms.currency,
                label: "\(terms.type) \(price.key.name)",
                deckVersion: price.deckVersion,
                currency: currency
            ) { fee, converted, unit, used in
                ChargeExplanation(
                    fee: fee,
                    unit: unit,
                    template: price,
                    terms: terms,
                    converted: converted,
                    currency: currency,
                    ratesUsed: used,
                    at: now
                )
            }
        } catch {
            throw .noPrice("the price of \(price.key.name) cannot be converted into \(currency.rawValue): \(error)")
        }
    }

    /// A price's two fees converted into `currency` at the rates in force, with a note for the
    /// transactions' descriptions and each fee's explanation.
    private func fees(
        installation: Amount,
        monthly: Amount,
        in priceCurrency: CurrencyCode,
        label: String,
        deckVersion: Int64,
        currency: CurrencyCode,
        explanation: (_ fee: Amount, _ converted: Amount, _ unit: String, _ used: [ExchangeRate]) -> ChargeExplanation
    ) throws(ConversionError) -> SubscriptionFees {
        let table = exchangeRates
        let convertedInstallation = try table.convert(Money(installation, priceCurrency), to: currency).amount
        let convertedMonthly = try table.convert(Money(monthly, priceCurrency), to: currency).amount
        var note = "\(label): \(installation.plainText) + \(monthly.plainText)/month \(priceCurrency.rawValue), deck version \(deckVersion)"
        let used = table.ratesUsed(from: priceCurrency, to: currency) ?? []
        for rate in used {
            note += ", 1 \(rate.base.rawValue) = \(rate.rate) \(rate.quote.rawValue) on \(rate.date.date) (\(rate.source))"
        }
        return SubscriptionFees(
            installation: convertedInstallation,
            monthly: convertedMonthly,
            note: note,
            installationExplanation: explanation(installation, convertedInstallation, "installation", used),
            monthlyExplanation: explanation(monthly, convertedMonthly, "months", used),
            currency: currency
        )
    }

    /// Rents numbers to `account` at today's prices in its currency.
    func rent(_ selection: RentalRequest.Selection, for account: Account) async throws -> [RentedSubscription] {
        try await store.numbers.rent(RentalRequest(accountID: account.id, selection: selection), now: now()) { number in
            try self.subscriptionFees(for: number, account: account)
        }
    }

    /// Subscribes `account` to the template `name` at today's price in its currency, when it is
    /// offered now and `requireType` accepts its type.
    func subscribe(
        _ account: Account,
        template name: String,
        label: String,
        attributes: [String: String],
        requireType: (String) -> Bool
    ) async throws -> RentedServiceSubscription {
        guard let price = book(for: account).templates.price(of: name, at: now()), let terms = price.terms, requireType(terms.type) else {
            throw NumberError.noPrice("no subscription template '\(name)' of this kind is offered now")
        }
        let fees = try templateFees(price, currency: account.currency)
        let request = ServiceSubscriptionRequest(accountID: account.id, template: name, terms: terms, label: label, attributes: attributes)
        return try await store.serviceSubscriptions.subscribe(request, now: now(), fees: fees)
    }
}
