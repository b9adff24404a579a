import TariffCore

struct PostgresPlanRepository: PlanRepository {
    let engine: PostgresEngine

    func add(_ version: NewPlanVersion, now: Instant) async throws -> StoredPlanVersion {
        try await engine.transaction { transaction in
            guard
                let id = try await transaction.select(
                    PlanRows.insert + " RETURNING id",
                    PlanRows.binds(version, now: now),
                    decode: { try $0.int("id") }
                ).first
            else { throw StoreError.corrupt("plan version id") }
            try await transaction.execute(PlanRows.bumpRevision)
            // Other nodes price through the new version at once instead of at their next poll.
            try await transaction.notify("plans")
            return StoredPlanVersion(id: id, createdAt: now, version: version)
        }
    }

    func versions() async throws -> [StoredPlanVersion] {
        try await engine.select(PlanRows.columns + " ORDER BY id", decode: PlanRows.version)
    }

    func assign(plan: String?, accountID: Int64, now: Instant) async throws -> AccountChange {
        try await engine.transaction { transaction in
            guard let account = try await PostgresAccountRepository.account(accountID, on: transaction) else { return .unknownAccount }
            if account.isClosed { return .refused("account \(accountID) is closed") }
            if let plan {
                let count = try await transaction.select(PlanRows.planExists, [.text(plan)], decode: { try $0.int("n") }).first ?? 0
                guard count > 0 else { return .refused("no plan '\(plan)': create it first") }
                try await transaction.execute(PlanRows.assign, [.int(accountID), .text(plan), .int(now.secondsSince1970)])
            } else {
                try await transaction.execute(PlanRows.unassign, [.int(accountID)])
            }
            try await transaction.execute(PlanRows.bumpRevision)
            try await transaction.notify("plans")
            return .changed(account)
        }
    }

    func assignments() async throws -> [Int64: String] {
        let rows = try await engine.select("SELECT account_id, plan FROM account_plans") { (try $0.int("account_id"), try $0.text("plan")) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    func stamp() async throws -> String {
        try await engine.select(PlanRows.stamp) { String(try $0.int("revision")) }.first ?? "0"
    }
}
