import Foundation
import TariffCore
import Testing

@testable import TariffStore

extension StoreContractTests {
    // MARK: SIP registrations and plans: fees, renewals, included units

    static func terms(_ type: String, installation: String = "0", monthly: String, includes: String = "") -> TemplateTerms {
        TemplateTerms(
            type: type,
            displayName: type.lowercased(),
            installation: amount(installation),
            monthly: amount(monthly),
            currency: currency("EUR"),
            includes: Allowance.list(parsing: includes)!
        )
    }

    static func subscribe(
        _ store: any TariffStore,
        _ account: Account,
        _ template: String,
        _ terms: TemplateTerms,
        at: String
    ) async throws -> RentedServiceSubscription {
        try await store.serviceSubscriptions.subscribe(
            ServiceSubscriptionRequest(accountID: account.id, template: template, terms: terms, label: template, attributes: ["proxy": "p"]),
            now: instant(at),
            fees: SubscriptionFees(installation: terms.installation, monthly: terms.monthly, note: "test price")
        )
    }

    /// Speech recognition at 0.016 EUR per 60 s, in 15 s blocks with a 15 s minimum.
    static let recognitionBook: RateBook = {
        let terms = ServicePriceTerms(
            unit: "second",
            price: amount("0.016"),
            perUnits: 60,
            minimum: 15,
            increment: UnitIncrement(initial: 15, subsequent: 15)!,
            setupFee: .zero,
            currency: currency("EUR"),
            description: "",
            resource: "ASR"
        )
        let price = ServicePrice(
            key: ServicePriceKey(product: "asr", variant: nil, country: nil),
            effectiveFrom: instant("2026-01-01"),
            terms: terms,
            deckVersion: 1
        )
        return try! RateBook(
            deck: "base",
            version: 1,
            reference: smallReference(prefixes: []).compile(),
            rates: [],
            numberPrices: [],
            servicePrices: [price]
        )
    }()

    /// Charges `units` of recognition used at `at`, as the usage API does.
    static func use(_ store: any TariffStore, _ account: Account, _ id: String, units: Int, at: String) async throws -> PostingOutcome {
        let record = try UsageRecord(validating: UsageFields(id: id, product: "asr", occurredAt: at, units: units), now: instant("2030-01-01"))
        let posting = try record.posting(
            accountID: account.id,
            currency: account.currency,
            book: PricedBook(recognitionBook),
            exchange: ExchangeRateTable(rates: [], asOf: instant(at))
        )
        return try #require(try await store.ledger.post([posting], now: instant(at)).first)
    }

    static func charged(_ outcome: PostingOutcome) -> Amount? {
        if case .posted(let transaction) = outcome { return transaction.amount }
        return nil
    }

