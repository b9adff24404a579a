import Logging
import ServiceLifecycle
import Synchronization
import TariffCore
import TariffStore

/// What requests read, all in memory: the rate book, the exchange rates and the accounts.
/// A background service keeps it current; requests never wait for the database for a price.
public final class LiveState: Sendable {
    public let store: any TariffStore
    public let reference: ReferenceData
    public let accounts: AccountDirectory
    let reloader: RateBookReloader
    private let exchange: Mutex<(table: ExchangeRateTable, stamp: String)>
    let logger: Logger

    public init(store: any TariffStore, logger: Logger) async throws {
        self.store = store
        self.logger = logger
        reference = try await store.reference.tables().compile()
        reloader = try await RateBookReloader(store: store, reference: reference, logger: logger)
        accounts = AccountDirectory(store: store)
        let stamp = try await store.exchangeRates.stamp()
        exchange = Mutex((ExchangeRateTable(rates: try await store.exchangeRates.all(), asOf: .now()), stamp))
    }

    /// The rate book in force.
    public var book: RateBook { reloader.cell.book }
    /// The exchange rates in force, with a stamp that changes when they do.
    public var exchangeRates: ExchangeRateTable { exchange.withLock { $0.table } }
    var exchangeRatesWithStamp: (table: ExchangeRateTable, stamp: String) { exchange.withLock { $0 } }

    /// Publishes a new deck version or new exchange rates if the store has them.
    public func refresh() async throws {
        try await reloader.refresh()
        let stamp = try await store.exchangeRates.stamp()
        guard stamp != exchange.withLock({ $0.stamp }) else { return }
        let table = ExchangeRateTable(rates: try await store.exchangeRates.all(), asOf: .now())
        exchange.withLock { $0 = (table, stamp) }
        logger.info("exchange rates published", metadata: ["rates": "\(table.rates.count)"])
    }
}

/// Polls the store for new deck versions and rates until the server shuts down.
struct LiveStateRefresher: Service {
    let state: LiveState
    let interval: Duration

    func run() async throws {
        // Sleeping ends with an error when the service group shuts down: that ends the loop.
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
            do {
                try await state.refresh()
            } catch {
                state.logger.error("refresh failed", metadata: ["error": "\(error)"])
            }
        }
    }
}
