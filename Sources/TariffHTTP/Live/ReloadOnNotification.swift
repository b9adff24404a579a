import Logging
import ServiceLifecycle
import TariffStore

/// Another node (or `tariff import` anywhere) announcing a change makes this one look for it at
/// once instead of at its next poll, and forget the keys it has cached. On SQLite nothing is
/// announced and this waits for the shutdown; polling and the caches' short life do the work.
struct ReloadOnNotification: Service {
    let state: LiveState

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await state.store.listenForChanges { [trigger = state.reloadTrigger, epoch = state.cacheEpoch] in
                    epoch.advance()
                    trigger.fire()
                }
                try await gracefulShutdown()
            }
        } catch is CancellationError {
            return
        } catch  where Task.isCancelled {
            return
        }
    }
}
