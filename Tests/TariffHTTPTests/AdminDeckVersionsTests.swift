import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// `GET /v1/admin/decks` and `GET /v1/admin/decks/{deck}/diff`: a deck's versions, and what
/// one import changed, price by price.
@Suite("Admin routes: deck versions and diffs")
struct AdminDeckVersionsTests {
    static let changes = """
        product,country,network,prefix,number_type,origin,price,currency,increment,effective_from,description
        sms-outbound,ES,,,,any,0.06,EUR,,2026-01-01,Spain
        sms-outbound,ES,21407,,mobile,any,0.07,EUR,,2026-01-01,Spain Movistar
        sms-outbound,ES,ES-FIXED,,landline,any,0.04,EUR,,2026-01-01,Spain Landline
        sms-outbound,FR,,,,any,0.08,EUR,,2026-01-01,France
        voice-outbound,ES,,,,international,0.02,EUR,60/60,2026-01-01,Spain Fixed
        voice-outbound,ES,21407,,mobile,international,0.04,EUR,1/1,2026-01-01,Spain Mobile

        """

    @Test("versions list oldest first; the diff names each new, increased, decreased and closed price with both sides")
    func versionsAndDiff() async throws {
        try await HTTPFixture.with { fixture in
            let (_, text) = try await fixture.store.operatorTokens.create(name: "pricing", now: .now())
            try await fixture.test { client in
                var headers = AdminRouteTests.bearer(text)
                headers[.contentType] = "text/csv"
                // Luxembourg is left out of the complete list: closed. Movistar rises at once: allowed.
                let upload = try await client.execute(
                    uri: "/v1/admin/decks?allow_short_notice=true",
                    method: .post,
                    headers: headers,
                    body: ByteBuffer(string: Self.changes)
                )
                #expect(upload.status == .created, "\(upload.text)")
                let to = try #require(try upload.json()["deck_version"] as? Int)

                let listed = try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks", text)
                #expect(listed.status == .ok, "\(listed.text)")
                let versions = try #require(try listed.json()["versions"] as? [[String: Any]])
                let ids = versions.compactMap { $0["version"] as? Int }
                #expect(ids == ids.sorted() && ids.last == to)
                let from = try #require(ids.dropLast().last)

                let diff = try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks/base/diff?from=\(from)&to=\(to)", text)
                #expect(diff.status == .ok, "\(diff.text)")
                let body = try diff.json()
                let summary = try #require(body["summary"] as? [String: Int])
                #expect(summary == ["new": 1, "increased": 1, "decreased": 1, "closed": 1, "other_terms": 0])
                let changes = try #require(body["changes"] as? [[String: Any]])
                let byChange = Dictionary(uniqueKeysWithValues: changes.compactMap { change in (change["change"] as? String).map { ($0, change) } })
                #expect((byChange["increased"]?["old"] as? [String: Any])?["price"] as? String == "0.06500000")
                #expect((byChange["increased"]?["new"] as? [String: Any])?["price"] as? String == "0.07000000")
                #expect(byChange["new"]?["old"] is NSNull)
                #expect(byChange["closed"]?["new"] is NSNull)
                #expect((byChange["closed"]?["key"] as? String)?.contains("LU") == true)
                #expect(body["changes_total"] as? Int == 4 && body["truncated"] as? Bool == false)

                let limited = try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks/base/diff?from=\(from)&to=\(to)&limit=1", text)
                let limitedBody = try limited.json()
                #expect((limitedBody["changes"] as? [Any])?.count == 1 && limitedBody["truncated"] as? Bool == true)
                // Before the first version, everything the deck holds now is new.
                let whole = try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks/base/diff?from=0&to=\(to)", text)
                #expect((try whole.json()["summary"] as? [String: Int])?["new"] == 6, "\(whole.text)")

                for (query, status) in [
                    ("base/diff?from=\(to)&to=\(from)", HTTPResponse.Status.badRequest),
                    ("base/diff?from=x&to=\(to)", .badRequest),
                    ("base/diff?to=\(to)", .badRequest),
                    ("base/diff?from=0&to=\(to)&limit=0", .badRequest),
                    ("base/diff?from=0&to=\(to)&at=yesterday", .badRequest),
                    ("base/diff?from=0&to=\(to + 100)", .notFound),
                    ("nodeck/diff?from=0&to=1", .notFound),
                    ("b%20ad/diff?from=0&to=1", .badRequest),
                ] {
                    let answer = try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks/" + query, text)
                    #expect(answer.status == status, "\(query): \(answer.text)")
                }
                #expect(try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks?deck=%00", text).status == .badRequest)
                #expect(
                    (try await AdminAccountLifecycleTests.call(client, .get, "/v1/admin/decks?deck=other", text).json()["total_count"]) as? Int == 0
                )
            }
        }
    }
}
