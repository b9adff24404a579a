import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `GET /metrics`: what was answered, counted under bounded labels, the same whichever way a
/// request was answered; and nothing at all when switched off.
@Suite("Metrics")
struct MetricsTests {
    /// Sample lines by `name{labels}`; comments skipped.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func requests(_ dialect: String, _ route: String, _ method: String, _ status: Int, _ responder: String = "router") -> String {
        #"tariff_http_requests_total{dialect="\#(dialect)",route="\#(route)",method="\#(method)",status="\#(status)",responder="\#(responder)"}"#
    }

    static func scrape(_ client: some TestClientProtocol) async throws -> (text: String, samples: [String: Double]) {
        let response = try await client.execute(uri: "/metrics", method: .get)
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
        return (response.text, samples(response.text))
    }

    @Test("requests are counted by dialect, route template, method and status; no number, key or path is a label")
    func requestsCounted() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                for _ in 0..<3 {
                    let answer = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-eur", "s-eur"))
                    #expect(answer.status == .ok)
                }
                for _ in 0..<2 {
                    let answer = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-eur", "wrong"))
                    #expect(answer.status == .unauthorized)
                }
                #expect(try await client.execute(uri: "/v1/transactions/98765", method: .get, headers: basic("k-eur", "s-eur")).status == .notFound)
                #expect(try await client.execute(uri: "/no/such/34699887766", method: .get).status == .notFound)
                let vonage = "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur"
                #expect(try await client.execute(uri: vonage, method: .get).status == .ok)

                let (text, samples) = try await Self.scrape(client)
                #expect(samples[Self.requests("native", "/v1/prices/{product}", "GET", 200)] == 3, "\(text)")
                #expect(samples[Self.requests("native", "/v1/prices/{product}", "GET", 401)] == 2)
                #expect(samples[Self.requests("native", "/v1/transactions/{id}", "GET", 404)] == 1)
                #expect(
                    samples[Self.requests("system", "unmatched", "GET", 404)] == 1,
                    "\(text.split(separator: "\n").filter { $0.contains("404") })"
                )
                #expect(samples[Self.requests("vonage_v1", "/account/get-pricing/outbound/{p1}", "GET", 200)] == 1)
                #expect(samples[#"tariff_http_request_duration_seconds_count{dialect="native",route="/v1/prices/{product}",method="GET"}"#] == 5)
                for secret in ["34612345678", "98765", "34699887766", "k-eur", "s-eur", "wrong", "/no/such"] {
                    #expect(!text.contains(secret), "'\(secret)' is in the metrics")
                }
                #expect(samples["tariff_deck_version"] == 1)
                // Nothing holds a connection between requests; the capacity is the engine's.
                #expect(samples[#"tariff_store_connections{state="in_use"}"#] == 0, "\(text)")
                #expect(samples[#"tariff_store_connections{state="waiting"}"#] == 0)
                #expect(samples["tariff_store_connections_max"] == Double(fixture.store.connectionUse.capacity))
            }
        }
    }

    @Test("a request answered by the fast path is counted under the router's labels")
    func fastPathCountedAlike() async throws {
        try await HTTPFixture.with { fixture in
            let (app, responder) = try await fixture.server(ServerConfiguration(rateLimits: .off))
            let fast = try #require(responder)
            try await app.test(.live) { client in
                let raw = RawHTTPClient(port: try #require(client.port), tls: false)
                let target = "/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=s-eur"
                // The first fills the caches through the router; the second is the fast path's.
                for _ in 0..<2 { #expect(try await raw.send("GET", target).status == 200) }
                #expect(fast.answered.count == 1)
                let samples = Self.samples(try await raw.send("GET", "/metrics").text)
                let route = "/account/get-pricing/outbound/{p1}"
                #expect(samples[Self.requests("vonage_v1", route, "GET", 200, "router")] == 1)
                #expect(samples[Self.requests("vonage_v1", route, "GET", 200, "fast_path")] == 1)
            }
        }
    }

    @Test("charges are counted with their amounts, by type and currency; a retry is not counted again")
    func chargesCounted() async throws {
        try await HTTPFixture.with { fixture in
            try await UsageChargeTests.topUp(fixture.store, account: 1, "10")
            try await fixture.test { client in
                for _ in 0..<2 {
                    let answer = try await UsageChargeTests.post(client, UsageChargeTests.call(id: "cdr-m1", seconds: 61))
                    #expect(answer.status == .created || answer.status == .ok, "\(answer.text)")
                }
                let samples = try await Self.scrape(client).samples
                #expect(samples[#"tariff_ledger_entries_total{type="resource_charge",currency="EUR"}"#] == 1)
                #expect(samples[#"tariff_ledger_amount_total{type="resource_charge",currency="EUR"}"#] == 0.04)
            }
        }
    }

    @Test("switched off: no /metrics route and nothing recorded")
    func off() async throws {
        try await HTTPFixture.with { fixture in
            let metrics = ServerMetrics(enabled: false)
            let state = try await LiveState(store: fixture.store, logger: HTTPFixture.logger, metrics: metrics)
            let router = try buildRouter(configuration: ServerConfiguration(rateLimits: .off, metrics: .off), state: state)
            try await Application(router: router, logger: HTTPFixture.logger).test(.router) { client async throws -> Void in
                let price = try await client.execute(uri: "/v1/prices/sms?to=34612345678", method: .get, headers: basic("k-eur", "s-eur"))
                #expect(price.status == .ok)
                let scrape = try await client.execute(uri: "/metrics", method: .get)
                #expect(scrape.status == .notFound)
            }
            #expect(
                !String(decoding: metrics.exposition(now: .now(), store: ConnectionUse(capacity: 1).reading), as: UTF8.self).contains(
                    "tariff_http_requests_total"
                )
            )
        }
    }

    @Test("--metrics: on, off, a port, or an address and port; anything else is refused")
    func exposureParsing() throws {
        #expect(try MetricsExposure(parsing: "on", defaultHost: "0.0.0.0") == .onAPIPort)
        #expect(try MetricsExposure(parsing: "off", defaultHost: "0.0.0.0") == .off)
        #expect(try MetricsExposure(parsing: "9464", defaultHost: "0.0.0.0") == .separate(host: "0.0.0.0", port: 9464))
        #expect(try MetricsExposure(parsing: "127.0.0.1:9464", defaultHost: "0.0.0.0") == .separate(host: "127.0.0.1", port: 9464))
        #expect(try MetricsExposure(parsing: "[::1]:9464", defaultHost: "0.0.0.0") == .separate(host: "::1", port: 9464))
        for bad in ["", "yes", "0", "65536", "99999999999999999999", "host:", ":9464", "-1"] {
            #expect(throws: ConfigurationError.self, "\(bad)") { try MetricsExposure(parsing: bad, defaultHost: "0.0.0.0") }
        }
    }
}
