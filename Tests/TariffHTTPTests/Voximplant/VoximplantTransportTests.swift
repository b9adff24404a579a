import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

@Suite("Voximplant platform API: transport and errors")
struct VoximplantTransportTests {
    @Test("the same call as a url-encoded POST with cmd, a POST and a GET naming the method in the path, and multipart")
    func everyTransport() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                let form = try await client.platform("GetAccountInfo")
                #expect((form["result"] as? [String: Any])?["account_id"] as? Int == 1)

                let pathPost = try await client.execute(
                    uri: "/platform_api/GetAccountInfo",
                    method: .post,
                    headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: ByteBuffer(string: "account_id=2&api_key=s-usd")
                )
                #expect(pathPost.headers[.contentType] == "application/json")
                #expect((try pathPost.json()["result"] as? [String: Any])?["currency"] as? String == "USD")

                let get = try await client.execute(uri: "/platform_api/GetAccountInfo/?account_id=1&api_key=s-eur", method: .get)
                #expect(get.status == .ok)
                #expect((try get.json()["result"] as? [String: Any])?["account_name"] as? String == "eur")

                let boundary = "----tariff-test-boundary"
                let multipart =
                    [("cmd", "GetCurrencyRate"), ("account_id", "1"), ("api_key", "s-eur"), ("currency", "EUR;USD")]
                    .map { "--\(boundary)\r\nContent-Disposition: form-data; name=\"\($0.0)\"\r\n\r\n\($0.1)\r\n" }.joined() + "--\(boundary)--\r\n"
                let node = try await client.execute(
                    uri: "/platform_api",
                    method: .post,
                    headers: [.contentType: "multipart/form-data; boundary=\(boundary)"],
                    body: ByteBuffer(string: multipart)
                )
                let rates = try #require(try node.json()["result"] as? [String: Any])
                #expect(decimalText(rates["USD"]) == "1")
                #expect(decimalText(rates["EUR"]) == "0.85470085")
            }
        }
    }

    @Test("errors come with HTTP 200 and Voximplant's codes: 100, 101, 102, 103, 105, 111")
    func errorCodes() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            try await fixture.test { client in
                func error(_ uri: String, _ body: String = "") async throws -> (code: Int, message: String)? {
                    let response = try await client.execute(
                        uri: uri,
                        method: .post,
                        headers: [.contentType: "application/x-www-form-urlencoded"],
                        body: ByteBuffer(string: body)
                    )
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "application/json")
                    return platformError(try response.json())
                }
                #expect(try await error("/platform_api", "account_id=1&api_key=s-eur")?.code == 102)
                #expect(try await error("/platform_api", "cmd=GetAccountInfo")?.code == 100)
                #expect(try await error("/platform_api", "cmd=GetAccountInfo&account_id=1&api_key=wrong")?.code == 100)
                #expect(try await error("/platform_api", "cmd=GetAccountInfo&account_id=2&api_key=s-eur")?.code == 100)
                #expect(try await error("/platform_api", "cmd=GetAccountInfo&api_key=s-eur")?.code == 100)
                let unknown = try await error("/platform_api/SetAccountInfo", "account_id=1&api_key=s-eur")
                #expect(unknown?.code == 103)
                #expect(unknown?.message.contains("SetAccountInfo") == true)
                let missing = try await error("/platform_api", "cmd=GetPhoneNumberRegions&account_id=1&api_key=s-eur&country_code=MX")
                #expect(missing?.code == 101)
                #expect(missing?.message.contains("phone_category_name") == true)
                #expect(try await error("/platform_api", "cmd=GetAccountInfo&account_id=1&api_key=s-eur&return_live_balance=maybe")?.code == 101)
                #expect(try await error("/platform_api", "cmd=GetAccountInfo&account_id=1&api_key=s-eur&output=xml")?.code == 105)
                let date = try await error(
                    "/platform_api",
                    "cmd=GetTransactionHistory&account_id=1&api_key=s-eur&from_date=2026-13-01&to_date=2026-12-01"
                )
                #expect(date?.code == 111)
                let bearer = try await client.execute(
                    uri: "/platform_api/GetAccountInfo",
                    method: .get,
                    headers: [.authorization: "Bearer not.a.jwt"]
                )
                #expect(platformError(try bearer.json())?.code == 100)
                // The reason is logged, not told: it would say which accounts and keys exist.
                #expect(platformError(try bearer.json())?.message == "Authorization failed")
            }
        }
    }

    @Test("prices that cannot be converted into the account's currency: code 2 with the reason, HTTP 200")
    func unconvertible() async throws {
        try await HTTPFixture.withVoximplant { fixture in
            let gbp = try await fixture.store.accounts.create(
                name: "gbp",
                currency: CurrencyCode("GBP")!,
                deck: "base",
                credential: Credentials.make(apiKey: "k-gbp", secret: "s-gbp").credential,
                now: .now()
            )
            try await fixture.test { client in
                for method in ["GetResourcePrice", "GetPhoneNumberCategories", "GetSubscriptionPrice"] {
                    let error = platformError(try await client.platform(method, [:], account: (Int(gbp.id), "s-gbp")))
                    #expect(error?.code == 2)
                    #expect(error?.message.contains("GBP") == true)
                }
                // What needs no conversion still works for that account.
                let info = try await client.platform("GetAccountInfo", [:], account: (Int(gbp.id), "s-gbp"))
                #expect((info["result"] as? [String: Any])?["currency"] as? String == "GBP")
            }
        }
    }
}

