import TariffCore
import TariffStore

/// Every price plan and which account is on which, as read from the store at `stamp`.
struct PlanDirectory: Sendable {
    let stamp: String
    let schedules: [String: PlanSchedule]
    let assignments: [Int64: String]

    static let empty = PlanDirectory(stamp: "", schedules: [:], assignments: [:])

    static func load(_ store: any TariffStore, reference: ReferenceData) async throws -> PlanDirectory {
        let stamp = try await store.plans.stamp()
        let versions = try await store.plans.versions()
        let assignments = try await store.plans.assignments()
        return PlanDirectory(stamp: stamp, schedules: try StoredPlanVersion.schedules(versions, reference: reference), assignments: assignments)
    }

    /// The plan `accountID` is on; nil for none (the deck's prices).
    func schedule(for accountID: Int64) -> PlanSchedule? {
        assignments[accountID].flatMap { schedules[$0] }
    }
}
