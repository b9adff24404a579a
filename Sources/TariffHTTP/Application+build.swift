public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import Logging
import NIOCore
import NIOSSL
public import TariffStore

/// Builds the HTTP service: the live state (prices in memory, kept current by a background
/// service), the routes of every dialect, and the server (HTTPS when a certificate is given).
/// `tariff serve` runs it; tests build it the same way, and may stop its clocks.
/// `onListening` is told the port once the server listens (tests ask for port 0).
public func buildApplication(
    configuration: ServerConfiguration,
    store: any TariffStore,
    logger: Logger,
    clock: ServerClock = .system,
    onListening: (@Sendable (Int) async -> Void)? = nil
) async throws -> some ApplicationProtocol {
    try await buildServer(configuration: configuration, store: store, logger: logger, clock: clock, onListening: onListening).application
}

/// The application and its fast path (nil when switched off), which tests ask what it answered.
func buildServer(
    configuration: ServerConfiguration,
    store: any TariffStore,
    logger: Logger,
    clock: ServerClock = .system,
    onListening: (@Sendable (Int) async -> Void)? = nil
) async throws -> (application: some ApplicationProtocol, fastPath: VonageFastResponder?) {
    let state = try await LiveState(store: store, logger: logger, clocks: clock, metrics: ServerMetrics(enabled: configuration.metrics != .off))
    if case .plan(let name) = configuration.publicPrices?.source, state.plans.schedules[name] == nil {
        throw ConfigurationError.invalid("--public-prices plan:\(name): there is no price plan '\(name)' (tariff plan list)")
    }
    let pricing = VonagePricing(state: state, rateLimits: configuration.rateLimits)
    let router = try buildRouter(configuration: configuration, state: state, pricing: pricing)
    let fastPath =
        configuration.fastPath
        ? VonageFastResponder(
            routes: VonageHotRoutes(pricing: pricing),
            logger: logger,
            date: HTTPDate(clock: clock.wall),
            serverName: serverName,
            metrics: state.metrics
        )
        : nil
    let limits = configuration.connections
    let http1 = HTTPServerBuilder { responder in TariffHTTP1Channel(responder: responder, limits: limits, fastPath: fastPath) }
    let server: HTTPServerBuilder
    if let certificate = configuration.tlsCertificatePath, let key = configuration.tlsKeyPath {
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        )
        server = try .tls(http1, tlsConfiguration: tls)
    } else {
        server = http1
    }
    var app = Application(
        router: router,
        server: server,
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: serverName,
            // Clients past the limit wait in the listen backlog instead of taking the last descriptors.
            availableConnectionsDelegate: MaximumAvailableConnections(limits.effectiveMaxConnections, logger: logger)
        ),
        onServerRunning: { channel in await onListening?(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
    app.addServices(
        LiveStateRefresher(state: state, interval: configuration.reloadInterval),
        ReloadOnHangup(state: state),
        ReloadOnNotification(state: state),
        RenewalService(state: state, interval: configuration.renewalInterval)
    )
    if case .separate(let host, let port) = configuration.metrics {
        let metricsRouter = Router(context: BasicRequestContext.self)
        MetricsController(state: state).addRoutes(to: metricsRouter)
        app.addServices(
            Application(
                router: metricsRouter,
                configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: serverName),
                logger: logger
            )
        )
    }
    return (app, fastPath)
}

/// The `Server` field of every answer.
let serverName = "Tariff"

/// The routes and middleware, for the server and for in-process tests.
public func buildRouter(configuration: ServerConfiguration, state: LiveState) throws -> Router<BasicRequestContext> {
    try buildRouter(configuration: configuration, state: state, pricing: VonagePricing(state: state, rateLimits: configuration.rateLimits))
}

/// The routes, sharing `pricing` (its rate limits and rendered catalogs) with the fast path.
func buildRouter(configuration: ServerConfiguration, state: LiveState, pricing: VonagePricing) throws -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.addMiddleware {
        RequestLogMiddleware(metrics: state.metrics)
        ErrorMappingMiddleware.plain.counting(into: state.metrics)
    }
    HealthController(state: state).addRoutes(to: router)
    if configuration.metrics == .onAPIPort { MetricsController(state: state).addRoutes(to: router) }
    OpenAPIController().addRoutes(to: router)
    ConsoleController().addRoutes(to: router)
    let native = router.group("v1").add(middleware: ErrorMappingMiddleware.native.counting(into: state.metrics))
    NativePriceController(state: state).addRoutes(to: native)
    NativeBulkPriceController(state: state).addRoutes(to: native)
    NativeChangesController(state: state).addRoutes(to: native)
    NativeCountriesController(state: state, publicPrices: configuration.publicPrices).addRoutes(to: native)
    NativeLedgerController(state: state).addRoutes(to: native)
    NativeUsageController(state: state).addRoutes(to: native)
    NativeAdminController(state: state).addRoutes(to: native)
    NativeAdminAccountsController(state: state).addRoutes(to: native)
    NativeAdminPlansController(state: state).addRoutes(to: native)
    NativeAdminReportsController(state: state).addRoutes(to: native)
    NativeAdminKeysController(state: state).addRoutes(to: native)
    NativeAdminAuditController(state: state).addRoutes(to: native)
    NativeAdminDecksController(state: state).addRoutes(to: native)
    NativeAdminExchangeRatesController(state: state).addRoutes(to: native)
    NativeNumbersController(state: state).addRoutes(to: native)
    NativeSubscriptionsController(state: state).addRoutes(to: native)
    VonageV1Controller(pricing: pricing).addRoutes(to: router)
    VonageV2Controller(pricing: pricing, address: configuration.publicAddress).addRoutes(to: router)
    let twilio = TwilioPricing(state: state, ranges: pricing.ranges, rateLimits: configuration.rateLimits, address: configuration.publicAddress)
    TwilioV1Controller(pricing: twilio).addRoutes(to: router)
    TwilioV2Controller(pricing: twilio).addRoutes(to: router)
    VoximplantController(platform: VoximplantPlatform(state: state, ranges: pricing.ranges, address: configuration.publicAddress)).addRoutes(
        to: router
    )
    return router
}
