import Foundation
import TariffCore
import Testing

@testable import TariffStore

/// `tariff copy`: an embedded database moved onto PostgreSQL reads back the same through the
/// store contract, and a copy that is refused leaves the target as it was.
@Suite(.enabled(if: StoreEngine.postgresURL != nil, "PostgreSQL only: TARIFF_TEST_POSTGRES is not set"))
struct StoreCopyTests {
    /// A SQLite store with something in every kind of table, and a text that needs escaping.
    static func filledSource(_ store: any TariffStore) async throws -> (ana: Account, bob: Account) {
        try await store.reference.load(StoreContractTests.smallReference(prefixes: ["34", "3491"]))
        _ = try await store.decks.commitOnLatest(
            StoreContractTests.commit(rates: [StoreContractTests.fixedRate, StoreContractTests.smsRate], numbers: [StoreContractTests.countryPrice])
        )
        let rate = ExchangeRate(date: instant("2026-11-19"), base: currency("EUR"), quote: currency("USD"), rate: rateValue("1.05"), source: "ECB")
        _ = try await store.exchangeRates.store([rate], importedAt: instant("2026-11-20"))
        let ana = try await StoreContractTests.newAccount(store, "ana", key: "k1")
        let bob = try await StoreContractTests.newAccount(store, "bob\ttab\nline \\ slash", key: "k2")
        _ = try await store.serviceKeys.add(keyID: "kid-1", accountID: ana.id, publicKeyPEM: "-----BEGIN\nPEM\n-----", now: instant("2026-11-20"))
        _ = try await store.operatorTokens.create(name: "ops", now: instant("2026-11-20"))
        var postings = [StoreContractTests.posting(ana, .cardPayment, "100"), StoreContractTests.posting(bob, .cardPayment, "7.5")]
        for index in 0..<50 {
            postings.append(StoreContractTests.posting(ana, .resourceCharge, "-0.0125", reference: "c\(index)", fingerprint: "f\(index)"))
        }
        _ = try await store.ledger.post(postings, now: instant("2026-11-20"))
        return (ana, bob)
    }

    /// Whether two stores hold the same reference rows (in any order).
    static func sameReference(_ one: any TariffStore, _ other: any TariffStore) async throws -> Bool {
        let (a, b) = (try await one.reference.tables(), try await other.reference.tables())
        return Set(a.countries) == Set(b.countries) && Set(a.currencies) == Set(b.currencies) && Set(a.networks) == Set(b.networks)
            && Set(a.ranges) == Set(b.ranges) && !a.countries.isEmpty
    }

    static func withPair(_ body: (SQLiteStore, PostgresStore) async throws -> Void) async throws {
        try await withStore(.sqlite) { source, _ in
            try await withStore(.postgres, migrated: false) { target, _ in
                try await body(try #require(source as? SQLiteStore), try #require(target as? PostgresStore))
            }
        }
    }

    @Test("everything is copied: the target answers as the source did, and its ids go on after the source's")
    func copiesEverything() async throws {
        try await Self.withPair { source, target in
            let (ana, bob) = try await Self.filledSource(source)
            let report = try await StoreCopy.copy(from: source, to: target, logger: ImportFixture.logger) { _ in }
            #expect(report.balancedAccounts == 2)
            #expect(report.tables.first { $0.name == "ledger_transactions" }?.rows == 52)
            #expect(try await target.accounts.accounts() == source.accounts.accounts())
            #expect(try await target.accounts.account(id: bob.id)?.name == "bob\ttab\nline \\ slash")
            #expect(try await target.accounts.credential(apiKey: "k1") == source.accounts.credential(apiKey: "k1"))
            #expect(try await target.serviceKeys.key(keyID: "kid-1") == source.serviceKeys.key(keyID: "kid-1"))
            #expect(try await target.operatorTokens.tokens() == source.operatorTokens.tokens())
            #expect(try await target.decks.versions(deck: "base") == source.decks.versions(deck: "base"))
            #expect(try await target.decks.rates(deck: "base", after: 0) == source.decks.rates(deck: "base", after: 0))
            #expect(try await target.decks.numberPrices(deck: "base", after: 0) == source.decks.numberPrices(deck: "base", after: 0))
            #expect(try await target.exchangeRates.all() == source.exchangeRates.all())
            #expect(try await Self.sameReference(target, source))
            for account in [ana, bob] {
                let query = TransactionQuery(accountID: account.id, limit: Int.max)
                #expect(try await target.ledger.transactions(query) == source.ledger.transactions(query))
                #expect(try await target.ledger.balance(accountID: account.id) == source.ledger.balance(accountID: account.id))
                try await StoreContractTests.expectLedgerBalances(target, account)
            }
            // A retry of a copied charge is recognised on the target; new rows take new ids.
            let retried = try await target.ledger.post(
                [StoreContractTests.posting(ana, .resourceCharge, "-0.0125", reference: "c7", fingerprint: "f7")],
                now: instant("2026-11-21")
            )
            guard case .repeated = retried.first else {
                Issue.record("a copied reference was charged again: \(retried)")
                return
            }
            let carol = try await StoreContractTests.newAccount(target, "carol", key: "k3")
            #expect(carol.id > bob.id)
            let fresh = try await target.ledger.post([StoreContractTests.posting(carol, .cardPayment, "1")], now: instant("2026-11-21"))
            let newest = try await source.ledger.transactions(TransactionQuery(accountID: ana.id, limit: Int.max)).transactions.map(\.id).max() ?? 0
            #expect((fresh.first?.transaction?.id ?? 0) > newest)
        }
    }

    @Test("a filled target is refused and left as it was; reference data alone does not count as filled")
    func refusesAFilledTarget() async throws {
        try await Self.withPair { source, target in
            _ = try await Self.filledSource(source)
            try await target.migrate()
            try await target.reference.load(StoreContractTests.smallReference(prefixes: ["44"]))
            _ = try await StoreCopy.copy(from: source, to: target, logger: ImportFixture.logger) { _ in }
            #expect(try await Self.sameReference(target, source))
            let before = try await target.accounts.accounts()
            await #expect(throws: CopyFailure.targetNotEmpty(table: "deck_versions")) {
                try await StoreCopy.copy(from: source, to: target, logger: ImportFixture.logger) { _ in }
            }
            #expect(try await target.accounts.accounts() == before)
        }
    }

    @Test("a source whose ledger does not add up is refused, and nothing reaches the target")
    func refusesAnUnbalancedSource() async throws {
        try await Self.withPair { source, target in
            let (ana, _) = try await Self.filledSource(source)
            try await source.engine.execute("UPDATE account_balances SET balance = balance + 1 WHERE account_id = \(ana.id)")
            await #expect(throws: CopyFailure.self) {
                try await StoreCopy.copy(from: source, to: target, logger: ImportFixture.logger) { _ in }
            }
            #expect(try await target.accounts.accounts().isEmpty)
            #expect(try await target.reference.isLoaded() == false)
        }
    }

    @Test("two copies into one database at once: exactly one fills it, the other is refused")
    func concurrentCopies() async throws {
        try await Self.withPair { source, target in
            _ = try await Self.filledSource(source)
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<2 {
                    group.addTask { (try? await StoreCopy.copy(from: source, to: target, logger: ImportFixture.logger) { _ in }) != nil }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await target.accounts.accounts() == source.accounts.accounts())
        }
    }
}
