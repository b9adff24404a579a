import Logging
import ServiceLifecycle
import TariffCore
import TariffStore

/// Charges subscriptions' monthly fees as their periods start, inside `tariff serve`. What is
/// due is read from the database each time, and each period has its own ledger key, so that
/// restarts, clock jumps and several servers on one database charge every period once.
struct RenewalService: Service {
    let state: LiveState
    let interval: Duration
    /// Told after each run, so that a test can wait for one.
    var onRun: (@Sendable (RenewalReport) -> Void)?

    func run() async throws {
        while !Task.isCancelled {
            await renewOnce()
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }

    func renewOnce() async {
        do {
            let now = state.now()
            var report = try await state.store.numbers.renew(now: now)
            let services = try await state.store.serviceSubscriptions.renew(now: now)
            report.charged += services.charged
            report.suspended += services.suspended
            report.resumed += services.resumed
            report.ended += services.ended
            if report != RenewalReport() {
                state.logger.notice(
                    "subscriptions renewed",
                    metadata: [
                        "charged": "\(report.charged)", "suspended": "\(report.suspended)", "resumed": "\(report.resumed)",
                        "ended": "\(report.ended)",
                    ]
                )
            }
            state.metrics.renewals(report)
            onRun?(report)
        } catch {
            state.metrics.renewalsFailed()
            state.logger.error("renewals failed", metadata: ["error": "\(error)"])
        }
    }
}
