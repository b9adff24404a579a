import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

@Suite("Live reload")
struct LiveReloadTests {
    /// Imports a new LU price through a second connection, as `tariff import` in another process would.
    static func importElsewhere(_ fixture: HTTPFixture) async throws {
        let other = try await SQLiteStore(path: fixture.directory.appendingPathComponent("t.sqlite").path, logger: HTTPFixture.logger)
        let reference = try await other.reference.tables().compile()
        let deck = try fixture.write("partial.csv", "product,country,price,currency,effective_from\nsms-outbound,LU,0.012,EUR,2026-01-01\n")
        _ = try await DeckImporter(store: other, reference: reference, logger: HTTPFixture.logger)
            .importFile(path: deck, options: DeckOptions(partial: true, now: .now()))
        try await other.close()
    }

    static let uri = "/account/get-pricing/outbound/sms?country=LU&api_key=k-eur&api_secret=s-eur"

    @Test("a deck imported through another connection is served after the next refresh, with no failed request meanwhile")
    func picksUpNewVersion() async throws {
        try await HTTPFixture.with { fixture in
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                #expect(try await client.execute(uri: Self.uri, method: .get).json()["defaultPrice"] as? String == "0.01100000")
                try await Self.importElsewhere(fixture)
                // Until the refresh, the old book answers, and answers well.
                let before = try await client.execute(uri: Self.uri, method: .get)
                #expect(before.status == .ok)
                #expect(try before.json()["defaultPrice"] as? String == "0.01100000")
                try await state.refresh()
                #expect(try await client.execute(uri: Self.uri, method: .get).json()["defaultPrice"] as? String == "0.01200000")
            }
        }
    }

    @Test("the reload trigger (SIGHUP) makes the background refresher publish at once, whatever its interval")
    func triggerRefreshes() async throws {
        try await HTTPFixture.with { fixture in
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let versionBefore = state.book.version
            let (refreshes, refreshed) = AsyncStream.makeStream(of: Void.self)
            // An interval no test waits for: only the trigger can make it look.
            let refresher = Task {
                try await LiveStateRefresher(state: state, interval: .seconds(86_400), onRefresh: { refreshed.yield() }).run()
            }
            defer { refresher.cancel() }
            try await Self.importElsewhere(fixture)
            state.reloadTrigger.fire()
            // The refresh the trigger caused. No time limit: on a loaded machine every test of a
            // parallel run waits minutes for a thread, and a cancelled fixture drops its store open.
            var events = refreshes.makeAsyncIterator()
            _ = await events.next()
            #expect(state.book.version > versionBefore)
        }
    }

    @Test("a trigger fired before anyone waits is kept for the next wait; a cancelled wait returns")
    func triggerIsKept() async {
        let trigger = ReloadTrigger()
        trigger.fire()
        trigger.fire()
        await trigger.wait()
        let woken = Task {
            await trigger.wait()
            return true
        }
        trigger.fire()
        #expect(await woken.value)
        // A cancelled wait returns instead of hanging.
        let cancelled = Task { await trigger.wait() }
        cancelled.cancel()
        await cancelled.value
    }
}
