public import Logging
import ServiceLifecycle
import Synchronization
public import TariffCore
public import TariffStore

/// What requests read, all in memory: the rate book, the exchange rates and the accounts.
/// A background service keeps it current; requests never wait for the database for a price.
public final class LiveState: Sendable {
    public let store: any TariffStore
    public let reference: ReferenceData
    public let accounts: AccountDirectory
    /// Every charge a request makes goes through here, so that concurrent requests share
    /// database transactions.
    public let ledger: LedgerGroupCommit
    let reloader: RateBookReloader
    /// The rates in force and what identifies them: the store's stamp and, for rates dated
    /// later, the day they take effect.
    struct Exchange: Sendable {
        let rates: ExchangeRateHistory
        /// The store's stamp when the table was read.
        let storeStamp: String
        var table: ExchangeRateTable { rates.table }
        var history: [ExchangeRate] { rates.rates }
        var validUntil: Instant? { rates.validUntil }
        /// Identifies the table: changes when rates are stored and when a later-dated rate comes into force.
        var stamp: String { validUntil.map { "\(storeStamp)@\($0.secondsSince1970)" } ?? storeStamp }

        /// The rates in force at `now`, with what tells when they change.
        init(rates: [ExchangeRate], storeStamp: String, now: Instant) {
            self.rates = ExchangeRateHistory(rates: rates, now: now)
            self.storeStamp = storeStamp
        }

        /// The rates in force at `instant` (see `ExchangeRateHistory.table(at:)`).
        func table(at instant: Instant) -> ExchangeRateTable { rates.table(at: instant) }

        /// What a value derived from `book` (and the plans read at `plans`) and these rates depends on.
        func snapshot<Key, Value>(of book: PricedBook, plans: String) -> SnapshotCache<Key, Value>.Snapshot {
            .init(bookVersion: book.version, exchangeStamp: stamp, plansStamp: plans)
        }
    }

    private let exchangeState: Mutex<Exchange>
    private let planState: Mutex<PlanDirectory>
    let logger: Logger
    /// The time every answer is given at; tests move it instead of waiting for it.
    private let clock: @Sendable () -> Instant
    /// What rate limits and the key cache count in.
    let steady: @Sendable () -> ContinuousClock.Instant
    /// Makes the background refresher look for new versions now, not at its next tick.
    public let reloadTrigger = ReloadTrigger()
    /// Advanced on each announcement from the store, so that cached keys are read again.
    public let cacheEpoch = CacheEpoch()
    /// What `GET /metrics` reports.
    public let metrics: ServerMetrics

    public convenience init(
        store: any TariffStore,
        logger: Logger,
        clock: @escaping @Sendable () -> Instant = { .now() },
        metrics: ServerMetrics = ServerMetrics()
    ) async throws {
        try await self.init(store: store, logger: logger, clocks: ServerClock(wall: clock, steady: { .now }), metrics: metrics)
    }

    public init(store: any TariffStore, logger: Logger, clocks: ServerClock, metrics: ServerMetrics = ServerMetrics()) async throws {
        self.store = store
        self.logger = logger
        self.metrics = metrics
        clock = clocks.wall
        steady = clocks.steady
        reference = try await store.reference.tables().compile()
        let loading = ContinuousClock.now
        reloader = try await RateBookReloader(store: store, reference: reference, logger: logger)
        let loaded = ContinuousClock.now - loading
        accounts = AccountDirectory(store: store, epoch: cacheEpoch, now: clocks.steady)
        ledger = LedgerGroupCommit(ledger: store.ledger, clock: clocks.wall, onCommit: { metrics.ledger($0) })
        exchangeState = Mutex(try await Self.loadExchange(store, now: clocks.wall()))
        planState = Mutex(try await PlanDirectory.load(store, reference: reference))
        metrics.bookPublished(version: reloader.cell.book.version, at: clocks.wall(), compile: loaded, swap: nil)
    }

    /// The current instant, by the clock this state was given.
    public func now() -> Instant { clock() }

    static func loadExchange(_ store: any TariffStore, now: Instant) async throws -> Exchange {
        let stamp = try await store.exchangeRates.stamp()
        let rates = try await store.exchangeRates.all()
        return Exchange(rates: rates, storeStamp: stamp, now: now)
    }

    /// The rate book in force.
    public var book: RateBook { reloader.cell.book }
    /// The exchange rates in force.
    public var exchangeRates: ExchangeRateTable { exchangeState.withLock { $0.table } }
    var exchange: Exchange { exchangeState.withLock { $0 } }
    var plans: PlanDirectory { planState.withLock { $0 } }

    /// The rate book in force as `account` sees it: through its price plan, if it is on one.
    public func book(for account: Account) -> PricedBook {
        plans.book(book, for: account.id)
    }

    /// Publishes the price plans and assignments if the store has newer ones. A plan changed
    /// through this node's admin routes is published before the answer; others within a poll.
    public func refreshPlans() async throws {
        let held = plans
        var changed = try await store.plans.stamp() != held.stamp
        if !changed { changed = try await held.overridesAreStale(store) }
        guard changed else { return }
        let fresh = try await PlanDirectory.load(store, reference: reference)
        // Two refreshes may race: the directory with the newer stamp stays.
        planState.withLock { held in
            if (Int(fresh.stamp) ?? 0) >= (Int(held.stamp) ?? 0) { held = fresh }
        }
        logger.info("price plans published", metadata: ["plans": "\(fresh.schedules.count)", "accounts": "\(fresh.assignments.count)"])
    }

    /// Publishes a new deck version, new price plans or new exchange rates if the store has them.
    public func refresh() async throws {
        if let publication = try await reloader.publishNewer() {
            metrics.bookPublished(version: publication.book.version, at: now(), compile: publication.compile, swap: publication.swap)
        }
        try await refreshPlans()
        let held = exchange
        let stamp = try await store.exchangeRates.stamp()
        // New rates were stored, or a rate dated later has come into force.
        let due = held.validUntil.map { now() >= $0 } ?? false
        guard held.storeStamp != stamp || due else { return }
        let fresh = try await Self.loadExchange(store, now: now())
        exchangeState.withLock { $0 = fresh }
        logger.info("exchange rates published", metadata: ["rates": "\(fresh.table.rates.count)"])
    }
}

/// Polls the store for new deck versions and rates until the server shuts down: every
/// `interval`, and at once when the state's reload trigger fires (SIGHUP, tests).
struct LiveStateRefresher: Service {
    let state: LiveState
    let interval: Duration
    /// Told after each look at the store, so that a test can wait for one.
    var onRefresh: (@Sendable () -> Void)?

    func run() async throws {
        while !Task.isCancelled {
            // Waiting ends with an error when the service group shuts down: that ends the loop.
            do {
                try await cancelWhenGracefulShutdown { try await waitForTickOrTrigger() }
            } catch {
                return
            }
            do {
                try await state.refresh()
            } catch {
                state.logger.error("refresh failed", metadata: ["error": "\(error)"])
            }
            onRefresh?()
        }
    }

    private func waitForTickOrTrigger() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Task.sleep(for: interval) }
            group.addTask { await state.reloadTrigger.wait() }
            defer { group.cancelAll() }
            try await group.next()
            try Task.checkCancellation()
        }
    }
}
