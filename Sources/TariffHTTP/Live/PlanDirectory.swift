import TariffCore
import TariffStore

/// Every price plan, which account is on which, and the override decks the plans name, as read
/// from the store at `stamp`.
struct PlanDirectory: Sendable {
    let stamp: String
    let schedules: [String: PlanSchedule]
    let assignments: [Int64: String]
    /// Small decks of accounts' own prices, compiled whole when they change.
    let overrides: [String: RateBook]

    static func load(_ store: any TariffStore, reference: ReferenceData) async throws -> PlanDirectory {
        let stamp = try await store.plans.stamp()
        let versions = try await store.plans.versions()
        let assignments = try await store.plans.assignments()
        let schedules = try StoredPlanVersion.schedules(versions, reference: reference)
        let overrides = try await StoredPlanVersion.overrideBooks(schedules.values, store: store, reference: reference)
        return PlanDirectory(stamp: stamp, schedules: schedules, assignments: assignments, overrides: overrides)
    }

    /// What a value derived through these plans depends on: the store's stamp and the versions
    /// of the override decks (which change without it).
    var cacheStamp: String {
        overrides.keys.sorted().reduce(stamp) { $0 + "/\($1)@\(overrides[$1]!.version)" }
    }

    /// The plan `accountID` is on; nil for none (the deck's prices).
    func schedule(for accountID: Int64) -> PlanSchedule? {
        assignments[accountID].flatMap { schedules[$0] }
    }

    /// `book` as `accountID` sees it.
    func book(_ book: RateBook, for accountID: Int64) -> PricedBook {
        PricedBook(book, plan: schedule(for: accountID), overrides: overrides)
    }

    /// `book` through the plan named `name`; nil when there is no such plan.
    func book(_ book: RateBook, plan name: String) -> PricedBook? {
        schedules[name].map { PricedBook(book, plan: $0, overrides: overrides) }
    }

    /// Whether the store has a newer version of an override deck than the one compiled.
    func overridesAreStale(_ store: any TariffStore) async throws -> Bool {
        for (deck, book) in overrides where try await (store.decks.latestVersion(deck: deck) ?? 0) != book.version { return true }
        return false
    }
}
