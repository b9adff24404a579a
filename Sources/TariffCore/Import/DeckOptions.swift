/// The three kinds of file `tariff import` reads (see docs/deck-format.md).
public enum DeckKind: String, Sendable, CaseIterable, Codable {
    /// Tariff's own rate deck.
    case rates
    /// A carrier A–Z deck: one row per dial code, loose header names, change flags.
    case carrier
    /// Phone-number subscription prices (NRC and MRC).
    case numbers
    /// Subscription templates that are not numbers (SIP registrations, packages): NRC, MRC and
    /// the units of metered products a package includes.
    case templates
}

/// What the command line says about a file, where the file does not say it itself.
public struct DeckOptions: Sendable {
    public var kind: DeckKind
    public var product: Product?
    public var currency: CurrencyCode?
    public var origin: OriginScope?
    /// The default effective date of rows that give none, and the date absent rows close at.
    public var effectiveFrom: Instant?
    /// Apply only the rows given, keeping every other price.
    public var partial: Bool
    /// The import's clock: the default effective date when nothing else gives one.
    public var now: Instant
    /// The notice a price rise needs, in days: an import raising a price sooner than this
    /// after `now` is refused. Nil lets any rise through (`--allow-short-notice`).
    public var minimumNoticeDays: Int?

    /// The industry's usual notice of a rise, and Tariff's default.
    public static let defaultNoticeDays = 7
    /// The longest notice that can be asked for: ten years.
    public static let maximumNoticeDays = 3_650

    public init(
        kind: DeckKind = .rates,
        product: Product? = nil,
        currency: CurrencyCode? = nil,
        origin: OriginScope? = nil,
        effectiveFrom: Instant? = nil,
        partial: Bool = false,
        now: Instant,
        minimumNoticeDays: Int? = nil
    ) {
        self.minimumNoticeDays = minimumNoticeDays
        self.kind = kind
        self.product = product
        self.currency = currency
        self.origin = origin
        self.effectiveFrom = effectiveFrom
        self.partial = partial
        self.now = now
    }
}

/// A carrier deck's statement about a row, checked against the current prices.
public enum ChangeFlag: String, Sendable, Hashable {
    case new, increase, decrease, unchanged, closed

    init?(carrierText: String) {
        switch carrierText.lowercased() {
        case "new", "n", "added": self = .new
        case "increase", "increased", "i", "up": self = .increase
        case "decrease", "decreased", "d", "down": self = .decrease
        case "unchanged", "current", "u", "c", "same", "": self = .unchanged
        case "closed", "removed", "delete", "deleted", "x": self = .closed
        default: return nil
        }
    }
}

/// A validated row: the version it adds (terms nil: it closes the price), where it came from.
public struct DeckRow<Entry: TimelineEntry>: Sendable {
    public let line: Int
    public let entry: Entry
    public let flag: ChangeFlag?
}

/// A file read and validated, not yet compared with what is stored.
public struct ParsedDeck: Sendable {
    public let file: String
    public let kind: DeckKind
    public var rates: [DeckRow<Rate>] = []
    public var numberPrices: [DeckRow<NumberPrice>] = []
    /// Metered service rows of a rate deck (any product that is not a call or a message).
    public var servicePrices: [DeckRow<ServicePrice>] = []
    public var templatePrices: [DeckRow<TemplatePrice>] = []
    /// Data rows read (comments and blank lines excluded).
    public var rowCount = 0

    public init(file: String, kind: DeckKind) {
        self.file = file
        self.kind = kind
    }
}
