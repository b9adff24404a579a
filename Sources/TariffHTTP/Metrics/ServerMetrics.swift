import CoreMetrics
public import Prometheus
import Synchronization
import TariffCore
import TariffStore

/// What `GET /metrics` reports: one Prometheus registry per server, filled through
/// swift-metrics handles made by that registry's factory (not the process-wide bootstrap, so
/// that two servers in one test process count apart).
///
/// Labels are bounded by construction: a route is the router's template
/// (`/v1/prices/{product}`), never the path a client sent; statuses, methods, transaction
/// types and ISO currencies are small sets; no number, key or account is ever a label.
public final class ServerMetrics: Sendable {
    /// Off: every record call returns at once and `/metrics` is not served.
    public let enabled: Bool
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let requestHandles = HandleCache<RequestLabels, RequestHandles>()
    private let ledgerHandles = HandleCache<LedgerLabels, LedgerHandles>()
    private let deck: DeckGauges
    private let renewals: [RenewalOutcome: CoreMetrics.Counter]
    private let bookCompile: CoreMetrics.Timer
    private let bookSwap: CoreMetrics.Timer
    private let importDuration: CoreMetrics.Timer
    private let importRows: CoreMetrics.Counter
    private let storeErrors: [StoreErrorKind: CoreMetrics.Counter]
    private let connections: ConnectionGauges

    public init(enabled: Bool = true) {
        self.enabled = enabled
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            MetricName.requestDuration: [
                .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
                .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
            ],
            MetricName.bookCompile: Self.slowBuckets,
            MetricName.bookSwap: Self.slowBuckets,
            MetricName.importDuration: Self.slowBuckets,
        ]
        self.factory = factory
        deck = DeckGauges(factory: factory)
        connections = ConnectionGauges(factory: factory)
        renewals = Dictionary(
            uniqueKeysWithValues: RenewalOutcome.allCases.map {
                ($0, CoreMetrics.Counter(label: MetricName.renewals, dimensions: [("outcome", $0.rawValue)], factory: factory))
            }
        )
        bookCompile = CoreMetrics.Timer(label: MetricName.bookCompile, dimensions: [], factory: factory)
        bookSwap = CoreMetrics.Timer(label: MetricName.bookSwap, dimensions: [], factory: factory)
        importDuration = CoreMetrics.Timer(label: MetricName.importDuration, dimensions: [], factory: factory)
        importRows = CoreMetrics.Counter(label: MetricName.importRows, dimensions: [], factory: factory)
        storeErrors = Dictionary(
            uniqueKeysWithValues: StoreErrorKind.allCases.map {
                ($0, CoreMetrics.Counter(label: MetricName.storeErrors, dimensions: [("kind", $0.rawValue)], factory: factory))
            }
        )
    }

    /// Book compiles and imports take from milliseconds (one row) to a minute (a carrier deck).
    private static let slowBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(10), .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        .seconds(10), .seconds(30), .seconds(60), .seconds(120),
    ]

    // MARK: requests

    /// One answered request, from the router or from the fast path.
    func request(_ labels: RequestLabels, duration: Duration) {
        guard enabled else { return }
        let handles = requestHandles.handles(for: labels) { RequestHandles($0, factory: factory) }
        handles.count.increment()
        handles.duration.recordInterval(duration)
        if labels.status == 429 { handles.rateLimited?.increment() }
    }

    // MARK: money

    /// Ledger entries a commit wrote (repeats of earlier ones are not counted again).
    func ledger(_ outcomes: [PostingOutcome]) {
        guard enabled else { return }
        for case .posted(let transaction) in outcomes {
            let labels = LedgerLabels(type: transaction.type.rawValue, currency: transaction.currency.rawValue)
            let handles = ledgerHandles.handles(for: labels) { LedgerHandles($0, factory: factory) }
            handles.entries.increment()
            // The magnitude in currency units, so a charge and a top-up both add. A Double is
            // fine for a dashboard; the ledger itself never leaves integer units.
            handles.amount.increment(by: Double(transaction.amount.units.magnitude) / Double(Amount.unitsPerWhole))
        }
    }

    func renewals(_ report: RenewalReport) {
        guard enabled else { return }
        renewals[.charged]?.increment(by: report.charged)
        renewals[.suspended]?.increment(by: report.suspended)
        renewals[.resumed]?.increment(by: report.resumed)
        renewals[.ended]?.increment(by: report.ended)
    }

    func renewalsFailed() {
        guard enabled else { return }
        renewals[.failed]?.increment()
    }

    // MARK: decks and the store

    /// A rate book put in service: its version, and how long making and swapping it took.
    func bookPublished(version: Int64, at instant: Instant, compile: Duration?, swap: Duration?) {
        guard enabled else { return }
        deck.published(version: version, at: instant)
        if let compile { bookCompile.recordInterval(compile) }
        if let swap { bookSwap.recordInterval(swap) }
    }

    /// An upload stored through this node (`POST /v1/admin/decks`).
    func imported(rows: Int, duration: Duration) {
        guard enabled else { return }
        importDuration.recordInterval(duration)
        importRows.increment(by: rows)
    }

    func storeError(_ error: StoreError) {
        guard enabled else { return }
        storeErrors[error.isUnavailable ? .unavailable : .other]?.increment()
    }

    /// The text format, with the deck's age as of `now` and the store's connections as `store`
    /// reads now.
    func exposition(now: Instant, store: ConnectionUse.Reading) -> [UInt8] {
        deck.age(now: now)
        connections.record(store)
        return registry.emitToBuffer()
    }
}

extension CoreMetrics.Timer {
    func recordInterval(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}

/// Handles by label set: made once, then only looked up (a lock and a hash), since asking the
/// registry each time would take its lock and rebuild the label text.
final class HandleCache<Labels: Hashable & Sendable, Handles: Sendable>: Sendable {
    private let handles = Mutex<[Labels: Handles]>([:])

    func handles(for labels: Labels, make: (Labels) -> Handles) -> Handles {
        handles.withLock { handles in
            if let found = handles[labels] { return found }
            let made = make(labels)
            handles[labels] = made
            return made
        }
    }
}
