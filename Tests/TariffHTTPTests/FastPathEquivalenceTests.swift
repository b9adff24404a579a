import Foundation
import Hummingbird
import HummingbirdTesting
import TariffCore
import Testing

@testable import TariffHTTP

/// The fast path and the router must answer every request alike: a corpus of requests —
/// every credential form, duplicate and odd fields, invalid bytes, every error, keep-alive
/// and close, HTTP/1.0, pipelining, a rate limit running out — goes to a server with the fast
/// path and to one without, plain and over TLS, and every answer must match byte for byte
/// (but for `Date`). Both servers' clocks are stopped, so their rate limits spend alike.
@Suite("One HTTP parser: the fast path answers as the router does")
struct FastPathEquivalenceTests {
    static let eur = "api_key=k-eur&api_secret=s-eur"
    static let usd = "api_key=k-usd&api_secret=s-usd"
    /// What python-requests (the vonage, nexmo and voximplant SDKs) sends.
    static let sdk = ["User-Agent: python-requests/2.32.3", "Accept-Encoding: gzip, deflate", "Accept: */*", "Connection: keep-alive"]

    struct Case: Sendable {
        let name: String
        let writes: [String]
        let answers: Int
        /// The fast path must answer it once the key, the catalog and the body are in memory.
        let fast: Bool

        init(_ name: String, _ writes: [String], answers: Int = 1, fast: Bool = false) {
            self.name = name
            self.writes = writes
            self.answers = answers
            self.fast = fast
        }

        init(_ name: String, _ request: String, fast: Bool = false) { self.init(name, [request], fast: fast) }
    }

    static func get(_ target: String, _ fields: [String] = [], version: String = "HTTP/1.1", method: String = "GET", body: String = "") -> String {
        "\(method) \(target) \(version)\r\nHost: 127.0.0.1\r\n" + fields.map { $0 + "\r\n" }.joined() + "\r\n" + body
    }

    static func basicField(_ key: String, _ secret: String) -> String {
        "Authorization: Basic " + Data("\(key):\(secret)".utf8).base64EncodedString()
    }

    static let country = "/account/get-pricing/outbound/sms?country=ES&\(eur)"
    static let phone = "/account/get-phone-pricing/outbound/sms?phone=34612345678&\(eur)"

