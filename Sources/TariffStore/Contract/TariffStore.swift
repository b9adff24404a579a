import TariffCore

/// The store contract. SQLite implements it today (a file, zero configuration); a PostgreSQL
/// engine implements the same protocols for several nodes, and the same contract tests run
/// against both.
public protocol TariffStore: Sendable {
    var reference: any ReferenceRepository { get }
    var decks: any DeckRepository { get }
    var exchangeRates: any ExchangeRateRepository { get }
    var accounts: any AccountRepository { get }
    /// Where a compiled book of `deck` may be kept between runs (``RateBookFile``), beside
    /// the data it was compiled from; nil when there is no such place (an in-memory database).
    func bookFilePath(deck: String) -> String?
    /// Creates or upgrades the schema to the latest migration.
    func migrate() async throws
    func close() async throws
}

/// Countries, currencies, networks and number ranges.
public protocol ReferenceRepository: Sendable {
    /// Whether reference data has been loaded.
    func isLoaded() async throws -> Bool
    /// Loads the tables in one transaction (replacing any loaded before).
    func load(_ tables: ReferenceTables) async throws
    /// The tables as stored.
    func tables() async throws -> ReferenceTables
}

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
    /// Stores a new deck version and its rows in one transaction: all or nothing.
    /// Throws `StoreError.deckChanged` when the deck's latest version is not `commit.basedOn`.
    func commit(_ commit: DeckCommit) async throws -> DeckVersion
}

extension DeckRepository {
    /// Every rate version of a deck.
    public func rates(deck: String) async throws -> [Rate] { try await rates(deck: deck, after: 0) }
    /// Every subscription price version of a deck.
    public func numberPrices(deck: String) async throws -> [NumberPrice] { try await numberPrices(deck: deck, after: 0) }
}

/// Exchange rates with their dates and sources.
public protocol ExchangeRateRepository: Sendable {
    /// Stores rates; a rate for the same day and pair replaces the one stored. Returns how many were written.
    func store(_ rates: [ExchangeRate], importedAt: Instant) async throws -> Int
    func all() async throws -> [ExchangeRate]
    /// Changes whenever rates are stored: cheap, for polling.
    func stamp() async throws -> String
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

    public init(id: Int64, deck: String, kind: String, source: String, createdAt: Instant, rowCount: Int, additions: Int, summary: ChangeSummary, isDemo: Bool) {
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
    /// The deck's latest version when the import read the stored prices it planned against
    /// (nil: the deck had none). The commit is refused if the deck has moved since, so that
    /// two imports at once cannot merge into a list that neither file holds.
    public var basedOn: Int64?

    public init(deck: String, kind: String, source: String, createdAt: Instant, rowCount: Int, summary: ChangeSummary,
                isDemo: Bool, rates: [Rate], numberPrices: [NumberPrice], basedOn: Int64?) {
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

/// The reference tables as plain rows.
public struct ReferenceTables: Sendable {
    public var countries: [Country]
    public var currencies: [Currency]
    public var networks: [MobileNetwork]
    public var ranges: [NumberRange]

    public init(countries: [Country], currencies: [Currency], networks: [MobileNetwork], ranges: [NumberRange]) {
        self.countries = countries
        self.currencies = currencies
        self.networks = networks
        self.ranges = ranges
    }

    /// Compiles the tables for lookups.
    /// Compiles the tables for lookups, with the possible number lengths this build ships
    /// (they are not stored: a database made by an older build gets them too).
    public func compile() throws -> ReferenceData {
        try ReferenceData(countries: countries, currencies: currencies, networks: networks, ranges: ranges,
                          possibleLengths: try ShippedReferenceData.possibleLengths())
    }
}

/// Accounts, their API keys and their Voximplant service keys.
public protocol AccountRepository: Sendable {
    /// Creates an account with its first API key, in one transaction. An `email` already held
    /// by another account (compared without ASCII case) fails the transaction.
    func create(name: String, email: String?, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account
    func accounts() async throws -> [Account]
    func account(id: Int64) async throws -> Account?
    /// The account with this name; nil when none has it, and also when several do, because
    /// names are not unique and a shared name must not stand for either account.
    func account(name: String) async throws -> Account?
    /// The account with this e-mail address, compared without ASCII case.
    func account(email: String) async throws -> Account?
    func credentials(accountID: Int64) async throws -> [APICredential]
    func credential(apiKey: String) async throws -> APICredential?
    /// Gives a key a new secret (the old one stops working at once); false if the key is unknown.
    func replaceSecret(apiKey: String, with credential: NewCredential, now: Instant) async throws -> Bool

    /// Stores the public half of a new service key; nil, and nothing stored, when the account
    /// does not exist.
    func addServiceKey(keyID: String, accountID: Int64, publicKeyPEM: String, now: Instant) async throws -> ServiceKey?
    /// An account's service keys, revoked ones included, oldest first.
    func serviceKeys(accountID: Int64) async throws -> [ServiceKey]
    func serviceKey(keyID: String) async throws -> ServiceKey?
    /// Stops a key being accepted from `now` on; false if the key is unknown or already revoked
    /// (the first revocation time is kept).
    func revokeServiceKey(keyID: String, now: Instant) async throws -> Bool
}

extension AccountRepository {
    /// Creates an account without an e-mail address.
    public func create(name: String, currency: CurrencyCode, deck: String, credential: NewCredential, now: Instant) async throws -> Account {
        try await create(name: name, email: nil, currency: currency, deck: deck, credential: credential, now: now)
    }
}

/// A key and its secret's stored form, as ``Credentials`` makes them.
public struct NewCredential: Sendable, Hashable {
    public let apiKey: String
    public let secretHash: String
    public let salt: String

    public init(apiKey: String, secretHash: String, salt: String) {
        self.apiKey = apiKey
        self.secretHash = secretHash
        self.salt = salt
    }
}
