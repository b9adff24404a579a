import CoreMetrics
import Prometheus
import Synchronization
import TariffCore
import TariffStore

/// The metric names, in one place: the conformance suite and dashboards read them.
enum MetricName {
    static let requests = "tariff_http_requests_total"
    static let requestDuration = "tariff_http_request_duration_seconds"
    static let rateLimited = "tariff_http_rate_limited_total"
    static let ledgerEntries = "tariff_ledger_entries_total"
    static let ledgerAmount = "tariff_ledger_amount_total"
    static let renewals = "tariff_renewals_total"
    static let deckVersion = "tariff_deck_version"
    static let deckAge = "tariff_deck_age_seconds"
    static let bookCompile = "tariff_book_compile_seconds"
    static let bookSwap = "tariff_book_swap_seconds"
    static let importDuration = "tariff_import_duration_seconds"
    static let importRows = "tariff_import_rows_total"
    static let storeErrors = "tariff_store_errors_total"
    static let storeConnections = "tariff_store_connections"
    static let storeConnectionsMax = "tariff_store_connections_max"
}

/// Which API a request spoke. The fast path and the router name the same routes alike.
enum Dialect: String, Sendable {
    case native, `operator`
    case vonageV1 = "vonage_v1"
    case vonageV2 = "vonage_v2"
    case voximplant, system

    /// From the matched route's template (or the path, when nothing matched).
    init(route: String) {
        if route.hasPrefix("/v1/admin/") {
            self = .operator
        } else if route.hasPrefix("/v1/") {
            self = .native
        } else if route.hasPrefix("/account/") {
            self = .vonageV1
        } else if route.hasPrefix("/v2/") {
            self = .vonageV2
        } else if route.hasPrefix("/platform_api") {
            self = .voximplant
        } else {
            self = .system
        }
    }
}

/// Who answered: the router, or the fast path straight after NIO's decoder.
enum Responder: String, Sendable {
    case router
    case fastPath = "fast_path"
}

/// A request's label set: every field comes from a small set.
struct RequestLabels: Hashable, Sendable {
    let dialect: Dialect
    /// The route's template, or `unmatched` (a 404 of the router): never the client's path.
    let route: String
    let method: String
    let status: Int
    let responder: Responder

    init(route: String?, path: String, method: String, status: Int, responder: Responder) {
        dialect = Dialect(route: route ?? path)
        self.route = route ?? "unmatched"
        // Methods are the registered ones plus whatever a client invents: keep the known ones.
        self.method = Self.methods.contains(method) ? method : "OTHER"
        self.status = status
        self.responder = responder
    }

    private static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
}

struct RequestHandles: Sendable {
    let count: CoreMetrics.Counter
    let duration: CoreMetrics.Timer
    let rateLimited: CoreMetrics.Counter?

    init(_ labels: RequestLabels, factory: PrometheusMetricsFactory) {
        let status = String(labels.status)
        count = CoreMetrics.Counter(
            label: MetricName.requests,
            dimensions: [
                ("dialect", labels.dialect.rawValue), ("route", labels.route), ("method", labels.method), ("status", status),
                ("responder", labels.responder.rawValue),
            ],
            factory: factory
        )
        duration = CoreMetrics.Timer(
            label: MetricName.requestDuration,
            dimensions: [("dialect", labels.dialect.rawValue), ("route", labels.route), ("method", labels.method)],
            factory: factory
        )
        rateLimited =
            labels.status == 429
            ? CoreMetrics.Counter(label: MetricName.rateLimited, dimensions: [("dialect", labels.dialect.rawValue)], factory: factory)
            : nil
    }
}

struct LedgerLabels: Hashable, Sendable {
    let type: String
    let currency: String
}

struct LedgerHandles: Sendable {
    let entries: CoreMetrics.Counter
    let amount: CoreMetrics.FloatingPointCounter

    init(_ labels: LedgerLabels, factory: PrometheusMetricsFactory) {
        let dimensions = [("type", labels.type), ("currency", labels.currency)]
        entries = CoreMetrics.Counter(label: MetricName.ledgerEntries, dimensions: dimensions, factory: factory)
        amount = CoreMetrics.FloatingPointCounter(label: MetricName.ledgerAmount, dimensions: dimensions, factory: factory)
    }
}

enum RenewalOutcome: String, CaseIterable, Sendable {
    case charged, suspended, resumed, ended, failed
}

enum StoreErrorKind: String, CaseIterable, Sendable {
    case unavailable, other
}

/// The deck in service: its version, and its age, worked out when scraped.
final class DeckGauges: Sendable {
    let version: CoreMetrics.Gauge
    let age: CoreMetrics.Gauge
    private let publishedAt = Mutex<Instant?>(nil)

    init(factory: PrometheusMetricsFactory) {
        version = CoreMetrics.Gauge(label: MetricName.deckVersion, dimensions: [], factory: factory)
        age = CoreMetrics.Gauge(label: MetricName.deckAge, dimensions: [], factory: factory)
    }

    func published(version number: Int64, at instant: Instant) {
        version.record(number)
        publishedAt.withLock { $0 = instant }
    }

    /// Seconds since this node put the version in service.
    func age(now: Instant) {
        guard let published = publishedAt.withLock({ $0 }) else { return }
        age.record(max(0, now.secondsSince1970 - published.secondsSince1970))
    }
}

/// The store's connections at the last scrape: in use, waiting for one, and how many there can be.
struct ConnectionGauges: Sendable {
    let inUse: CoreMetrics.Gauge
    let waiting: CoreMetrics.Gauge
    let capacity: CoreMetrics.Gauge

    init(factory: PrometheusMetricsFactory) {
        inUse = CoreMetrics.Gauge(label: MetricName.storeConnections, dimensions: [("state", "in_use")], factory: factory)
        waiting = CoreMetrics.Gauge(label: MetricName.storeConnections, dimensions: [("state", "waiting")], factory: factory)
        capacity = CoreMetrics.Gauge(label: MetricName.storeConnectionsMax, dimensions: [], factory: factory)
    }

    func record(_ reading: ConnectionUse.Reading) {
        inUse.record(reading.inUse)
        waiting.record(reading.waiting)
        capacity.record(reading.capacity)
    }
}