    static let corpus: [Case] = [
        // Country pricing.
        Case("SDK headers", get(country, sdk), fast: true),
        Case("XML", get(country, ["Accept: application/xml", "Connection: keep-alive"]), fast: true),
        Case("Basic credentials, voice", get("/account/get-pricing/outbound/voice?country=ES", [basicField("k-usd", "s-usd")]), fast: true),
        Case("sms-transit", get("/account/get-pricing/outbound/sms-transit?country=LU&\(eur)", sdk), fast: true),
        Case("lower-case country", get("/account/get-pricing/outbound/sms?country=es&\(eur)"), fast: true),
        Case("unknown country", get("/account/get-pricing/outbound/sms?country=QQ&\(eur)", sdk), fast: true),
        Case("no country", get("/account/get-pricing/outbound/sms?\(eur)", sdk), fast: true),
        Case("empty country", get("/account/get-pricing/outbound/sms?country=&\(eur)")),
        Case("escaped country", get("/account/get-pricing/outbound/sms?country=E%53&\(eur)"), fast: true),
        Case("repeated country", get("/account/get-pricing/outbound/sms?country=LU&country=ES&\(eur)"), fast: true),
        Case("escaped key", get("/account/get-pricing/outbound/sms?country=ES&api_key=k%2Deur&api_secret=s-eur")),
        Case("wrong secret", get("/account/get-pricing/outbound/sms?country=ES&api_key=k-eur&api_secret=nope")),
        Case("unknown key", get("/account/get-pricing/outbound/sms?country=ES&api_key=nobody&api_secret=x")),
        Case("no credentials", get("/account/get-pricing/outbound/sms?country=ES")),
        Case(
            "two Authorization fields, the wrong one first",
            get(
                "/account/get-pricing/outbound/sms?country=ES",
                [basicField("k-eur", "nope"), basicField("k-eur", "s-eur")]
            )
        ),
        Case("two Accept fields", get(country, ["Accept: application/json", "Accept: application/xml"])),
        Case("Basic and query name different accounts", get(country, [basicField("k-usd", "s-usd")])),
        Case("Bearer and query", get(country, ["Authorization: Bearer abc"])),
        Case("field names in odd case, padded values", get(country, ["aCCEPT:    application/xml   ", "uSER-aGENT: x"])),
        Case("TAB in the query", get("/account/get-pricing/outbound/sms?country=E\tS&\(eur)")),
        Case("DEL in the query", get("/account/get-pricing/outbound/sms?country=E\u{7F}S&\(eur)")),
        Case("raw UTF-8 in the query", get("/account/get-pricing/outbound/sms?country=É&\(eur)")),
        Case("NUL in a field", get(country, ["X-Odd: a\u{0}b"])),
        Case("unknown product", get("/account/get-pricing/outbound/fax?country=ES&\(eur)")),
        Case("trailing slash", get("/account/get-pricing/outbound/sms/?country=ES&\(eur)")),
        Case("path in another case", get("/ACCOUNT/get-pricing/outbound/sms?country=ES&\(eur)")),
        Case("HEAD", get(country, method: "HEAD")),
        Case("POST", get(country, ["Content-Length: 0"], method: "POST")),
        Case("a GET with a body", get(country, ["Content-Length: 5"], body: "hello"), fast: true),
        Case("a GET with a chunked body", get(country, ["Transfer-Encoding: chunked"], body: "5\r\nhello\r\n0\r\n\r\n"), fast: true),
        Case("Connection: close", get(country, ["Connection: close"])),
        Case("Connection: Close, in another case", get(country, ["Connection: Close"])),
        Case("HTTP/1.0", get(country, version: "HTTP/1.0")),
        Case("HTTP/1.0 keep-alive", get(country, ["Connection: keep-alive"], version: "HTTP/1.0")),
        Case("Expect: 100-continue", get(country, ["Expect: 100-continue"])),
        Case("absolute form", get("http://127.0.0.1\(country)")),
        Case("a field of 60 kB", get(country, ["X-Big: " + String(repeating: "a", count: 60_000)]), fast: true),
        Case("a head over the limit", get(country, ["X-Big: " + String(repeating: "a", count: 90_000)])),
        Case("two requests in one write, the router's first", [get("/health") + get(country)], answers: 2),
        Case("two requests in one write", [get(country) + get(phone)], answers: 2),
        Case("a head split over writes", [String(get(country, sdk).prefix(40)), String(get(country, sdk).dropFirst(40))], fast: true),
        // Phone pricing.
        Case("phone, SDK headers", get(phone, sdk), fast: true),
        Case(
            "phone, Basic credentials, voice",
            get("/account/get-phone-pricing/outbound/voice?phone=34911234567", [basicField("k-usd", "s-usd")]),
            fast: true
        ),
        Case("phone, XML", get(phone, ["Accept: text/xml"]), fast: true),
        Case("phone, not a number", get("/account/get-phone-pricing/outbound/sms?phone=ES&\(eur)"), fast: true),
        Case("phone, a plus", get("/account/get-phone-pricing/outbound/sms?phone=+34612345678&\(eur)"), fast: true),
        Case("phone, an escaped plus", get("/account/get-phone-pricing/outbound/sms?phone=%2B34612345678&\(eur)"), fast: true),
        Case("phone, too short", get("/account/get-phone-pricing/outbound/sms?phone=123&\(eur)"), fast: true),
        Case("phone, 5,000 digits", get("/account/get-phone-pricing/outbound/sms?phone=\(String(repeating: "3", count: 5000))&\(eur)"), fast: true),
        Case("phone, missing", get("/account/get-phone-pricing/outbound/sms?\(eur)"), fast: true),
        // Credentials in the path: the router's forms.
        Case("path credentials", get("/account/get-pricing/outbound/sms/k-eur/s-eur/ES")),
        Case("phone, path credentials", get("/account/get-phone-pricing/outbound/sms/k-eur/s-eur/34612345678")),
    ]

