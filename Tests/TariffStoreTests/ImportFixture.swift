import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

/// A fresh database opened the way the CLI opens an explicitly named one: reference data
/// loaded, no prices.
struct ImportFixture {
    let directory: URL
    let store: any TariffStore
    let reference: ReferenceData
    static let now = instant("2026-11-20T00:00:00Z")
    /// Warnings and worse, unless TARIFF_TEST_LOG_LEVEL asks for more.
    static let logger: Logger = {
        var logger = Logger(label: "tariff.tests")
        logger.logLevel = ProcessInfo.processInfo.environment["TARIFF_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return logger
    }()

    var importer: DeckImporter { DeckImporter(store: store, reference: reference, logger: Self.logger) }

    /// Writes `text` (UTF-8) to a file of the temporary directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, bytes: Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func importRates(
        _ path: String,
        kind: DeckKind = .rates,
        currency: CurrencyCode? = nil,
        origin: OriginScope? = nil,
        now: Instant = now,
        dryRun: Bool = false
    ) async throws -> ImportOutcome {
        try await importer.importFile(path: path, options: DeckOptions(kind: kind, currency: currency, origin: origin, now: now), dryRun: dryRun)
    }

    func book() async throws -> RateBook { try await RateBookLoader.load(store: store, reference: reference) }

    /// Everything a failed import must leave as it was.
    func snapshot() async throws -> StoreSnapshot {
        StoreSnapshot(
            versions: try await store.decks.versions(deck: "base"),
            latest: try await store.decks.latestVersion(deck: "base"),
            rates: try await store.decks.rates(deck: "base"),
            numbers: try await store.decks.numberPrices(deck: "base"),
            services: try await store.decks.servicePrices(deck: "base"),
            exchangeRates: try await store.exchangeRates.all()
        )
    }
}

struct StoreSnapshot: Equatable {
    let versions: [DeckVersion]
    let latest: Int64?
    let rates: [Rate]
    let numbers: [NumberPrice]
    let services: [ServicePrice]
    let exchangeRates: [ExchangeRate]

    /// The rows as text, to compare field by field when equality fails.
    var text: String { "\(versions)\n\(latest as Any)\n\(rates)\n\(numbers)\n\(services)\n\(exchangeRates)" }
}

func withImportFixture(_ body: (ImportFixture) async throws -> Void) async throws {
    try await withTemporaryDirectory { directory in
        let location = try StoreLocation(option: directory.appendingPathComponent("t.sqlite").path, environment: [:])
        let store = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
        do {
            let reference = try await store.reference.tables().compile()
            try await body(ImportFixture(directory: directory, store: store, reference: reference))
            try await store.close()
        } catch {
            try? await store.close()
            throw error
        }
    }
}

/// The failure an import throws; records an issue if it succeeds or throws something else.
func importFailure(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Any
) async -> ImportFailure? {
    do {
        let result = try await body()
        Issue.record("the import succeeded: \(result)", sourceLocation: sourceLocation)
    } catch let failure as ImportFailure {
        return failure
    } catch {
        Issue.record("expected an ImportFailure, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

func number(_ text: String) -> PhoneNumber {
    do { return try PhoneNumber(parsing: text) } catch { fatalError("bad number in a test: \(text)") }
}

/// A bad file, and the problem it must be reported with.
struct BadDeck: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let line: Int
    let column: String
    let message: String

    var testDescription: String { name }

    static let header = "product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description\n"
    static let goodRow = "voice-outbound,ES,,,,international,0.03,EUR,60/60,0,2026-11-01,Spain Fixed\n"

    static let all: [BadDeck] = [
        BadDeck(
            name: "bad price",
            bytes: Array((header + goodRow + "voice-outbound,ES,,,mobile,international,abc,EUR,60/60,0,,Spain Mobile\n").utf8),
            line: 3,
            column: "price",
            message: "'abc' is not a decimal number"
        ),
        BadDeck(
            name: "unknown country",
            bytes: Array((header + goodRow + "voice-outbound,QQ,,,,international,0.1,EUR,60/60,0,,Nowhere\n").utf8),
            line: 3,
            column: "country",
            message: "unknown country 'QQ'"
        ),
        BadDeck(
            name: "duplicate key",
            bytes: Array((header + "# a comment line\n" + goodRow + goodRow).utf8),
            line: 4,
            column: "country",
            message: "duplicate of line 3"
        ),
        BadDeck(
            name: "not UTF-8",
            bytes: Array((header + goodRow).utf8) + Array("voice-outbound,ES,,,mobile,international,0.06,EUR,60/60,0,,Espa".utf8)
                + [0xF1, 0x61] + Array("\n".utf8),
            line: 3,
            column: "-",
            message: "not UTF-8"
        ),
        BadDeck(
            name: "unknown column",
            bytes: Array(("product,country,prices,currency\n" + "voice-outbound,ES,0.03,EUR\n").utf8),
            line: 1,
            column: "prices",
            message: "unknown column"
        ),
    ]
}
