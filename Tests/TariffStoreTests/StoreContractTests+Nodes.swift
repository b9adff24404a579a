import Foundation
import Synchronization
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Several nodes on one database

    @Test(
        "two nodes charging one account at once: never overdrawn, each reference once, a retry to the other node gets the first entry",
        arguments: StoreEngine.all
    )
    func nodesShareTheLedger(engine: StoreEngine) async throws {
        try await withStore(engine) { first, directory in
            let ana = try await Self.newAccount(first, "ana", key: "k1")
            _ = try await first.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-10"))
            // A second node: another store opened on the same database.
            let second = try await engine.open(in: directory)
            do {
                let nodes = [first, second]
                // 200 charges of 1 in batches of 10 from both nodes at once, for 100 of money.
                let outcomes = try await withThrowingTaskGroup(of: [(String, PostingOutcome)].self) { group in
                    for batch in 0..<20 {
                        group.addTask {
                            let references = (0..<10).map { "b\(batch)-\($0)" }
                            let postings = references.map { Self.posting(ana, .resourceCharge, "-1", reference: $0, fingerprint: $0) }
                            let outcomes = try await nodes[batch % 2].ledger.post(postings, now: instant("2026-11-10"))
                            return Array(zip(references, outcomes))
                        }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
                let charged = outcomes.filter { if case .posted = $0.1 { true } else { false } }
                #expect(charged.count == 100)
                #expect(outcomes.count == 200)
                #expect(try await first.ledger.balance(accountID: ana.id)?.balance == LedgerTotal.zero)
                #expect(try await second.ledger.balance(accountID: ana.id)?.balance == LedgerTotal.zero)
                // Every charged reference, retried on the node that did not charge it: the same entry, nothing more.
                let retries = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for (reference, outcome) in charged {
                        group.addTask {
                            let batch = Int(reference.dropFirst().prefix { $0 != "-" }) ?? 0
                            let other = nodes[(batch + 1) % 2]
                            let again = try await other.ledger.post(
                                [Self.posting(ana, .resourceCharge, "-1", reference: reference, fingerprint: reference)],
                                now: instant("2026-11-11")
                            )
                            guard case .repeated(let entry) = again.first else { return false }
                            return entry.id == outcome.transaction?.id
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(retries.count == 100 && retries.allSatisfy { $0 })
                try await Self.expectLedgerBalances(first, ana)
                try await Self.expectLedgerBalances(second, ana)
                try await second.close()
            } catch {
                try? await second.close()
                throw error
            }
        }
    }

    // PostgreSQL only: several nodes are a PostgreSQL arrangement (SQLite has one writer; two
    // servers renewing one file at once is not supported, and under a loaded machine their
    // write locks can time out).
    @Test(
        "renewals run by two nodes at once, eight passes: each subscription's period is charged once",
        .enabled(if: StoreEngine.postgresURL != nil, "PostgreSQL only: TARIFF_TEST_POSTGRES is not set")
    )
    func nodesRenewOnce() async throws {
        let engine = StoreEngine.postgres
        try await withStore(engine) { first, directory in
            _ = try await first.numbers.addToStock((1...12).map { Self.stock("3491000\(String(format: "%04d", $0))") }, now: instant("2027-01-01"))
            var accounts: [Account] = []
            for index in 0..<3 {
                let account = try await Self.newAccount(first, "renter\(index)", key: "r\(index)")
                _ = try await first.ledger.post([Self.posting(account, .cardPayment, "100")], now: instant("2027-01-01"))
                _ = try await Self.rent(first, account, count: 4, at: "2027-01-10T10:00:00Z")
                accounts.append(account)
            }
            let second = try await engine.open(in: directory)
            do {
                let nodes = [first, second]
                let reports = try await withThrowingTaskGroup(of: RenewalReport.self) { group in
                    for pass in 0..<8 {
                        group.addTask { try await nodes[pass % 2].numbers.renew(now: instant("2027-02-10T10:00:00Z")) }
                    }
                    return try await group.reduce(into: [RenewalReport]()) { $0.append($1) }
                }
                #expect(reports.reduce(0) { $0 + $1.charged } == 12)
                for account in accounts {
                    let charges = try await first.ledger.transactions(TransactionQuery(accountID: account.id, types: [.subscriptionCharge]))
                    // The first month at rental, the second by one of the passes: eight charges of 2.
                    #expect(charges.transactions.count == 8)
                    #expect(Set(charges.transactions.compactMap(\.reference)).count == 8)
                    #expect(try await first.ledger.balance(accountID: account.id)?.balance == LedgerTotal(amount("64")))
                    try await Self.expectLedgerBalances(first, account)
                }
                try await second.close()
            } catch {
                try? await second.close()
                throw error
            }
        }
    }

    @Test(
        "exchange rates, a deck version and key changes stored through one node are announced to the other",
        .enabled(if: StoreEngine.postgresURL != nil, "PostgreSQL only: TARIFF_TEST_POSTGRES is not set"),
        .timeLimit(.minutes(45))
    )
    func changesAreAnnounced() async throws {
        try await withStore(.postgres) { first, directory in
            let second = try await StoreEngine.postgres.open(in: directory)
            let (events, announced) = AsyncStream.makeStream(of: Void.self)
            let listening = Task { try await second.listenForChanges { announced.yield() } }
            var heard = events.makeAsyncIterator()
            // The first call says listening has begun: what is stored from now on is heard.
            _ = await heard.next()
            let rate = ExchangeRate(
                date: instant("2026-11-19"),
                base: currency("EUR"),
                quote: currency("USD"),
                rate: rateValue("1.05"),
                source: "ECB"
            )
            _ = try await first.exchangeRates.store([rate], importedAt: instant("2026-11-20"))
            _ = await heard.next()
            _ = try await first.decks.commitOnLatest(Self.commit(rates: [], numbers: []))
            _ = await heard.next()
            // Keys: the other node's caches must forget a rotated secret or a revoked key now.
            let ana = try await Self.newAccount(first, "ana", key: "k1")
            _ = await heard.next()
            let rotated = Credentials.make(apiKey: "k1", secret: "Rotated0Secret").credential
            #expect(try await first.accounts.replaceSecret(apiKey: "k1", with: rotated, now: instant("2026-11-20")))
            _ = await heard.next()
            _ = try await first.serviceKeys.add(keyID: "kid-1", accountID: ana.id, publicKeyPEM: "pem", now: instant("2026-11-20"))
            _ = await heard.next()
            #expect(try await first.serviceKeys.revoke(keyID: "kid-1", now: instant("2026-11-21")))
            _ = await heard.next()
            listening.cancel()
            _ = try? await listening.value
            try await second.close()
        }
    }

    @Test("SQLite announces nothing: listening returns at once and servers poll")
    func sqliteDoesNotListen() async throws {
        try await withStore(.sqlite) { store, _ in
            let calls = Mutex(0)
            try await store.listenForChanges { calls.withLock { $0 += 1 } }
            #expect(calls.withLock { $0 } == 0)
        }
    }
}
