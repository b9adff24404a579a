public import TariffCore

/// Price plans (versioned, effective-dated, append-only) and which account is on which.
public protocol PlanRepository: Sendable {
    /// Adds a version of a plan; the first version makes the plan.
    func add(_ version: NewPlanVersion, now: Instant) async throws -> StoredPlanVersion
    /// Every version of every plan, oldest first.
    func versions() async throws -> [StoredPlanVersion]
    /// Puts an account on a plan (nil: on none, the deck's prices). Refused for a plan that has
    /// no version and for a closed account.
    func assign(plan: String?, accountID: Int64, now: Instant) async throws -> AccountChange
    /// Which plan each account is on (accounts on none are absent).
    func assignments() async throws -> [Int64: String]
    /// Changes whenever a version is added or an account changes plan.
    func stamp() async throws -> String
}

/// A plan version to store: its rules as the CSV file they were read from (kept verbatim, so
/// that an explanation's line numbers are the file's), and its floors and rounding.
public struct NewPlanVersion: Sendable, Hashable {
    public let plan: String
    public let effectiveFrom: Instant
    public let rules: String
    public let minimumPrice: Amount
    public let minimumMargin: Amount
    public let rounding: Rounding?
    /// A deck of the account's own prices, used before the rules where it has the row.
    public let overrideDeck: String?

    public init(
        plan: String,
        effectiveFrom: Instant,
        rules: String,
        minimumPrice: Amount,
        minimumMargin: Amount,
        rounding: Rounding?,
        overrideDeck: String? = nil
    ) {
        self.plan = plan
        self.effectiveFrom = effectiveFrom
        self.rules = rules
        self.minimumPrice = minimumPrice
        self.minimumMargin = minimumMargin
        self.rounding = rounding
        self.overrideDeck = overrideDeck
    }

    /// A plan's name: 1–64 letters, digits, `-`, `_` or `.`, as a path segment takes it.
    public static func isName(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                $0 < 0x80 && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber || "-_.".utf8.contains($0))
            }
    }
}

/// A stored plan version.
public struct StoredPlanVersion: Sendable, Hashable {
    public let id: Int64
    public let createdAt: Instant
    public let version: NewPlanVersion

    public init(id: Int64, createdAt: Instant, version: NewPlanVersion) {
        self.id = id
        self.createdAt = createdAt
        self.version = version
    }

    /// The version compiled for pricing; the rules were checked when stored, so a failure here
    /// means the reference data no longer knows a country they name.
    public func compiled(reference: ReferenceData) throws(ImportFailure) -> PlanVersion {
        var reader = CSVReader(string: version.rules)
        let rules = try PlanFile.rules(&reader, file: "plan \(version.plan) version \(id)", reference: reference)
        let plan = PricePlan(
            name: version.plan,
            rules: rules,
            minimumPrice: version.minimumPrice,
            minimumMargin: version.minimumMargin,
            rounding: version.rounding,
            overrideDeck: version.overrideDeck
        )
        return PlanVersion(id: id, effectiveFrom: version.effectiveFrom, createdAt: createdAt, plan: plan)
    }

    /// Every plan's schedule from its stored versions.
    public static func schedules(_ versions: [StoredPlanVersion], reference: ReferenceData) throws(ImportFailure) -> [String: PlanSchedule] {
        var byPlan: [String: [PlanVersion]] = [:]
        for stored in versions { byPlan[stored.version.plan, default: []].append(try stored.compiled(reference: reference)) }
        return byPlan.reduce(into: [:]) { $0[$1.key] = PlanSchedule(name: $1.key, versions: $1.value) }
    }
}

extension PlanRepository {
    /// The schedule of plan `name`; nil when it has no version.
    public func schedule(named name: String, reference: ReferenceData) async throws -> PlanSchedule? {
        let versions = try await versions().filter { $0.version.plan == name }
        return try StoredPlanVersion.schedules(versions, reference: reference)[name]
    }

    /// The schedule of the plan `accountID` is on; nil for none.
    public func schedule(forAccount accountID: Int64, reference: ReferenceData) async throws -> PlanSchedule? {
        guard let name = try await assignments()[accountID] else { return nil }
        return try await schedule(named: name, reference: reference)
    }
}

extension StoredPlanVersion {
    /// The override decks `schedule`'s versions name, compiled (a deck with no version is an
    /// empty book: no own prices).
    public static func overrideBooks(
        _ schedules: some Sequence<PlanSchedule>,
        store: any TariffStore,
        reference: ReferenceData
    )
        async throws -> [String: RateBook]
    {
        var books: [String: RateBook] = [:]
        for deck in Set(schedules.flatMap { $0.versions.compactMap(\.plan.overrideDeck) }) {
            books[deck] = try await RateBookLoader.load(store: store, deck: deck, reference: reference)
        }
        return books
    }

    /// `book` through `schedule`, with the override decks it names compiled; `book` as it is
    /// without a plan. What a command line prices through (a server keeps its books loaded).
    public static func priced(
        _ book: RateBook,
        through schedule: PlanSchedule?,
        store: any TariffStore,
        reference: ReferenceData
    )
        async throws -> PricedBook
    {
        guard let schedule else { return PricedBook(book) }
        return PricedBook(book, plan: schedule, overrides: try await overrideBooks([schedule], store: store, reference: reference))
    }
}
