import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
@testable import TariffHTTP
import TariffStore
import Testing

@Suite("Live reload")
struct LiveReloadTests {
    @Test("a deck imported through another connection is served within 2 s, with no failed request meanwhile")
    func picksUpNewVersion() async throws {
        try await HTTPFixture.with { fixture in
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            let refresher = Task { try await LiveStateRefresher(state: state, interval: .milliseconds(200)).run() }
            defer { refresher.cancel() }
            try await Application(router: router).test(.router) { client in
                let uri = "/account/get-pricing/outbound/sms?country=LU&api_key=k-eur&api_secret=s-eur"
                #expect(try await client.execute(uri: uri, method: .get).json()["defaultPrice"] as? String == "0.01100000")

                // Another writer, as `tariff import` in another process would be.
                let other = try await SQLiteStore(path: fixture.directory.appendingPathComponent("t.sqlite").path)
                let reference = try await other.reference.tables().compile()
                let deck = try fixture.write("partial.csv", "product,country,price,currency,effective_from\nsms-outbound,LU,0.012,EUR,2026-01-01\n")
                _ = try await DeckImporter(store: other, reference: reference, logger: HTTPFixture.logger)
                    .importFile(path: deck, options: DeckOptions(partial: true, now: .now()))
                try await other.close()

                let imported = ContinuousClock.now
                var failures = 0
                var price = ""
                while ContinuousClock.now - imported < .seconds(5) {
                    let response = try await client.execute(uri: uri, method: .get)
                    if response.status != .ok { failures += 1 }
                    price = try response.json()["defaultPrice"] as? String ?? ""
                    if price == "0.01200000" { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(price == "0.01200000")
                #expect(ContinuousClock.now - imported < .seconds(2), "took \(ContinuousClock.now - imported)")
                #expect(failures == 0)
            }
        }
    }
}
