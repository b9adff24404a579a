import Logging
import ServiceLifecycle
import UnixSignals

/// SIGHUP makes a running server look for new prices, rates and keys at once, as daemons
/// conventionally reload on it, instead of ending the process (the signal's default).
struct ReloadOnHangup: Service {
    let state: LiveState

    func run() async throws {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await cancelWhenGracefulShutdown {
            for await _ in hangups {
                state.logger.notice("SIGHUP: reloading prices, exchange rates and keys")
                state.reloadTrigger.fire()
            }
        }
    }
}