@Suite("Voximplant platform API: reading parameters")
struct PlatformParametersTests {
    @Test("url-encoded values: + is a space, percent escapes, empty values count as not given")
    func formEncoded() throws {
        let parameters = PlatformParameters(formEncoded: "a=x+y%3Bz&b=&c=1;2;;3&flag=True&n=%ZZ")
        #expect(parameters.string("a") == "x y;z")
        #expect(parameters.string("b") == nil)
        #expect(parameters.list("c") == ["1", "2", "3"])
        #expect(try parameters.bool("flag") == true)
        #expect(parameters.string("n") == "%ZZ")
    }

    @Test("booleans, ids, dates and their errors")
    func typedValues() throws {
        for (text, value) in [("true", true), ("True", true), ("1", true), ("false", false), ("False", false), ("0", false)] {
            #expect(try PlatformParameters(["b": text]).bool("b") == value)
        }
        #expect(throws: VoximplantError.self) { try PlatformParameters(["b": "yes"]).bool("b") }
        #expect(try PlatformParameters(["ids": "any"]).ids("ids") == nil)
        #expect(try PlatformParameters(["ids": "3;5"]).ids("ids") == [3, 5])
        #expect(throws: VoximplantError.self) { try PlatformParameters(["ids": "3;x"]).ids("ids") }
        #expect(try PlatformParameters(["d": "2026-11-22"]).date("d")?.spaceSeparated == "2026-11-22 00:00:00")
        #expect(try PlatformParameters(["d": "2026-11-22 10:30:05"]).date("d")?.spaceSeparated == "2026-11-22 10:30:05")
        for bad in ["2026-11-22T10:30:05Z", "22.11.2026", "2026-02-30"] {
            #expect(throws: VoximplantError.invalidDate("d", bad)) { try PlatformParameters(["d": bad]).date("d") }
        }
    }

    @Test("multipart fields, with or without a preamble, quoted or bare names")
    func multipart() throws {
        let body =
            "preamble\r\n--B\r\nContent-Disposition: form-data; name=\"cmd\"\r\n\r\nGetAccountInfo\r\n"
            + "--B\r\ncontent-disposition: form-data; name=list\r\nContent-Type: text/plain\r\n\r\na;b\r\n--B--\r\n"
        let parameters = try PlatformParameters(multipart: ByteBuffer(string: body), boundary: "B")
        #expect(parameters.string("cmd") == "GetAccountInfo")
        #expect(parameters.list("list") == ["a", "b"])
        let bare = try PlatformParameters(
            multipart: ByteBuffer(string: "--B\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--B--"),
            boundary: "B"
        )
        #expect(bare.string("x") == "1")
    }

    @Test("name patterns: whole names without wildcards, % and * as any text")
    func namePatterns() {
        #expect(NamePattern("mexico fixed").matches("Mexico Fixed"))
        #expect(!NamePattern("Mexico").matches("Mexico Fixed"))
        #expect(NamePattern("Mexico%").matches("Mexico Fixed"))
        #expect(NamePattern("*fixed").matches("Mexico Fixed"))
        #expect(NamePattern("G*y*m").matches("Germany Premium"))
        #expect(!NamePattern("ab%b").matches("ab"))
    }

    @Test("stable ids: the same name gives the same id, and two names never share one")
    func stableIDs() {
        #expect(
            StableID.of("PSTN_INTERNATIONAL|voice-outbound/international MX") == StableID.of("PSTN_INTERNATIONAL|voice-outbound/international MX")
        )
        let ids = StableID.assign(["a", "b", "a"])
        #expect(ids[0] != ids[2])
        #expect(ids[0] == StableID.of("a"))
        #expect(Set(ids).count == 3)
        #expect(ids.allSatisfy { (1...Int(Int32.max)).contains($0) })
    }

    @Test("a price group lists only the outermost prefixes")
    func outermostPrefixes() {
        #expect(ResourceCatalog.outermost(["49151", "491510", "4915112", "49152", "4916", "4"]) == ["4"])
        #expect(ResourceCatalog.outermost(["49151", "491510", "49152", "4916"]) == ["49151", "49152", "4916"])
    }
}
