import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Accounts: e-mail, lookups by name and e-mail

    static func newAccount(
        _ store: any TariffStore,
        _ name: String,
        email: String? = nil,
        key: String,
        at: String = "2026-11-01"
    ) async throws -> Account {
        try await store.accounts.create(
            name: name,
            email: email,
            currency: currency("EUR"),
            deck: "base",
            credential: Credentials.make(apiKey: key, secret: "s-\(key)").credential,
            now: instant(at)
        )
    }

    @Test("accounts keep an optional e-mail and are found by it, without ASCII case", arguments: StoreEngine.all)
    func accountEmail(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", email: "Ana@Example.com", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            #expect(ana.email == "Ana@Example.com")
            #expect(bob.email == nil)
            // The old signature still creates an account, without an e-mail.
            let old = try await store.accounts.create(
                name: "old",
                currency: currency("USD"),
                deck: "base",
                credential: Credentials.make(apiKey: "k3").credential,
                now: instant("2026-11-02")
            )
            #expect(old.email == nil)

            #expect(try await store.accounts.account(id: ana.id) == ana)
            #expect(try await store.accounts.accounts().map(\.email) == ["Ana@Example.com", nil, nil])
            #expect(try await store.accounts.account(email: "Ana@Example.com") == ana)
            #expect(try await store.accounts.account(email: "ana@example.COM") == ana)
            #expect(try await store.accounts.account(email: "bob@example.com") == nil)
            #expect(try await store.accounts.account(email: "") == nil)
        }
    }

    @Test("an e-mail held by another account is refused and nothing is stored", arguments: StoreEngine.all)
    func duplicateEmail(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", email: "ana@example.com", key: "k1")
            await #expect(throws: (any Error).self) {
                try await Self.newAccount(store, "other", email: "ANA@example.com", key: "k2")
            }
            #expect(try await store.accounts.accounts() == [ana])
            #expect(try await store.accounts.credential(apiKey: "k2") == nil)
            // Accounts without an e-mail are not in each other's way.
            _ = try await Self.newAccount(store, "x", key: "k3")
            _ = try await Self.newAccount(store, "y", key: "k4")
            #expect(try await store.accounts.accounts().count == 3)
        }
    }

    @Test("account(name:) finds the one account with a name; an unknown or shared name finds none", arguments: StoreEngine.all)
    func accountByName(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await Self.newAccount(store, "twin", key: "k2")
            _ = try await Self.newAccount(store, "twin", key: "k3")
            #expect(try await store.accounts.account(name: "ana") == ana)
            #expect(try await store.accounts.account(name: "Ana") == nil)
            #expect(try await store.accounts.account(name: "nobody") == nil)
            #expect(try await store.accounts.account(name: "twin") == nil)
        }
    }

    // MARK: Service keys

    @Test("service keys are added, listed per account, fetched by id and revoked once", arguments: StoreEngine.all)
    func serviceKeys(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            let first = try #require(
                try await store.serviceKeys.add(keyID: "key-b", accountID: ana.id, publicKeyPEM: "PEM-1", now: instant("2026-11-02"))
            )
            #expect(first == ServiceKey(keyID: "key-b", accountID: ana.id, publicKeyPEM: "PEM-1", createdAt: instant("2026-11-02")))
            #expect(!first.isRevoked)
            let second = try #require(
                try await store.serviceKeys.add(keyID: "key-a", accountID: ana.id, publicKeyPEM: "PEM-2", now: instant("2026-11-03"))
            )
            let bobs = try #require(
                try await store.serviceKeys.add(keyID: "key-c", accountID: bob.id, publicKeyPEM: "PEM-3", now: instant("2026-11-01"))
            )

            // Oldest first, not by id; each account sees only its own keys.
            #expect(try await store.serviceKeys.keys(accountID: ana.id) == [first, second])
            #expect(try await store.serviceKeys.keys(accountID: bob.id) == [bobs])
            #expect(try await store.serviceKeys.keys(accountID: 999).isEmpty)
            #expect(try await store.serviceKeys.key(keyID: "key-a") == second)
            #expect(try await store.serviceKeys.key(keyID: "KEY-A") == nil)
            #expect(try await store.serviceKeys.key(keyID: "nope") == nil)

            #expect(try await store.serviceKeys.revoke(keyID: "key-b", now: instant("2026-11-05")) == true)
            // Already revoked: false, and the first revocation time stays.
            #expect(try await store.serviceKeys.revoke(keyID: "key-b", now: instant("2026-11-09")) == false)
            #expect(try await store.serviceKeys.revoke(keyID: "nope", now: instant("2026-11-05")) == false)

            let revoked = try #require(try await store.serviceKeys.key(keyID: "key-b"))
            #expect(revoked.revokedAt == instant("2026-11-05"))
            #expect(revoked.isRevoked)
            #expect(revoked.publicKeyPEM == "PEM-1" && revoked.createdAt == instant("2026-11-02"))
            // Revoked keys stay listed, in their place, with their revocation time.
            let listed = try await store.serviceKeys.keys(accountID: ana.id)
            #expect(listed.map(\.keyID) == ["key-b", "key-a"])
            #expect(listed.map(\.revokedAt) == [instant("2026-11-05"), nil])
            #expect(try await store.serviceKeys.key(keyID: "key-c")?.revokedAt == nil)
        }
    }

    @Test("a service key for an unknown account is not stored", arguments: StoreEngine.all)
    func serviceKeyForUnknownAccount(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let added = try await store.serviceKeys.add(keyID: "orphan", accountID: 42, publicKeyPEM: "PEM", now: instant("2026-11-02"))
            #expect(added == nil)
            #expect(try await store.serviceKeys.key(keyID: "orphan") == nil)
            #expect(try await store.serviceKeys.keys(accountID: 42).isEmpty)
        }
    }

    @Test("generated service keys are RSA 2048 PEM pairs with distinct lowercase UUID ids")
    func generatedKeys() throws {
        let one = try ServiceKeys.generate()
        let two = try ServiceKeys.generate()
        #expect(one.keyID != two.keyID)
        #expect(UUID(uuidString: one.keyID) != nil && one.keyID == one.keyID.lowercased())
        #expect(one.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(one.publicKeyPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        #expect(!one.publicKeyPEM.contains("PRIVATE"))
        #expect(one.publicKeyPEM != two.publicKeyPEM)
    }
}
