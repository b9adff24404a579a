public import TariffCore

/// What an account's price plan did to a price, as the native answers show it.
public struct PlanReport: Encodable, Sendable {
    let name: String
    let version: Int64
    /// The rule applied (`sms-outbound ES: +15 %`); nil when none matched.
    let rule: String?
    /// Its line in the plan file.
    let ruleLine: Int?
    /// The override deck whose own row gave the price.
    let ownDeck: String?
    /// The deck's price the plan started from.
    let deckPrice: String
    /// Absent when an own price is in another currency than the deck's.
    let margin: String?
    let steps: [String]
    /// `gold version 3: rule "sms-outbound ES: +15 %" (line 2): cost 0.05, +15 % = 0.0575`.
    let text: String

    enum CodingKeys: String, CodingKey { case name, version, rule, ruleLine, ownDeck, deckPrice, margin, steps }

    init(_ application: PlanApplication) {
        name = application.plan
        version = application.version
        rule = application.priced.rule?.label
        ruleLine = application.priced.rule.flatMap { $0.line > 0 ? $0.line : nil }
        ownDeck = application.ownDeck
        deckPrice = application.priced.cost.formatted()
        margin = application.hasMargin ? application.priced.margin.formatted() : nil
        steps = application.priced.steps
        text = "\(name) version \(version): \(application.source): " + steps.joined(separator: ", ")
    }
}
