import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffHTTP
import TariffStore
import Testing

@Suite("Vonage fast path")
struct FastPathTests {
    @Test("on a live server, the fast path's answers are byte for byte the router's; errors still come from the router")
    func sameAnswers() async throws {
        try await HTTPFixture.with { fixture in
            let app = try await fixture.liveApplication()
            try await app.test(.live) { client in
                let forms: [(String, HTTPFields)] = [
                    ("/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur", [:]),
                    ("/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur", [.accept: "application/xml"]),
                    ("/account/get-pricing/outbound/voice?country=ES", basic("k-usd", "s-usd")),
                    ("/account/get-phone-pricing/outbound/sms?phone=34612345678&api_key=k-eur&api_secret=s-eur", [:]),
                    ("/account/get-phone-pricing/outbound/voice?phone=34911234567", basic("k-usd", "s-usd")),
                    // Escapes and repeated parameters: left to the router, read as it reads them.
                    ("/account/get-pricing/outbound/sms?country=E%53&api_key=k-eur&api_secret=s-eur", [:]),
                    ("/account/get-pricing/outbound/sms?country=LU&country=ES&api_key=k-eur&api_secret=s-eur", [:]),
                ]
                for (uri, headers) in forms {
                    // The first request reads the key from the store through the router; later
                    // ones find it cached and take the fast path.
                    let first = try await client.execute(uri: uri, method: .get, headers: headers)
                    let second = try await client.execute(uri: uri, method: .get, headers: headers)
                    #expect(first.status == .ok, "\(uri)")
                    #expect(second.status == .ok, "\(uri)")
                    #expect(first.text == second.text, "\(uri)")
                    #expect(first.headers[.contentType] == second.headers[.contentType], "\(uri)")
                }
                // Errors are never answered by the fast path: the router's bodies come back.
                let wrong = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=nope", method: .get)
                #expect(wrong.status == .unauthorized)
                let unknown = try await client.execute(uri: "/account/get-pricing/outbound/sms?country=QQ&api_key=k-eur&api_secret=s-eur", method: .get)
                #expect(unknown.status == .badRequest)
                let notNumber = try await client.execute(uri: "/account/get-phone-pricing/outbound/sms?phone=ES&api_key=k-eur&api_secret=s-eur", method: .get)
                #expect(notNumber.status.code == 420)
            }
        }
    }
}
