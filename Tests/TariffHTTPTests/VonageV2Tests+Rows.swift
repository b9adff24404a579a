import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

extension VonageV2Tests {
    @Test("networks of one type at one price are one v2 row; no two rows say the same thing")
    func identicalRowsMerged() async throws {
        try await HTTPFixture.with { fixture in
            // Three more Spanish mobile networks: two at Movistar's price, one dearer.
            let reference = try await fixture.store.reference.tables().compile()
            let deck = try fixture.write(
                "more.csv",
                """
                product,country,network,number_type,origin,price,currency,effective_from
                sms-outbound,ES,21401,mobile,any,0.065,EUR,2026-01-01
                sms-outbound,ES,21403,mobile,any,0.065,EUR,2026-01-01
                sms-outbound,ES,21404,mobile,any,0.07,EUR,2026-01-01

                """
            )
            _ = try await DeckImporter(store: fixture.store, reference: reference, logger: HTTPFixture.logger)
                .importFile(path: deck, options: DeckOptions(partial: true, now: .now()))
            try await fixture.test { client in
                let body = try await client.execute(
                    uri: "/v2/account/pricing/sms-outbound?country=ES",
                    method: .get,
                    headers: basic("k-eur", "s-eur")
                ).json()
                let rows = try #require((body["_embedded"] as? [String: Any])?["countries"] as? [[String: String]])
                let keys = rows.map { "\($0["dest_network_type"]!)|\($0["price"]!)|\($0["group_internal_start"]!)|\($0["rate_increment"]!)" }
                #expect(Set(keys).count == keys.count, "repeated rows: \(keys)")
                #expect(keys.filter { $0.hasPrefix("MOBILE|0.065|") }.count == 1)
                #expect(keys.contains { $0.hasPrefix("MOBILE|0.07|") })
                #expect(body["total_items"] as? String == String(rows.count))
            }
        }
    }

    /// The `_links` of one page asked for with `host` in the Host header, from a live server.
    static func links(_ configuration: ServerConfiguration, host: String, fixture: HTTPFixture) async throws -> [String] {
        var configuration = configuration
        configuration.rateLimits = .off
        let app = try await fixture.liveApplication(configuration)
        let hrefs = Mutex<[String]>([])
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let authorization = "Basic " + Data("k-eur:s-eur".utf8).base64EncodedString()
            let received = try await offPool {
                let socket = try TestSocket(port: port)
                defer { socket.close() }
                try socket.send(
                    "GET /v2/account/pricing/sms-outbound?page_size=1&page=2 HTTP/1.1\r\nHost: \(host)\r\nAuthorization: \(authorization)\r\n\r\n"
                )
                return try socket.receiveBodies(1)
            }
            let body = try #require(received.first)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            let links = try #require(json["_links"] as? [String: [String: String]], "\(body)")
            hrefs.withLock { $0 = links.values.compactMap { $0["href"] } }
        }
        return hrefs.withLock { $0 }
    }

    @Test("a client's Host is not reflected into links unless the operator allowed it; --public-url wins")
    func linksFromConfiguredAddress() async throws {
        try await HTTPFixture.with { fixture in
            let plain = try await Self.links(ServerConfiguration(), host: "evil.example", fixture: fixture)
            #expect(!plain.isEmpty)
            #expect(plain.allSatisfy { $0.hasPrefix("http://127.0.0.1:0/v2/account/pricing/sms-outbound?") }, "\(plain)")

            let injected = try await Self.links(ServerConfiguration(), host: "evil.example/x?y=\"", fixture: fixture)
            #expect(injected.allSatisfy { !$0.contains("evil") }, "\(injected)")

            var allowing = ServerConfiguration()
            allowing.address = try PublicAddress(publicURL: nil, allowedHosts: ["pricing.example.com"], tls: false, host: "127.0.0.1", port: 0)
            let allowed = try await Self.links(allowing, host: "pricing.example.com", fixture: fixture)
            #expect(allowed.allSatisfy { $0.hasPrefix("http://pricing.example.com/v2/") }, "\(allowed)")
            let other = try await Self.links(allowing, host: "evil.example", fixture: fixture)
            #expect(other.allSatisfy { !$0.contains("evil") }, "\(other)")

            var fixed = ServerConfiguration()
            fixed.address = try PublicAddress(publicURL: "https://api.example.net/tariff/", allowedHosts: [], tls: false, host: "127.0.0.1", port: 0)
            let configured = try await Self.links(fixed, host: "pricing.example.com", fixture: fixture)
            #expect(configured.allSatisfy { $0.hasPrefix("https://api.example.net/tariff/v2/account/pricing/sms-outbound?") }, "\(configured)")
        }
    }

    @Test(
        "public URLs and allowed hosts are checked when the server starts",
        arguments: [
            "ftp://x.example", "https://", "https://a b.example", "https://x.example/?q=1", "https://user@x.example", "x.example",
        ]
    )
    func badPublicURL(_ url: String) {
        #expect(throws: ConfigurationError.self) { try PublicAddress(publicURL: url, allowedHosts: [], tls: true, host: "127.0.0.1", port: 443) }
    }
}

@Suite("Public address")
struct PublicAddressTests {
    @Test(
        "host names: what a Host header may hold, and nothing a link could be bent with",
        arguments: [
            ("pricing.example.com", true), ("pricing.example.com:8443", true), ("[::1]:8080", true), ("127.0.0.1", true),
            ("a b", false), ("evil.example/x", false), ("user@evil.example", false), ("evil.example:99999", false), ("", false),
            ("\"x\"", false), ("[::1", false), (":80", false), ("evil.example:", false),
        ]
    )
    func hostNames(_ text: String, _ valid: Bool) {
        #expect(PublicAddress.isHostName(text) == valid, "\(text)")
    }

    @Test("the loopback names with the listening port are allowed; default ports may be left out")
    func allowedHosts() throws {
        let plain = PublicAddress(tls: false, host: "0.0.0.0", port: 8080)
        #expect(plain.allowedHosts.contains("localhost:8080"))
        #expect(plain.allowedHosts.contains("127.0.0.1:8080"))
        #expect(!plain.allowedHosts.contains("localhost:80"))
        let tls = try PublicAddress(publicURL: nil, allowedHosts: ["Pricing.Example.com"], tls: true, host: "127.0.0.1", port: 443)
        #expect(tls.allowedHosts.contains(PublicAddress.normalized("localhost", defaultPort: 443)))
        #expect(tls.allowedHosts.contains(PublicAddress.normalized("pricing.example.com:443", defaultPort: 443)))
        #expect(try PublicAddress.validated("https://api.example.net/tariff///") == "https://api.example.net/tariff")
    }
}
