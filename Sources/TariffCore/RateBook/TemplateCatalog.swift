/// The subscription templates of a deck (SIP registrations, packages), compiled for lookups.
public struct TemplateCatalog: Sendable {
    /// Every version, in key order.
    public let prices: [TemplatePrice]
    private let timelines: [TemplateKey: Timeline<TemplatePrice>]

    public init(_ prices: [TemplatePrice]) {
        self.prices = prices.sorted { ($0.key, $0.effectiveFrom, $0.deckVersion) < ($1.key, $1.effectiveFrom, $1.deckVersion) }
        timelines = Dictionary(grouping: prices, by: \.key).mapValues { Timeline($0) }
    }

    /// This catalogue with a newer deck version's prices added.
    public func adding(_ added: [TemplatePrice]) -> TemplateCatalog { added.isEmpty ? self : TemplateCatalog(prices + added) }

    /// The templates in force at `instant`, by name.
    public func inForce(at instant: Instant) -> [TemplatePrice] {
        timelines.keys.sorted().compactMap { timelines[$0]?.at(instant) }
    }

    /// The version of `name` in force at `instant`, if it is offered then.
    public func price(of name: String, at instant: Instant) -> TemplatePrice? {
        timelines[TemplateKey(name: name)]?.at(instant)
    }
}
