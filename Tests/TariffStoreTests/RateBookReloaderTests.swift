import Foundation
import Synchronization
import TariffCore
import TariffStore
import Testing

/// What the concurrent readers saw.
final class Observations: Sendable {
    let mixed = Mutex(0)
    let seen = Mutex(Set<Int64>())
}

@Suite("Rate book reloading: a new deck version is compiled aside and swapped in whole")
struct RateBookReloaderTests {
    static let header = "product,country,price,currency,effective_from\n"

    @Test("refresh publishes a newer version once; readers see one whole version at a time")
    func refreshPublishesNewVersion() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(
                try fixture.write("v1.csv", Self.header + "sms-outbound,ES,0.05,EUR,2026-01-01\nsms-outbound,FR,0.06,EUR,2026-01-01\n")
            )
            let reloader = try await RateBookReloader(store: fixture.store, reference: fixture.reference, logger: ImportFixture.logger)
            let first = reloader.cell.book.version
            #expect(try await reloader.refresh() == false, "nothing new to publish")

            // Readers run while the second version is imported and published. Every book a
            // reader gets must price both countries from the same version.
            let observed = Observations()
            let es = try PhoneNumber(parsing: "+34911234567")
            let fr = try PhoneNumber(parsing: "+33112345678")
            let at = instant("2026-06-01")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        for _ in 0..<2_000 {
                            let book = reloader.cell.book
                            let esPrice = try book.quote(es, product: .smsOutbound, at: at).terms.price.plainText
                            let frPrice = try book.quote(fr, product: .smsOutbound, at: at).terms.price.plainText
                            observed.seen.withLock { _ = $0.insert(book.version) }
                            // Version 1 prices 0.05/0.06, version 2 prices 0.07/0.08.
                            if !((esPrice == "0.05" && frPrice == "0.06") || (esPrice == "0.07" && frPrice == "0.08")) {
                                observed.mixed.withLock { $0 += 1 }
                            }
                            await Task.yield()
                        }
                    }
                }
                _ = try await fixture.importRates(
                    try fixture.write("v2.csv", Self.header + "sms-outbound,ES,0.07,EUR,2026-01-01\nsms-outbound,FR,0.08,EUR,2026-01-01\n")
                )
                #expect(try await reloader.refresh() == true)
                try await group.waitForAll()
            }
            #expect(observed.mixed.withLock { $0 } == 0)
            #expect(reloader.cell.book.version > first)
            #expect(try reloader.cell.book.quote(es, product: .smsOutbound, at: at).terms.price.plainText == "0.07")
            #expect(observed.seen.withLock { $0 }.isSubset(of: [first, reloader.cell.book.version]))
            #expect(try await reloader.refresh() == false)
        }
    }

    @Test("a cell keeps the newer of two books")
    func cellKeepsNewer() async throws {
        try await withImportFixture { fixture in
            _ = try await fixture.importRates(try fixture.write("v1.csv", Self.header + "sms-outbound,ES,0.05,EUR,2026-01-01\n"))
            let old = try await fixture.book()
            _ = try await fixture.importRates(try fixture.write("v2.csv", Self.header + "sms-outbound,ES,0.07,EUR,2026-01-01\n"))
            let new = try await fixture.book()
            let cell = RateBookCell(old)
            #expect(cell.publish(new))
            #expect(!cell.publish(old), "an older book must not replace a newer one")
            #expect(cell.book.version == new.version)
        }
    }
}
