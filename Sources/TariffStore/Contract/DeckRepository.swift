public import TariffCore

/// Deck versions and the rate versions they added. Rows are only ever appended.
public protocol DeckRepository: Sendable {
    /// Every version of a deck, oldest first.
    func versions(deck: String) async throws -> [DeckVersion]
    /// The newest version's id (nil for an empty deck): cheap, for polling.
    func latestVersion(deck: String) async throws -> Int64?
    /// The rate versions stored after deck version `after` (0: all of them): what a book
    /// already holding `after` lacks.
    func rates(deck: String, after: Int64) async throws -> [Rate]
    /// Every version of the rates of `product` (of one `origin` list, or of all when nil) whose
    /// prefix is one of `prefixes`, and of its rates without a prefix; nil for every rate of the
    /// product. Read through an index, for answers that concern a few numbers or keys.
    func rates(deck: String, product: Product, origin: OriginScope?, prefixes: [String]?) async throws -> [Rate]
    /// The subscription price versions stored after deck version `after` (0: all of them).
    func numberPrices(deck: String, after: Int64) async throws -> [NumberPrice]
    /// The metered service price versions stored after deck version `after` (0: all of them).
    func servicePrices(deck: String, after: Int64) async throws -> [ServicePrice]
    /// The subscription template versions stored after deck version `after` (0: all of them).
    func templatePrices(deck: String, after: Int64) async throws -> [TemplatePrice]
    /// Stores a new deck version and its rows in one transaction: all or nothing.
    /// Throws `StoreError.deckChanged` when the deck's latest version is not `commit.basedOn`.
    func commit(_ commit: DeckCommit) async throws -> DeckVersion
}

extension DeckRepository {
    /// Every rate version of a deck.
    public func rates(deck: String) async throws -> [Rate] { try await rates(deck: deck, after: 0) }
    /// Every subscription price version of a deck.
    public func numberPrices(deck: String) async throws -> [NumberPrice] { try await numberPrices(deck: deck, after: 0) }
    /// Every metered service price version of a deck.
    public func servicePrices(deck: String) async throws -> [ServicePrice] { try await servicePrices(deck: deck, after: 0) }
    /// Every subscription template version of a deck.
    public func templatePrices(deck: String) async throws -> [TemplatePrice] { try await templatePrices(deck: deck, after: 0) }
}

/// One import, as stored.
public struct DeckVersion: Sendable, Hashable {
    public let id: Int64
    public let deck: String
    public let kind: String
    public let source: String
    public let createdAt: Instant
    /// Data rows in the imported file.
    public let rowCount: Int
    /// Versions the import appended (unchanged rows add none).
    public let additions: Int
    public let summary: ChangeSummary
    public let isDemo: Bool

    public init(
        id: Int64,
        deck: String,
        kind: String,
        source: String,
        createdAt: Instant,
        rowCount: Int,
        additions: Int,
        summary: ChangeSummary,
        isDemo: Bool
    ) {
        self.id = id
        self.deck = deck
        self.kind = kind
        self.source = source
        self.createdAt = createdAt
        self.rowCount = rowCount
        self.additions = additions
        self.summary = summary
        self.isDemo = isDemo
    }
}

/// What an import writes: the version's description and the rows it appends.
public struct DeckCommit: Sendable {
    public var deck: String
    public var kind: String
    public var source: String
    public var createdAt: Instant
    public var rowCount: Int
    public var summary: ChangeSummary
    public var isDemo: Bool
    public var rates: [Rate]
    public var numberPrices: [NumberPrice]
    public var servicePrices: [ServicePrice]
    public var templatePrices: [TemplatePrice]
    /// The deck's latest version when the import read the stored prices it planned against
    /// (nil: the deck had none). The commit is refused if the deck has moved since, so that
    /// two imports at once cannot merge into a list that neither file holds.
    public var basedOn: Int64?

    public init(
        deck: String,
        kind: String,
        source: String,
        createdAt: Instant,
        rowCount: Int,
        summary: ChangeSummary,
        isDemo: Bool,
        rates: [Rate],
        numberPrices: [NumberPrice],
        servicePrices: [ServicePrice] = [],
        templatePrices: [TemplatePrice] = [],
        basedOn: Int64?
    ) {
        self.servicePrices = servicePrices
        self.templatePrices = templatePrices
        self.basedOn = basedOn
        self.deck = deck
        self.kind = kind
        self.source = source
        self.createdAt = createdAt
        self.rowCount = rowCount
        self.summary = summary
        self.isDemo = isDemo
        self.rates = rates
        self.numberPrices = numberPrices
    }
}
