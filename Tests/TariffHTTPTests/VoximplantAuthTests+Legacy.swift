import Foundation
import TariffCore
import TariffHTTP
import TariffStore
import Testing

extension VoximplantAuthTests {
    @Test("legacy auth: the account by id, name or e-mail (any case), with the secret of one of its API keys")
    func legacyAccepts() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let ana = fixture.ana
            #expect(try await auth.account(accountID: ana.id, accountName: nil, accountEmail: nil, apiKey: "s-ana") == ana)
            #expect(try await auth.account(accountID: nil, accountName: "ana", accountEmail: nil, apiKey: "s-ana") == ana)
            #expect(try await auth.account(accountID: nil, accountName: nil, accountEmail: "Ana@Example.COM", apiKey: "s-ana") == ana)
            #expect(try await auth.account(accountID: ana.id, accountName: "ana", accountEmail: "ana@example.com", apiKey: "s-ana") == ana)
            #expect(try await auth.account(accountID: fixture.bob.id, accountName: "bob", accountEmail: nil, apiKey: "s-bob") == fixture.bob)
        }
    }

    @Test("legacy auth: a wrong api_key is refused, including another account's secret and the key itself")
    func legacyWrongKey() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            for apiKey in ["s-bob", "k-ana", "", "s-ana ", "S-ANA"] {
                await #expect(throws: VoximplantAuthError.badAPIKey, "\(apiKey)") {
                    try await auth.account(accountID: fixture.ana.id, accountName: nil, accountEmail: nil, apiKey: apiKey)
                }
            }
        }
    }

    @Test("legacy auth: names that disagree, unknown accounts and no account at all are refused")
    func legacyAccountProblems() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator()
            let ana = fixture.ana
            await #expect(throws: VoximplantAuthError.accountsDisagree) {
                try await auth.account(accountID: ana.id, accountName: "bob", accountEmail: nil, apiKey: "s-ana")
            }
            await #expect(throws: VoximplantAuthError.accountsDisagree) {
                try await auth.account(accountID: fixture.bob.id, accountName: nil, accountEmail: "ana@example.com", apiKey: "s-bob")
            }
            await #expect(throws: VoximplantAuthError.unknownAccount) {
                try await auth.account(accountID: 999, accountName: nil, accountEmail: nil, apiKey: "s-ana")
            }
            await #expect(throws: VoximplantAuthError.unknownAccount) {
                try await auth.account(accountID: ana.id, accountName: "nobody", accountEmail: nil, apiKey: "s-ana")
            }
            await #expect(throws: VoximplantAuthError.unknownAccount) {
                try await auth.account(accountID: nil, accountName: nil, accountEmail: "bob@example.com", apiKey: "s-bob")
            }
            await #expect(throws: VoximplantAuthError.noAccountGiven) {
                try await auth.account(accountID: nil, accountName: nil, accountEmail: nil, apiKey: "s-ana")
            }
            // A name two accounts share names neither.
            _ = try await fixture.store.accounts.create(
                name: "bob",
                email: nil,
                currency: .EUR,
                deck: "base",
                credential: Credentials.make(apiKey: "k-bob2", secret: "s-bob2").credential,
                now: now
            )
            await #expect(throws: VoximplantAuthError.unknownAccount) {
                try await fixture.authenticator().account(accountID: nil, accountName: "bob", accountEmail: nil, apiKey: "s-bob")
            }
        }
    }

    @Test("legacy auth: after a secret is rotated, the old one is refused and the new one accepted")
    func legacyRotation() async throws {
        try await Fixture.with { fixture async throws in
            let auth = fixture.authenticator(freshFor: .zero)
            #expect(try await auth.account(accountID: fixture.ana.id, accountName: nil, accountEmail: nil, apiKey: "s-ana") == fixture.ana)
            let rotated = Credentials.make(apiKey: "k-ana", secret: "s-ana-2").credential
            #expect(try await fixture.store.accounts.replaceSecret(apiKey: "k-ana", with: rotated, now: now))
            await #expect(throws: VoximplantAuthError.badAPIKey) {
                try await auth.account(accountID: fixture.ana.id, accountName: nil, accountEmail: nil, apiKey: "s-ana")
            }
            #expect(try await auth.account(accountID: fixture.ana.id, accountName: nil, accountEmail: nil, apiKey: "s-ana-2") == fixture.ana)
        }
    }
}
