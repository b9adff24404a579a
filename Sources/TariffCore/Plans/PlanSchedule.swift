/// One version of a price plan: its rules, from `effectiveFrom` until a later version.
/// Versions are only ever added, as deck versions are.
public struct PlanVersion: Sendable, Hashable {
    /// The store's id: of two versions starting at one instant, the higher wins.
    public let id: Int64
    public let effectiveFrom: Instant
    public let createdAt: Instant
    public let plan: PricePlan

    public init(id: Int64, effectiveFrom: Instant, createdAt: Instant, plan: PricePlan) {
        self.id = id
        self.effectiveFrom = effectiveFrom
        self.createdAt = createdAt
        self.plan = plan
    }
}

/// Every version of one plan, in the order they apply.
public struct PlanSchedule: Sendable, Hashable {
    public let name: String
    /// By effective date, then id.
    public let versions: [PlanVersion]

    public init(name: String, versions: [PlanVersion]) {
        self.name = name
        self.versions = versions.sorted { ($0.effectiveFrom, $0.id) < ($1.effectiveFrom, $1.id) }
    }

    /// The version in force at `instant`; nil before the first, when prices are the deck's.
    public func version(at instant: Instant) -> PlanVersion? {
        versions.last { $0.effectiveFrom <= instant }
    }

    /// The first instant after `instant` at which another version takes effect.
    public func nextChange(after instant: Instant) -> Instant? {
        versions.first { $0.effectiveFrom > instant }?.effectiveFrom
    }
}

/// What a plan did to one price, for explanations: the plan and version, and the steps from
/// the deck's price (the cost) to the account's.
public struct PlanApplication: Sendable, Hashable {
    public let plan: String
    public let version: Int64
    public let priced: PlannedPrice
    /// The override deck whose own row gave the price; nil when the rules did.
    public var ownDeck: String? = nil
    /// False when an own price is in another currency than the deck's: no margin can be told.
    public var hasMargin = true

    public init(plan: String, version: Int64, priced: PlannedPrice, ownDeck: String? = nil, hasMargin: Bool = true) {
        self.plan = plan
        self.version = version
        self.priced = priced
        self.ownDeck = ownDeck
        self.hasMargin = hasMargin
    }

    /// What made the price: `own price from deck acme`, `rule "sms-outbound ES: +15 %" (line 2)`
    /// or `no rule matched`.
    public var source: String {
        ownDeck.map { "own price from deck \($0)" } ?? priced.rule.map { "rule \"\($0.label)\"" + ($0.line > 0 ? " (line \($0.line))" : "") }
            ?? "no rule matched"
    }

    /// `plan gold (version 3): rule "sms-outbound ES: +15 %" (line 2): cost 0.05, +15 % = 0.0575`.
    public var explanation: String {
        "plan \(plan) (version \(version)): \(source): " + priced.steps.joined(separator: ", ")
    }
}
