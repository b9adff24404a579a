/// Units of a metered product used once: characters synthesised, seconds recognised, a
/// recording's minutes. Checked (ranges included) by ``UsageRecord/init(validating:now:)``.
public struct ServiceUsage: Sendable, Hashable {
    public let product: String
    public let variant: String?
    public let country: String?
    public let units: Int

    public init(product: String, variant: String?, country: String?, units: Int) {
        self.product = product
        self.variant = variant
        self.country = country
        self.units = units
    }

    /// The charge for this usage, priced in `book` at `instant` and converted into `currency`.
    func posting(
        id: String,
        fingerprint: String,
        at instant: Instant,
        accountID: Int64,
        currency: CurrencyCode,
        book: PricedBook,
        exchange: ExchangeRateTable
    ) throws(UsageProblem) -> LedgerPosting {
        let quote: ServiceQuote
        do { quote = try book.services.quote(product: product, variant: variant, country: country, at: instant) } catch {
            throw .unchargeable("\(error)")
        }
        let rated: RatedUsage
        do { rated = try RatedUsage(service: quote, units: units, currency: currency, exchange: exchange) } catch { throw .unchargeable("\(error)") }
        let what = [product, variant, country].compactMap { $0 }.joined(separator: " ")
        let units = units
        let unit = quote.terms.unit
        var posting = LedgerPosting(
            accountID: accountID,
            type: .resourceCharge,
            amount: Amount(units: -rated.amount.units),
            performedAt: instant,
            description: "\(what), \(ServicePriceTerms.counted(units, unit))",
            reference: id,
            fingerprint: fingerprint,
            explanation: rated.explanation
        )
        posting.pricedIn = currency
        posting.product = product
        posting.country = country
        posting.draw = AllowanceDraw(product: product, variant: variant, units: units) { covered in
            guard let partly = try? RatedUsage(service: quote, units: units, included: covered, currency: currency, exchange: exchange) else {
                return nil
            }
            return (partly.amount, partly.explanation, "\(what), \(ServicePriceTerms.counted(units, unit)) (\(covered) included)")
        }
        return posting
    }
}
