import Foundation
import Logging
import Synchronization
import TariffCore
import Testing

@testable import TariffStore

/// Log lines as text, to check what a load said.
final class LogLines: Sendable {
    let lines = Mutex<[String]>([])

    var logger: Logger {
        Logger(label: "capture") { _ in LineHandler(lines: self) }
    }

    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }

    private struct LineHandler: LogHandler {
        let lines: LogLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level,
            message: Logger.Message,
            metadata extra: Logger.Metadata?,
            source: String,
            file: String,
            function: String,
            line: UInt
        ) {
            let all = metadata.merging(extra ?? [:]) { _, new in new }
            lines.lines.withLock {
                $0.append("\(level) \(message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
            }
        }
    }
}

@Suite("Rate book file: a compiled book beside the database, checked before it is used")
struct RateBookFileTests {
    static let header = "product,country,prefix,price,currency,effective_from\n"
    static let numbers = ["+34911234567", "+34612345678", "+48501234567", "+4930123456", "+442071234567"]

    /// Every quote of `numbers` the two books give, as text.
    func answers(_ book: RateBook) -> [String] {
        Self.numbers.map { text in
            do {
                let quote = try book.quote(try PhoneNumber(parsing: text), product: .voiceOutbound, at: instant("2026-06-01"))
                return "\(quote.rate) \(quote.match)"
            } catch { return "\(error)" }
        }
    }

    @Test("the first load compiles and writes the file; the next reads it, brought up to date with later versions")
    func fileIsWrittenThenRead() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(
                try fixture.write("v1.csv", Self.header + "voice-outbound,ES,34,0.05,EUR,2026-01-01\nvoice-outbound,ES,3461,0.09,EUR,2026-01-01\n")
            )
            let path = try #require(fixture.store.bookFilePath(deck: "base"))
            #expect(!FileManager.default.fileExists(atPath: path))