    /// The usd key's tokens run out: 429s, also for a request that would fail, and 401 still first.
    static let burst: [Case] = [
        Case(
            "a rate limit running out",
            [String(repeating: get("/account/get-phone-pricing/outbound/sms?phone=34612345678&\(usd)"), count: 110)],
            answers: 110,
            fast: true
        ),
        Case("over the limit, a country that does not exist", get("/account/get-pricing/outbound/sms?country=QQ&\(usd)"), fast: true),
        Case("over the limit, a wrong secret", get("/account/get-pricing/outbound/sms?country=ES&api_key=k-usd&api_secret=nope")),
    ]

    @Test("every request of the corpus gets the same answer with the fast path and without", arguments: [false, true])
    func sameAnswers(tls: Bool) async throws {
        try await HTTPFixture.with { fixture in
            var configuration = ServerConfiguration(rateLimits: try RateLimits(parsing: ["pricing=100/s"]))
            if tls { (configuration.tlsCertificatePath, configuration.tlsKeyPath) = try RawHTTPClient.makeCertificate(in: fixture.directory) }
            let (withFast, responder) = try await fixture.server(configuration)
            let (withoutFast, none) = try await fixture.server(configuration, fastPath: false)
            #expect(none == nil)
            let fast = try #require(responder)
            try await withFast.test(.live) { client in
                let withPort = try #require(client.port)
                try await withoutFast.test(.live) { other in
                    let withoutPort = try #require(other.port)
                    // Twice: the first time fills the caches through the router, the second is the fast path's.
                    for (pass, cases) in [(1, Self.corpus), (2, Self.corpus), (3, Self.burst)] {
                        for item in cases {
                            let before = fast.answered.count
                            let a = try await RawHTTPClient(port: withPort, tls: tls).exchange(item.writes, answers: item.answers)
                            let answeredFast = fast.answered.count - before
                            let b = try await RawHTTPClient(port: withoutPort, tls: tls).exchange(item.writes, answers: item.answers)
                            #expect(a.answers.count == item.answers, "\(item.name): \(a.answers)")
                            #expect(a == b, "\(item.name), pass \(pass):\nwith the fast path:\n\(a.answers)\nwithout:\n\(b.answers)")
                            if pass > 1, item.fast {
                                #expect(answeredFast == item.answers, "\(item.name): the fast path answered \(answeredFast) of \(item.answers)")
                            }
                            for answer in a.answers where answer.fields.contains(where: { $0.lowercased() == "server: tariff" }) {
                                #expect(
                                    answer.date.map { $0.hasSuffix(" GMT") && $0.count == 29 } == true,
                                    "\(item.name): Date \(answer.date ?? "missing")"
                                )
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("what the corpus must show: closes, keep-alive, one reading of odd requests, 429s")
    func expectations() async throws {
        try await HTTPFixture.with { fixture in
            let configuration = ServerConfiguration(rateLimits: try RateLimits(parsing: ["pricing=100/s"]))
            let (app, _) = try await fixture.server(configuration)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                func exchange(_ name: String) async throws -> RawHTTPClient.Exchange {
                    let item = try #require((Self.corpus + Self.burst).first { $0.name == name })
                    return try await RawHTTPClient(port: port, tls: false).exchange(item.writes, answers: item.answers)
                }
                let close = try await exchange("Connection: Close, in another case")
                #expect(close.answers.first?.fields.contains("connection: close") == true)
                #expect(close.answers.first?.date != nil)
                #expect(!close.stayedOpen)
                let old = try await exchange("HTTP/1.0")
                #expect(old.answers.first?.status == 200)
                #expect(old.answers.first?.fields.contains("connection: close") == true)
                #expect(!old.stayedOpen)
                let oldKept = try await exchange("HTTP/1.0 keep-alive")
                #expect(oldKept.answers.first?.fields.contains("connection: keep-alive") == true)
                #expect(oldKept.stayedOpen)
                #expect(try await exchange("SDK headers").stayedOpen)
                #expect(try await exchange("two Authorization fields, the wrong one first").answers.first?.status == 401)
                // Both fields count, as one list (RFC 9110 §5.3): the XML one is in it.
                let accepts = try await exchange("two Accept fields").answers.first
                #expect(accepts?.fields.contains { $0.lowercased() == "content-type: application/xml" } == true, "\(String(describing: accepts))")
                for name in ["TAB in the query", "DEL in the query"] {
                    #expect(try await exchange(name).answers.first?.status == 400, "\(name)")
                }
                let burst = try await exchange("a rate limit running out").answers.map(\.status)
                #expect(burst.prefix(100).allSatisfy { $0 == 200 } && burst.dropFirst(100).allSatisfy { $0 == 429 }, "\(burst)")
                #expect(try await exchange("over the limit, a country that does not exist").answers.first?.status == 429)
                #expect(try await exchange("over the limit, a wrong secret").answers.first?.status == 401)
            }
        }
    }

    @Test(
        "a request spends one token, whichever way it is answered: a mistyped country is 400 and a non-number 420, not 429",
        arguments: [true, false]
    )
    func oneToken(fastPath: Bool) async throws {
        try await HTTPFixture.with { fixture in
            // Three a minute and a stopped clock: no token comes back during the test, and the key stays cached.
            let configuration = ServerConfiguration(rateLimits: try RateLimits(parsing: ["pricing=3/m"]))
            let (app, responder) = try await fixture.server(configuration, fastPath: fastPath)
            try await app.test(.live) { client in
                let port = try #require(client.port)
                var statuses: [Int] = []
                var fast: [Int] = []
                for target in [
                    Self.country, "/account/get-pricing/outbound/sms?country=QQ&\(Self.eur)",
                    "/account/get-phone-pricing/outbound/sms?phone=ES&\(Self.eur)", Self.phone,
                ] {
                    let before = responder?.answered.count ?? 0
                    let exchange = try await RawHTTPClient(port: port, tls: false).exchange([Self.get(target, Self.sdk)], answers: 1)
                    statuses += exchange.answers.map(\.status)
                    fast.append((responder?.answered.count ?? 0) - before)
                }
                #expect(statuses == [200, 400, 420, 429])
                // The first request filled the caches through the router; the fast path took the rest.
                #expect(fast == (fastPath ? [0, 1, 1, 1] : [0, 0, 0, 0]))
            }
        }
    }

    @Test("Date is RFC 9110's IMF-fixdate")
    func dateFormat() throws {
        #expect(HTTPDate.format(try Instant(parsing: "1994-11-06T08:49:37Z")) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.format(try Instant(parsing: "2026-12-01T08:38:29Z")) == "Tue, 01 Dec 2026 08:38:29 GMT")
        #expect(HTTPDate.format(try Instant(parsing: "2024-02-29T23:59:59Z")) == "Thu, 29 Feb 2024 23:59:59 GMT")
    }
}

extension HTTPFixture {
    /// A live server as `tariff serve` builds it, with both clocks stopped, and its fast path
    /// to ask what it answered.
    func server(
        _ configuration: ServerConfiguration,
        fastPath: Bool = true
    )
        async throws -> (some ApplicationProtocol, VonageFastResponder?)
    {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.fastPath = fastPath
        let wall = Instant.now()
        let steady = ContinuousClock.now
        return try await buildServer(
            configuration: configuration,
            store: store,
            logger: HTTPFixture.logger,
            clock: ServerClock(wall: { wall }, steady: { steady })
        )
    }
}
