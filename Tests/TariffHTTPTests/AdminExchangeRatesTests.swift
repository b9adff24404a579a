import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `POST /v1/admin/exchange-rates`: ECB XML or CSV as the body, all rates or none; a dry run
/// stores nothing; the node converts at the new rate once it has reloaded.
@Suite("Admin routes: exchange-rate uploads")
struct AdminExchangeRatesTests {
    @Test("CSV and ECB XML are imported; a dry run and a bad file store nothing; prices convert at the new rate")
    func upload() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "treasury", now: .now())
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off), state: state)
            let stored = try await fixture.store.exchangeRates.all().count
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client in
                func upload(_ query: String, _ body: String) async throws -> TestResponse {
                    try await client.execute(
                        uri: "/v1/admin/exchange-rates" + query,
                        method: .post,
                        headers: AdminRouteTests.bearer(text),
                        body: ByteBuffer(string: body)
                    )
                }
                let csv = "date,base,quote,rate\n2026-02-01,EUR,USD,2\n"
                let dry = try await upload("?dry_run=true", csv)
                #expect(dry.status == .ok, "\(dry.text)")
                #expect(try dry.json()["rates"] as? Int == 1)
                #expect(try await fixture.store.exchangeRates.all().count == stored)

                let bad = try await upload("", "date,base,quote,rate\n2026-02-01,EUR,QQQ,2\n2026-02-01,EUR,USD,-1\n")
                #expect(bad.status == .unprocessableContent, "\(bad.text)")
                #expect((try bad.json()["problems"] as? [[String: Any]])?.first?["line"] as? Int == 3, "\(bad.text)")
                #expect(try await fixture.store.exchangeRates.all().count == stored)

                let done = try await upload("", csv)
                #expect(done.status == .created, "\(done.text)")
                #expect(try done.json()["first_day"] as? String == "2026-02-01")
                try await state.refresh()
                let price = try await client.execute(uri: "/v1/prices/sms?to=34912345678", method: .get, headers: basic("k-usd", "s-usd"))
                #expect((try price.json()["converted"] as? [String: Any])?["rate"] as? String == "2", "\(price.text)")

                let ecb = """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <gesmes:Envelope><Cube><Cube time="2026-02-02"><Cube currency="USD" rate="1.5"/></Cube></Cube></gesmes:Envelope>
                    """
                let xml = try await upload("", ecb)
                #expect(xml.status == .created, "\(xml.text)")
                #expect(try xml.json()["format"] as? String == "ecb-xml")
            }
        }
    }
}