    @Test(
        "a SIP registration: installation and first month at once, renewed once per period, cancelled to the end of its period",
        arguments: StoreEngine.all
    )
    func sipRegistration(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "8")], now: instant("2026-11-01"))
            let sip = Self.terms("SIP_REGISTRATION", installation: "1", monthly: "2")
            let made = try await Self.subscribe(store, ana, "sip", sip, at: "2026-11-03T10:00:00Z")
            #expect(made.transactions.map(\.type) == [.subscriptionInstallationCharge, .subscriptionCharge])
            #expect(made.transactions.map(\.amount) == [amount("-1"), amount("-2")])
            #expect(made.subscription.paidUntil == instant("2026-12-03T10:00:00Z"))
            #expect(made.subscription.attributes == ["proxy": "p"])
            // A second registration is a second subscription, not a replacement.
            _ = try await Self.subscribe(store, ana, "sip", sip, at: "2026-11-03T11:00:00Z")
            #expect(try await store.serviceSubscriptions.subscriptions(ServiceSubscriptionQuery(accountID: ana.id)).count == 2)

            #expect(try await store.serviceSubscriptions.renew(now: instant("2026-12-03T10:00:00Z")).charged == 1)
            #expect(try await store.serviceSubscriptions.renew(now: instant("2026-12-03T10:00:00Z")).charged == 0)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("0")))
            let renewed = try #require(
                try await store.serviceSubscriptions.subscriptions(ServiceSubscriptionQuery(ids: [made.subscription.id])).first
            )
            #expect(renewed.paidUntil == instant("2027-01-03T10:00:00Z"))

            // No money left: the second registration's renewal suspends it instead of charging.
            let report = try await store.serviceSubscriptions.renew(now: instant("2026-12-03T11:00:00Z"))
            #expect(report.suspended == 1 && report.charged == 0)
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("0")))

            #expect(
                try await store.serviceSubscriptions.cancel(accountID: ana.id, ids: [made.subscription.id], now: instant("2026-12-10")) == [
                    made.subscription.id
                ]
            )
            await #expect(throws: NumberError.notFound(999)) {
                try await store.serviceSubscriptions.cancel(accountID: ana.id, ids: [999], now: instant("2026-12-10"))
            }
            let ended = try await store.serviceSubscriptions.renew(now: instant("2027-01-03T10:00:00Z"))
            #expect(ended.ended == 1 && ended.charged == 0)
            let states = try await store.serviceSubscriptions.subscriptions(ServiceSubscriptionQuery(accountID: ana.id)).map(\.state)
            #expect(states == [.ended, .suspended])
        }
    }

    @Test("subscribing without the money stores nothing and charges nothing", arguments: StoreEngine.all)
    func subscriptionRefused(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let bob = try await Self.newAccount(store, "bob", key: "k2")
            await #expect(throws: NumberError.self) {
                try await Self.subscribe(store, bob, "sip", Self.terms("SIP_REGISTRATION", installation: "1", monthly: "2"), at: "2026-11-03")
            }
            #expect(try await store.serviceSubscriptions.subscriptions(ServiceSubscriptionQuery(accountID: bob.id)).isEmpty)
            #expect(try await store.ledger.transactions(TransactionQuery(accountID: bob.id)).totalCount == 0)
            await #expect(throws: NumberError.unknownAccount(999)) {
                try await store.serviceSubscriptions.subscribe(
                    ServiceSubscriptionRequest(accountID: 999, template: "x", terms: Self.terms("MAU", monthly: "1"), label: "x", attributes: [:]),
                    now: instant("2026-11-03"),
                    fees: SubscriptionFees(installation: .zero, monthly: amount("1"), note: "")
                )
            }
        }
    }

    @Test(
        "a package's units are drawn before any charge, period by period; unused units lapse; the renewal grants a period's units once",
        arguments: StoreEngine.all
    )
    func packageAllowances(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-01"))
            let package = Self.terms("PACKAGE", monthly: "10", includes: "asr=600")
            let made = try await Self.subscribe(store, ana, "speech", package, at: "2026-11-01T00:00:00Z")
            #expect(made.transactions.map(\.amount) == [amount("-10")])
            let first = try await store.serviceSubscriptions.allowances(accountID: ana.id, at: instant("2026-11-05"))
            #expect(first.map(\.included) == [600] && first.map(\.left) == [600])

            // Usage before the package began is not its to cover.
            #expect(Self.charged(try await Self.use(store, ana, "early", units: 60, at: "2026-10-31T23:59:59Z")) == amount("-0.016"))
            #expect(Self.charged(try await Self.use(store, ana, "u1", units: 500, at: "2026-11-10T00:00:00Z")) == .zero)
            // 200 s: 100 included, 100 charged as a use of 100 s (105 s in blocks).
            #expect(Self.charged(try await Self.use(store, ana, "u2", units: 200, at: "2026-11-20T00:00:00Z")) == amount("-0.028"))
            // A retry is the first charge again: nothing more drawn.
            guard case .repeated = try await Self.use(store, ana, "u2", units: 200, at: "2026-11-20T00:00:00Z") else {
                Issue.record("a retry must repeat the first charge")
                return
            }
            #expect(try await store.serviceSubscriptions.allowances(accountID: ana.id, at: instant("2026-11-25")).map(\.left) == [0])

            // The next period: its fee and its units once, however often renewals run.
            for _ in 0..<3 {
                _ = try await store.serviceSubscriptions.renew(accountID: ana.id, now: instant("2026-12-01T00:00:00Z"))
                _ = try await store.serviceSubscriptions.renew(now: instant("2026-12-01T00:00:01Z"))
            }
            let fees = try await store.ledger.transactions(TransactionQuery(accountID: ana.id, types: [.subscriptionCharge])).transactions
            #expect(fees.map(\.amount) == [amount("-10"), amount("-10")])
            let second = try await store.serviceSubscriptions.allowances(accountID: ana.id, at: instant("2026-12-02"))
            #expect(second.map(\.left) == [600] && second.map(\.periodStart) == [instant("2026-12-01T00:00:00Z")])
            // Usage in either period draws on that period's units: the first period's are spent.
            #expect(Self.charged(try await Self.use(store, ana, "late-november", units: 30, at: "2026-11-30T23:59:59Z")) == amount("-0.008"))
            #expect(Self.charged(try await Self.use(store, ana, "december", units: 30, at: "2026-12-01T00:00:00Z")) == .zero)
            #expect(try await store.serviceSubscriptions.allowances(accountID: ana.id, at: instant("2026-12-02")).map(\.left) == [570])
        }
    }

    @Test("changing the plan: the same plan again charges nothing, another one replaces it now and its units with it", arguments: StoreEngine.all)
    func planChange(engine: StoreEngine) async throws {
        try await withStore(engine) { store, _ in
            let ana = try await Self.newAccount(store, "ana", key: "k1")
            _ = try await store.ledger.post([Self.posting(ana, .cardPayment, "100")], now: instant("2026-11-01"))
            let small = Self.terms("PACKAGE", monthly: "10", includes: "asr=600")
            let large = Self.terms("PACKAGE", monthly: "20", includes: "asr=6000")
            let first = try await Self.subscribe(store, ana, "small", small, at: "2026-11-01T00:00:00Z")
            let again = try await Self.subscribe(store, ana, "small", small, at: "2026-11-02T00:00:00Z")
            #expect(again.subscription.id == first.subscription.id && again.transactions.isEmpty)
            // A plan of another type is held beside it.
            _ = try await Self.subscribe(store, ana, "mau", Self.terms("MAU", monthly: "5"), at: "2026-11-02T00:00:00Z")
            let bigger = try await Self.subscribe(store, ana, "large", large, at: "2026-11-15T00:00:00Z")
            #expect(bigger.transactions.map(\.amount) == [amount("-20")])
            let plans = try await store.serviceSubscriptions.subscriptions(ServiceSubscriptionQuery(accountID: ana.id, plansOnly: true))
            #expect(plans.map(\.template) == ["small", "mau", "large"])
            #expect(plans.map(\.state) == [.ended, .active, .active])
            let units = try await store.serviceSubscriptions.allowances(accountID: ana.id, at: instant("2026-11-16"))
            #expect(units.map(\.included) == [6000])
            #expect(try await store.ledger.balance(accountID: ana.id)?.balance == LedgerTotal(amount("65")))
        }
    }
}
