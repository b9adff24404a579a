import Testing

@testable import TariffCore

private typealias W = TestWorld

/// The one problem a file must be rejected with, as `FILE:LINE: column: message`.
func onlyProblem(
    _ csv: String,
    options: DeckOptions = W.options(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    let problems = W.problems(csv, options: options)
    #expect(problems.count == 1, "expected one problem, got \(problems)", sourceLocation: sourceLocation)
    return problems.first?.description ?? "(the file imported)"
}

func rateTerms(
    _ price: String,
    _ currency: String,
    increment: BillingIncrement?,
    fee: String = "0",
    description: String = "",
    resource: String
) -> RateTerms {
    RateTerms(
        price: W.amount(price),
        currency: W.currency(currency),
        increment: increment,
        connectFee: W.amount(fee),
        description: description,
        resource: resource
    )
}

func key(
    _ product: Product,
    _ origin: OriginScope = .any,
    country: String? = nil,
    network: String? = nil,
    prefix: String? = nil,
    numberType: String? = nil
) -> RateKey {
    RateKey(product: product, origin: origin, country: country, network: network, prefix: prefix, numberType: numberType)
}
