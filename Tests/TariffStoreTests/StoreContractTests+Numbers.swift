import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: Numbers: stock, rentals, renewals

    static func stock(_ digits: String, category: String = "GEOGRAPHIC", region: String? = "91") -> NewStockNumber {
        NewStockNumber(number: try! PhoneNumber(parsing: "+" + digits), country: "ES", category: category, regionCode: region)
    }

    static let fees: @Sendable (StockNumber) throws -> SubscriptionFees = { _ in
        SubscriptionFees(installation: amount("5"), monthly: amount("2"), note: "test price")
    }

    static func rent(_ store: any TariffStore, _ account: Account, count: Int = 1, at: String) async throws -> [RentedSubscription] {
        try await store.numbers.rent(
            RentalRequest(accountID: account.id, selection: .count(count, country: "ES", category: "GEOGRAPHIC", regionCode: nil)),
            now: instant(at),
            fees: fees
        )
    }

    static func only(_ store: any TariffStore, _ id: Int64) async throws -> Subscription {
        try #require(try await store.numbers.subscriptions(SubscriptionQuery(ids: [id])).subscriptions.first)
    }

    @Test("stock: imported once however often, listed and counted by kind; rented numbers leave it", arguments: StoreEngine.all)
    func numberStock(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let numbers = [Self.stock("34910000001"), Self.stock("34910000002"), Self.stock("34600000001", category: "MOBILE", region: nil)]
            #expect(try await store.numbers.addToStock(numbers, now: instant("2026-11-01")) == 3)
            #expect(try await store.numbers.addToStock(numbers + [Self.stock("34910000003")], now: instant("2026-11-02")) == 1)
            let geographic = try await store.numbers.available(StockFilter(country: "ES", category: "GEOGRAPHIC", limit: 2))
            #expect(geographic.total == 3 && geographic.numbers.map(\.number.digits) == ["34910000001", "34910000002"])
            #expect(try await store.numbers.available(StockFilter(prefix: "346")).numbers.map(\.category) == ["MOBILE"])
            #expect(try await store.numbers.stockCounts()[NumberPriceKey(country: "ES", category: "GEOGRAPHIC", regionCode: "91")] == 3)
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-01"))
            _ = try await Self.rent(store, ana, count: 2, at: "2026-11-03")
            #expect(try await store.numbers.stockCounts()[NumberPriceKey(country: "ES", category: "GEOGRAPHIC", regionCode: "91")] == 1)
            #expect(try await store.numbers.available(StockFilter(category: "GEOGRAPHIC")).numbers.map(\.number.digits) == ["34910000003"])
        }
    }

    @Test("renting charges the installation fee and the first month with the number leaving stock: all or nothing", arguments: StoreEngine.all)
    func numberRental(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001"), Self.stock("34910000002")], now: instant("2026-11-01"))
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "10")], now: instant("2026-11-01"))
            let rented = try await Self.rent(store, ana, at: "2026-11-03T10:00:00Z")
            let first = try #require(rented.first)
            #expect(first.subscription.number.number.digits == "34910000001")
            #expect(first.subscription.paidUntil == instant("2026-12-03T10:00:00Z"))
            #expect(first.transactions.map(\.type) == [.subscriptionInstallationCharge, .subscriptionCharge])
            #expect(first.transactions.map(\.amount) == [amount("-5"), amount("-2")])
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("3")))
            // 7 more than the 3 left: nothing is rented, charged or taken out of stock.
            await #expect(throws: NumberError.self) { try await Self.rent(store, ana, at: "2026-11-04") }
            #expect(try await store.numbers.available(StockFilter()).total == 1)
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: ana.id)).totalCount == 3)
            // Numbers not in stock, counts out of range, unknown accounts: refused, nothing changed.
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-04"))
            let refusals: [(RentalRequest, NumberError)] = [
                (RentalRequest(accountID: ana.id, selection: .numbers([try PhoneNumber(parsing: "+34910000001")])), .notInStock("+34910000001")),
                (
                    RentalRequest(accountID: ana.id, selection: .count(2, country: "ES", category: "GEOGRAPHIC", regionCode: nil)),
                    .notEnoughInStock(wanted: 2, available: 1)
                ),
                (RentalRequest(accountID: ana.id, selection: .count(0, country: "ES", category: "GEOGRAPHIC", regionCode: nil)), .invalidCount(0)),
                (
                    RentalRequest(accountID: ana.id, selection: .count(5000, country: "ES", category: "GEOGRAPHIC", regionCode: nil)),
                    .invalidCount(5000)
                ),
                (RentalRequest(accountID: 999, selection: .count(1, country: "ES", category: "GEOGRAPHIC", regionCode: nil)), .unknownAccount(999)),
            ]
            for (request, expected) in refusals {
                await #expect(throws: expected) { try await store.numbers.rent(request, now: instant("2026-11-04"), fees: Self.fees) }
            }
            #expect(try await store.numbers.available(StockFilter()).total == 1)
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("two clients racing for the last number: one rents it, the other is refused and charged nothing", arguments: StoreEngine.all)
    func numberRace(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001")], now: instant("2026-11-01"))
            var accounts: [Account] = []
            for index in 0..<6 {
                let account = try await Self.newAccount(store, "a\(index)", key: "k\(index)")
                _ = try await store.ledger.post([Self.posting(account, .cardPayment, "10")], now: instant("2026-11-01"))
                accounts.append(account)
            }
            let results = try await withThrowingTaskGroup(of: Bool.self) { group in
                for account in accounts {
                    group.addTask {
                        do {
                            _ = try await Self.rent(store, account, at: "2026-11-03")
                            return true
                        } catch is NumberError { return false }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            var charged = 0
            for account in accounts {
                let balance = try #require(try await store.ledger.balance(accountID: account.id)).balance
                if balance != LedgerTotal(amount("10")) { charged += 1 }
                try await Self.expectLedgerBalances(store, account)
            }
            #expect(charged == 1)
            #expect(try await store.numbers.subscriptions(SubscriptionQuery()).total == 1)
        }
    }

    @Test("renewals: once per period whoever runs them, month ends, a server down across two renewals, two runs at once", arguments: StoreEngine.all)
    func numberRenewals(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001")], now: instant("2027-01-01"))
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2027-01-01"))
            let id = try #require(try await Self.rent(store, ana, at: "2027-01-31T10:00:00Z").first).subscription.id
            #expect(try await Self.only(store, id).paidUntil == instant("2027-02-28T10:00:00Z"))
            #expect(try await store.numbers.renew(now: instant("2027-02-28T09:59:59Z")) == RenewalReport())
            #expect(try await store.numbers.renew(now: instant("2027-02-28T10:00:00Z")) == RenewalReport(charged: 1))
            #expect(try await store.numbers.renew(now: instant("2027-02-28T10:00:00Z")) == RenewalReport())
            // Anchored on the 31st: March has one.
            #expect(try await Self.only(store, id).paidUntil == instant("2027-03-31T10:00:00Z"))
            // Down from 30 March to 1 May: both renewals it missed, in order, and no more.
            #expect(try await store.numbers.renew(now: instant("2027-05-01T00:00:00Z")) == RenewalReport(charged: 2))
            #expect(try await Self.only(store, id).paidUntil == instant("2027-05-31T10:00:00Z"))
            // Two servers renewing at once: the period is charged once.
            async let one = store.numbers.renew(now: instant("2027-06-01T00:00:00Z"))
            async let two = store.numbers.renew(now: instant("2027-06-01T00:00:01Z"))
            let (a, b) = try await (one, two)
            #expect(a.charged + b.charged == 1)
            // The clock going back changes nothing.
            #expect(try await store.numbers.renew(now: instant("2027-01-01")) == RenewalReport())
            let charges = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, types: [.subscriptionCharge]))
            #expect(charges.transactions.map(\.performedAt.date) == ["2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31"])
            #expect(Set(charges.transactions.compactMap(\.reference)).count == 5)
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("leap years and 30-day months: the period keeps its day, or the month's last", arguments: StoreEngine.all)
    func numberMonthEnds(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001")], now: instant("2027-12-01"))
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2027-12-01"))
            let id = try #require(try await Self.rent(store, ana, at: "2028-01-30T00:00:00Z").first).subscription.id
            var ends: [String] = []
            for month in ["2028-02-29", "2028-03-30", "2028-04-30", "2028-05-30"] {
                _ = try await store.numbers.renew(now: instant(month + "T00:00:00Z"))
                ends.append(try await Self.only(store, id).paidUntil.date)
            }
            #expect(ends == ["2028-03-30", "2028-04-30", "2028-05-30", "2028-06-30"])
        }
    }

    @Test("insufficient funds at renewal suspend the number without debt; a top-up resumes it with a charge", arguments: StoreEngine.all)
    func numberSuspension(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001"), Self.stock("34910000002")], now: instant("2027-01-01"))
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "8")], now: instant("2027-01-01"))
            let id = try #require(try await Self.rent(store, ana, at: "2027-01-10T00:00:00Z").first).subscription.id
            // 1 left, 2 due.
            #expect(try await store.numbers.renew(now: instant("2027-02-10T00:00:00Z")) == RenewalReport(suspended: 1))
            #expect(try await Self.only(store, id).state == .suspended)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("1")))
            #expect(try await store.numbers.renew(now: instant("2027-02-11T00:00:00Z")) == RenewalReport())
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "10", at: "2027-02-20")], now: instant("2027-02-20"))
            #expect(try await store.numbers.renew(now: instant("2027-02-20T12:00:00Z")) == RenewalReport(charged: 1, resumed: 1))
            let resumed = try await Self.only(store, id)
            #expect(resumed.state == .active && resumed.paidUntil == instant("2027-03-20T12:00:00Z"))
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("9")))
            // The number stayed the account's while suspended.
            #expect(try await store.numbers.available(StockFilter()).numbers.map(\.number.digits) == ["34910000002"])
            try await Self.expectLedgerBalances(store, ana)
        }
    }

    @Test("cancelling: no refund, kept to the end of the paid period, then back in stock; another account's is not found", arguments: StoreEngine.all)
    func numberCancel(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            _ = try await store.numbers.addToStock([Self.stock("34910000001")], now: instant("2027-01-01"))
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2027-01-01"))
            let id = try #require(try await Self.rent(store, ana, at: "2027-01-10T00:00:00Z").first).subscription.id
            await #expect(throws: NumberError.notFound(id)) {
                try await store.numbers.cancel(accountID: bob.id, subscriptionIDs: [id], now: instant("2027-01-15"))
            }
            #expect(try await store.numbers.cancel(accountID: ana.id, subscriptionIDs: [id], now: instant("2027-01-15")) == [id])
            #expect(try await store.numbers.cancel(accountID: ana.id, subscriptionIDs: [id], now: instant("2027-01-16")) == [])
            #expect(try await store.numbers.available(StockFilter()).total == 0)
            #expect(try await store.numbers.renew(now: instant("2027-02-10T00:00:00Z")) == RenewalReport(ended: 1))
            let ended = try await Self.only(store, id)
            #expect(ended.state == .ended && ended.endedAt == instant("2027-02-10T00:00:00Z"))
            #expect(try await store.numbers.available(StockFilter()).total == 1)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("93")))
        }
    }
}
