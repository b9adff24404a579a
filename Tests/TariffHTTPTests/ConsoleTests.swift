import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// The web console's files: built in, same-origin only, cached by content hash, and reading no
/// route the API does not describe.
@Suite("Web console files")
struct ConsoleTests {
    @Test("the page, its hashed script and style sheet: types, caching, validators, security headers, size")
    func served() async throws {
        try await HTTPFixture.with { fixture in
            try await fixture.test { client in
                let page = try await client.execute(uri: "/", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.contentType] == "text/html; charset=utf-8")
                #expect(page.headers[.cacheControl] == "no-cache")
                #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'self'") == true)
                #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let etag = try #require(page.headers[.eTag])
                var total = page.body.readableBytes

                let links = Self.links(in: page.text)
                // The page, its script and style sheet, and the map (fetched when the map is shown).
                #expect(links.count == 4, "\(links)")
                #expect(links.allSatisfy { $0.hasPrefix("/") && !$0.hasPrefix("//") }, "\(links)")
                #expect(!page.text.contains("{{"), "a placeholder was left in the page")
                for (link, type) in [(".js", "text/javascript; charset=utf-8"), (".css", "text/css; charset=utf-8")] {
                    let path = try #require(links.first { $0.hasPrefix("/console/") && $0.hasSuffix(link) })
                    #expect(path.split(separator: ".").count == 3, "\(path) carries a hash")
                    let file = try await client.execute(uri: path, method: .get)
                    #expect(file.status == .ok && file.headers[.contentType] == type)
                    #expect(file.headers[.cacheControl] == "public, max-age=31536000, immutable")
                    total += file.body.readableBytes
                    // SVG's namespace is a name, not an address anything is fetched from.
                    let text = file.text.replacingOccurrences(of: "\"http://www.w3.org/2000/svg\"", with: "")
                    for external in ["http://", "https://", "@import", "//cdn"] {
                        #expect(!text.contains(external), "\(path) loads '\(external)…'")
                    }
                }
                #expect(total < 300_000, "first load: \(total) bytes")

                let again = try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: etag])
                #expect(again.status == .notModified && again.body.readableBytes == 0)
                #expect(again.headers[.eTag] == etag)
                let other = try await client.execute(uri: "/", method: .get, headers: [.ifNoneMatch: "\"stale\""])
                #expect(other.status == .ok)
                let missing = try await client.execute(uri: "/console/console.000000000000.js", method: .get)
                #expect(missing.status == .notFound)
                let outside = try await client.execute(uri: "/console/..%2F..%2Fetc%2Fpasswd", method: .get)
                #expect(outside.status == .notFound)
            }
        }
    }

    @Test("the map: named in the page; gzipped only for a client that takes gzip, holding the same bytes; known countries only")
    func map() async throws {
        try await HTTPFixture.with { fixture in
            let reference = try await fixture.store.reference.tables().compile()
            try await fixture.test { client in
                let page = try await client.execute(uri: "/", method: .get)
                let path = try #require(Self.links(in: page.text).first { $0.hasPrefix("/console/world.") && $0.hasSuffix(".json") })
                let plain = try await client.execute(uri: path, method: .get)
                #expect(plain.status == .ok && plain.headers[.contentType] == "application/json")
                #expect(plain.headers[.contentEncoding] == nil && plain.headers[.vary] == "Accept-Encoding")
                let map = try #require(try JSONSerialization.jsonObject(with: Data(plain.body.readableBytesView)) as? [String: Any])
                #expect((map["attribution"] as? String)?.contains("Natural Earth") == true)
                let countries = try #require(map["countries"] as? [[String: Any]])
                #expect(countries.count > 170)
                for country in countries {
                    let iso = country["iso2"] as? String ?? ""
                    #expect(reference.country(iso) != nil, "\(iso) is not a country Tariff knows")
                    #expect((country["d"] as? String)?.hasPrefix("m") == true, "\(iso)")
                }

                for accept in ["gzip", "br, gzip", "deflate, GZIP;q=0.5", "*", "x-gzip"] {
                    let packed = try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: accept])
                    #expect(packed.headers[.contentEncoding] == "gzip", "\(accept)")
                    #expect(packed.headers[.eTag] != plain.headers[.eTag])
                    let bytes = Array(packed.body.readableBytesView)
                    #expect(bytes.count < plain.body.readableBytes / 2)
                    // A gzip member ends with the CRC-32 and length of what it holds.
                    #expect(bytes.prefix(3) == [0x1f, 0x8b, 0x08])
                    let trailer = bytes.suffix(8).map(UInt32.init)
                    let crc =
                        trailer[trailer.startIndex] | trailer[trailer.startIndex + 1] << 8 | trailer[trailer.startIndex + 2] << 16
                        | trailer[trailer.startIndex + 3] << 24
                    let size =
                        trailer[trailer.startIndex + 4] | trailer[trailer.startIndex + 5] << 8 | trailer[trailer.startIndex + 6] << 16
                        | trailer[trailer.startIndex + 7] << 24
                    #expect(crc == Self.crc32(Array(plain.body.readableBytesView)) && Int(size) == plain.body.readableBytes)
                }
                for accept in ["identity", "gzip;q=0", "br", "*;q=0", "gzip;q=0.000, br"] {
                    let response = try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: accept])
                    #expect(response.headers[.contentEncoding] == nil && response.body == plain.body, "\(accept)")
                }
                let gzipTag = try #require(try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "gzip"]).headers[.eTag])
                let held = try await client.execute(uri: path, method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: gzipTag])
                #expect(held.status == .notModified)
                let otherForm = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: gzipTag])
                #expect(otherForm.status == .ok)
            }
        }
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("a file's name changes with its content, and the page names the new one")
    func hashedNames() {
        func build(_ script: String) -> ConsoleAssets {
            ConsoleAssets(page: Array(#"<script src="{{a.js}}"></script>"#.utf8), files: [("a.js", Array(script.utf8), "text/javascript")])
        }
        let one = build("let a = 1;")
        let two = build("let a = 2;")
        #expect(Set(one.files.keys).isDisjoint(with: two.files.keys))
        let name = try? #require(one.files.keys.first)
        #expect(String(buffer: one.page.body) == #"<script src="/console/\#(name ?? "")"></script>"#)
        #expect(one.page.etag != two.page.etag)
        #expect(build("let a = 1;").page.etag == one.page.etag)
    }

    @Test("every API route the script reads is a route the API describes")
    func scriptReadsDescribedRoutes() throws {
        let script = String(decoding: PackageResources.console_js, as: UTF8.self)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
        let described = Set((document["paths"] as? [String: Any] ?? [:]).keys)
        let used = Set(script.matches(of: /"(\/v1\/[a-z:\/-]*)/).map { String($0.output.1) })
        #expect(used.count >= 4, "\(used)")
        // A path the script writes (up to where it adds a value) agrees, segment by segment, with
        // a described template: the same name, or a `{parameter}` where the template has one.
        func agrees(_ path: String, _ template: String) -> Bool {
            let used = path.split(separator: "/", omittingEmptySubsequences: false)
            let described = template.split(separator: "/", omittingEmptySubsequences: false)
            guard used.count <= described.count else { return false }
            return zip(used, described).allSatisfy { $0.isEmpty || $1.hasPrefix("{") || $0 == $1 }
        }
        for path in used {
            #expect(described.contains { agrees(path, $0) }, "\(path) is not described")
        }
        #expect(!described.contains { agrees("/v1/no-such-route", $0) })
    }

    /// The `src` and `href` values of a page.
    static func links(in html: String) -> [String] {
        html.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.output.1) }
    }
}
