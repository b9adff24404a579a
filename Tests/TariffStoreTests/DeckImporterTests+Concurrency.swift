import Foundation
import TariffCore
import Testing

@testable import TariffStore

/// Two imports of complete lists at once must end as if they had run one after the other:
/// the prices in force are one file's, never a union of both.
@Suite("DeckImporter, concurrent imports")
struct DeckImporterConcurrencyTests {
    static let header = "product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description\n"
    static let west =
        header + """
            voice-outbound,ES,,,,international,0.02,EUR,60/60,0,2026-01-01,Spain
            voice-outbound,FR,,,,international,0.03,EUR,60/60,0,2026-01-01,France

            """
    static let east =
        header + """
            voice-outbound,DE,,,,international,0.04,EUR,60/60,0,2026-01-01,Germany
            voice-outbound,IT,,,,international,0.05,EUR,60/60,0,2026-01-01,Italy

            """
    static let numbers = ["ES": "+34911234567", "FR": "+33142345678", "DE": "+4930123456", "IT": "+390612345678"]

    /// The countries priced just after the imports, with their prices.
    static func inForce(_ fixture: ImportFixture) async throws -> [String: String] {
        let book = try await fixture.book()
        var prices: [String: String] = [:]
        for (country, text) in numbers {
            if let quote = try? book.quote(number(text), product: .voiceOutbound, at: ImportFixture.now.adding(seconds: 1)) {
                prices[country] = quote.price.amount.plainText
            }
        }
        return prices
    }

    @Test("an import stored while another plans makes the other plan again: the later one wins whole", arguments: [true, false])
    func laterImportWinsWhole(westFirst: Bool) async throws {
        try await withImportFixture { fixture in
            let (first, second) = westFirst ? (Self.west, Self.east) : (Self.east, Self.west)
            let firstPath = try fixture.write("first.csv", first)
            let secondPath = try fixture.write("second.csv", second)
            var importer = fixture.importer
            let interleaved = Attempts()
            importer.beforeCommit = { attempt in
                await interleaved.record(attempt)
                guard attempt == 1 else { return }
                // The other import starts and finishes between this one's planning and its commit.
                _ = try await fixture.importer.importFile(path: secondPath, options: DeckOptions(now: ImportFixture.now))
            }
            let outcome = try await importer.importFile(path: firstPath, options: DeckOptions(now: ImportFixture.now))
            #expect(await interleaved.seen == [1, 2])
            #expect(try await fixture.store.decks.latestVersion(deck: "base") == outcome.version?.id)
            #expect(try await fixture.store.decks.versions(deck: "base").count == 2)
            let expected = westFirst ? ["ES": "0.02", "FR": "0.03"] : ["DE": "0.04", "IT": "0.05"]
            #expect(try await Self.inForce(fixture) == expected)
            // The summary is against what the other import stored: its two rows closed.
            #expect(outcome.summary.closed == 2)
            #expect(outcome.summary.new == 2)
        }
    }

    @Test("an import that keeps losing the race fails with a clear message and stores nothing")
    func givesUpAfterAttempts() async throws {
        try await withImportFixture { fixture in
            let losing = try fixture.write("losing.csv", Self.west)
            let winning = try fixture.write("winning.csv", Self.east)
            var importer = fixture.importer
            importer.beforeCommit = { _ in
                _ = try await fixture.importer.importFile(path: winning, options: DeckOptions(now: ImportFixture.now))
            }
            await #expect(throws: StoreError.deckChanged(deck: "base")) {
                try await importer.importFile(path: losing, options: DeckOptions(now: ImportFixture.now))
            }
            #expect("\(StoreError.deckChanged(deck: "base"))".contains("run the import again"))
            #expect(try await fixture.store.decks.versions(deck: "base").count == DeckImporter.attempts)
            #expect(try await Self.inForce(fixture) == ["DE": "0.04", "IT": "0.05"])
        }
    }

    @Test("two imports through two connections at once: one list or the other, never both")
    func twoConnections() async throws {
        try await withImportFixture { fixture in
            let westPath = try fixture.write("west.csv", Self.west)
            let eastPath = try fixture.write("east.csv", Self.east)
            let other = try await SQLiteStore(path: fixture.directory.appendingPathComponent("t.sqlite").path, logger: ImportFixture.logger)
            let otherImporter = DeckImporter(store: other, reference: fixture.reference, logger: ImportFixture.logger)
            let outcomes: (ImportOutcome, ImportOutcome)
            do {
                async let a = fixture.importer.importFile(path: westPath, options: DeckOptions(now: ImportFixture.now))
                async let b = otherImporter.importFile(path: eastPath, options: DeckOptions(now: ImportFixture.now))
                outcomes = try await (a, b)
                try await other.close()
            } catch {
                // A connection is closed whatever happens: SQLite's must never be dropped open.
                try? await other.close()
                throw error
            }
            let (first, second) = outcomes
            let last = try #require([first, second].compactMap(\.version).max { $0.id < $1.id })
            let prices = try await Self.inForce(fixture)
            #expect(prices == (last.source == westPath ? ["ES": "0.02", "FR": "0.03"] : ["DE": "0.04", "IT": "0.05"]))
        }
    }
}

/// The attempts an importer reached its commit with.
actor Attempts {
    private(set) var seen: [Int] = []
    func record(_ attempt: Int) { seen.append(attempt) }
}