            let first = LogLines()
            let compiled = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: first.logger)
            #expect(first.contains("compiling the rate book from the store"))
            #expect(FileManager.default.fileExists(atPath: path))

            let second = LogLines()
            let read = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: second.logger)
            #expect(second.contains("from_file=true"))
            #expect(!second.contains("compiling"))
            #expect(answers(read) == answers(compiled))

            // A version stored later: the file's book gets it applied, and the file is rewritten.
            _ = try await fixture.importRates(
                try fixture.write("v2.csv", Self.header + "voice-outbound,PL,48,0.07,EUR,2026-01-01\nvoice-outbound,ES,3461,0.11,EUR,2026-01-01\n")
            )
            let third = LogLines()
            let updated = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: third.logger)
            #expect(third.contains("from_file=true"))
            #expect(answers(updated) == answers(try await fixture.book()))
            #expect(updated.version == (try await fixture.store.decks.latestVersion(deck: "base")))
            let header = try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { try RateBookSnapshot.header(of: $0) }
            #expect(header.version == updated.version)
        }
    }

    @Test("garbage, a flipped byte, a truncated file and another database's file are each rebuilt, with a log line")
    func unsoundFilesAreRebuilt() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(
                try fixture.write("v1.csv", Self.header + "voice-outbound,ES,34,0.05,EUR,2026-01-01\nvoice-outbound,PL,48,0.06,EUR,2026-01-01\n")
            )
            let path = try #require(fixture.store.bookFilePath(deck: "base"))
            let expected = answers(try await fixture.book())
            _ = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: LogLines().logger)
            let sound = try Data(contentsOf: URL(fileURLWithPath: path))

            var flipped = sound
            flipped[flipped.count / 2] ^= 0x40
            // A sound file, but made from another database (a deck of its own, version 1 too).
            let other = try await StoreLocation(option: fixture.directory.appendingPathComponent("other.sqlite").path, environment: [:])
                .open(logger: ImportFixture.logger, now: ImportFixture.now)
            _ = try await DeckImporter(store: other, reference: fixture.reference, logger: ImportFixture.logger).importFile(
                path: try fixture.write("other.csv", Self.header + "voice-outbound,ES,34,0.99,EUR,2026-01-01\n"),
                options: DeckOptions(now: ImportFixture.now)
            )
            _ = try await RateBookLoader.loadUsingFile(store: other, reference: fixture.reference, logger: LogLines().logger)
            let foreign = try Data(contentsOf: URL(fileURLWithPath: try #require(other.bookFilePath(deck: "base"))))
            try await other.close()
            let damaged: [(String, Data, String)] = [
                ("garbage", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 31) }), "rate book file rejected"),
                ("flipped byte", flipped, "checksum"),
                ("truncated", sound.prefix(sound.count / 3), "rate book file rejected"),
                ("empty", Data(), "rate book file rejected"),
                ("other database", foreign, "another database"),
            ]
            for (name, bytes, said) in damaged {
                try bytes.write(to: URL(fileURLWithPath: path))
                let logs = LogLines()
                let book = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: logs.logger)
                #expect(answers(book) == expected, "\(name)")
                #expect(logs.contains(said), "\(name): \(logs.lines.withLock { $0 })")
                #expect(logs.contains("compiling the rate book from the store"), "\(name)")
                // Rebuilt: the file is sound again and the next load reads it.
                let next = LogLines()
                _ = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: next.logger)
                #expect(next.contains("from_file=true"), "\(name): not rewritten")
            }
        }
    }

    @Test("a large import writes the book file itself: from its rows on an empty deck, from the file it was planned on after")
    func largeImportWritesTheFile() async throws {
        try await withImportFixture { fixture in
            var importer = fixture.importer
            importer.bookFileThreshold = 2
            let path = try #require(fixture.store.bookFilePath(deck: "base"))
            _ = try await importer.importFile(
                path: try fixture.write(
                    "v1.csv",
                    Self.header + "voice-outbound,ES,34,0.05,EUR,2026-01-01\nvoice-outbound,PL,48,0.06,EUR,2026-01-01\n"
                ),
                options: DeckOptions(now: ImportFixture.now)
            )
            #expect(FileManager.default.fileExists(atPath: path))
            _ = try await importer.importFile(
                path: try fixture.write(
                    "v2.csv",
                    Self.header + "voice-outbound,DE,49,0.04,EUR,2026-01-01\nvoice-outbound,PL,48,0.08,EUR,2026-01-01\n"
                ),
                options: DeckOptions(now: ImportFixture.now)
            )
            // Before any reader looks: the second import left the file at its own version.
            let header = try Data(contentsOf: URL(fileURLWithPath: path)).withUnsafeBytes { try RateBookSnapshot.header(of: $0) }
            #expect(header.version == (try await fixture.store.decks.latestVersion(deck: "base")))
            let logs = LogLines()
            let book = try await RateBookLoader.loadUsingFile(store: fixture.store, reference: fixture.reference, logger: logs.logger)
            #expect(logs.contains("from_file=true"))
            #expect(book.version == header.version)
            #expect(answers(book) == answers(try await fixture.book()))
        }
    }

    @Test("one number's book, read through the prefix index, quotes as the whole book does")
    func oneNumberBookAgrees() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(
                try fixture.write(
                    "v1.csv",
                    """
                    product,country,network,prefix,price,currency,effective_from
                    voice-outbound,ES,,34,0.05,EUR,2026-01-01
                    voice-outbound,ES,,3461,0.09,EUR,2026-01-01
                    voice-outbound,ES,,34612,0.10,EUR,2026-09-01
                    voice-outbound,ES,21407,,0.08,EUR,2026-01-01
                    voice-outbound,PL,,,0.04,EUR,2026-01-01
                    voice-outbound,DE,,4930,0.03,EUR,2026-01-01

                    """
                )
            )
            _ = try await fixture.importRates(
                try fixture.write(
                    "v2.csv",
                    """
                    product,country,prefix,price,currency,effective_from
                    voice-outbound,ES,3461,0.12,EUR,2026-03-01

                    """
                ),
                dryRun: false
            )
            let whole = try await fixture.book()
            for text in Self.numbers + ["+34612000000", "+34712345678", "+48221234567"] {
                let number = try PhoneNumber(parsing: text)
                let one = try await RateBookLoader.load(store: fixture.store, reference: fixture.reference, pricing: number, product: .voiceOutbound)
                #expect(one.count < whole.count || whole.count <= 2)
                for at in ["2026-02-01", "2026-06-01", "2026-10-01"] {
                    let expected = Result(catching: { try whole.quote(number, product: .voiceOutbound, at: instant(at)) }).map {
                        "\($0.rate) \($0.match) \($0.next as Any)"
                    }
                    let answer = Result(catching: { try one.quote(number, product: .voiceOutbound, at: instant(at)) }).map {
                        "\($0.rate) \($0.match) \($0.next as Any)"
                    }
                    #expect("\(answer)" == "\(expected)", "\(text) at \(at)")
                }
            }
        }
    }

    @Test("a delta is what was stored after a version, and nothing else")
    func ratesAfterAVersion() async throws {
        try await withImportFixture { fixture in
            let first = try await fixture.importRates(try fixture.write("v1.csv", Self.header + "voice-outbound,ES,34,0.05,EUR,2026-01-01\n"))
            _ = try await fixture.importRates(
                try fixture.write("v2.csv", Self.header + "voice-outbound,ES,34,0.06,EUR,2026-01-01\nvoice-outbound,PL,48,0.06,EUR,2026-01-01\n")
            )
            let version = try #require(first.version?.id)
            let later = try await fixture.store.decks.rates(deck: "base", after: version)
            #expect(!later.isEmpty)
            #expect(later.allSatisfy { $0.deckVersion > version })
            #expect(try await fixture.store.decks.rates(deck: "base").count == later.count + 1)
        }
    }
}
