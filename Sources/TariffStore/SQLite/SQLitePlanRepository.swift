import SQLiteNIO
import TariffCore

struct SQLitePlanRepository: PlanRepository {
    let engine: SQLiteEngine

    func add(_ version: NewPlanVersion, now: Instant) async throws -> StoredPlanVersion {
        try await engine.transaction { connection in
            _ = try await connection.query(PlanRows.insert, PlanRows.binds(version, now: now).map(\.sqlite))
            let id = Int64(try await connection.lastAutoincrementID())
            _ = try await connection.query(PlanRows.bumpRevision)
            return StoredPlanVersion(id: id, createdAt: now, version: version)
        }
    }

    func versions() async throws -> [StoredPlanVersion] {
        try await engine.select(PlanRows.columns + " ORDER BY id", decode: PlanRows.version)
    }

    func assign(plan: String?, accountID: Int64, now: Instant) async throws -> AccountChange {
        try await engine.transaction { connection in
            guard let account = try await SQLiteAccountRepository.account(accountID, on: connection) else { return .unknownAccount }
            if account.isClosed { return .refused("account \(accountID) is closed") }
            if let plan {
                let count = try await connection.query(PlanRows.planExists, [.text(plan)]).first?.column("n")?.integer ?? 0
                guard count > 0 else { return .refused("no plan '\(plan)': create it first") }
                _ = try await connection.query(PlanRows.assign, [.int(accountID), .text(plan), .int(now.secondsSince1970)])
            } else {
                _ = try await connection.query(PlanRows.unassign, [.int(accountID)])
            }
            _ = try await connection.query(PlanRows.bumpRevision)
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
