import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("Price changes: the feed of prices that start, rise, fall or close")
struct PriceChangeTests {
    static let header = "product,country,network,prefix,price,currency,description,effective_from\n"

    /// Version 1: three prices from January. Version 2: Movistar rises from March, Orange falls
    /// at once, the prefix block closes in April, Poland is new from February. Version 3 moves
    /// Movistar's rise back to its old price (a cancelled rise) and raises Spain from May.
    static func book() throws -> RateBook {
        let options = W.options(product: .smsOutbound, currency: "EUR")
        let v1 = try W.rates(
            header + """
                sms-outbound,ES,21407,,0.05,EUR,Spain Movistar,2026-01-01
                sms-outbound,ES,21401,,0.06,EUR,Spain Vodafone,2026-01-01
                sms-outbound,ES,,346111,0.01,EUR,Spain block,2026-01-01
                sms-outbound,ES,,,0.07,EUR,Spain,2026-01-01
                """,
            options: options,
            deckVersion: 1
        )
        var v2 = try W.rates(
            header + """
                sms-outbound,ES,21407,,0.055,EUR,Spain Movistar,2026-03-01
                sms-outbound,ES,21401,,0.058,EUR,Spain Vodafone,2026-01-10
                sms-outbound,PL,,,0.03,EUR,Poland,2026-02-01
                """,
            options: options,
            deckVersion: 2
        )
        let block = v1.first { $0.key.prefix == "346111" }!
        var closing = block.closing(at: W.instant("2026-04-01"))
        closing.deckVersion = 2
        v2.append(closing)
        let v3 = try W.rates(
            header + """
                sms-outbound,ES,21407,,0.05,EUR,Spain Movistar,2026-03-01
                sms-outbound,ES,,,0.08,EUR,Spain,2026-05-01
                """,
            options: options,
            deckVersion: 3
        )
        let numbers = try W.parse(
            "country,category,installation_price,monthly_price,currency,effective_from\nES,MOBILE,1,2,EUR,2026-01-01\n",
            options: W.options(.numbers)
        ).numberPrices.map { row in
            var price = row.entry
            price.deckVersion = 1
            return price
        }
        var raised = try W.parse(
            "country,category,installation_price,monthly_price,currency,effective_from\nES,MOBILE,1,2.5,EUR,2026-06-01\n",
            options: W.options(.numbers)
        ).numberPrices.map { row in
            var price = row.entry
            price.deckVersion = 3
            return price
        }
        raised[0].deckVersion = 3
        return try RateBook(deck: "base", version: 3, reference: W.reference, rates: v1 + v2 + v3, numberPrices: numbers + raised)
    }

    /// `change key old new date version` per change, for comparing whole feeds at a glance.
    static func lines(_ changes: [PriceChange]) -> [String] {
        changes.map {
            [
                $0.change.rawValue, $0.subject.label, $0.old?.price.amount.plainText ?? "-", $0.new?.price.amount.plainText ?? "-",
                String($0.effectiveFrom.iso8601.prefix(10)), String($0.deckVersion),
            ].joined(separator: " ")
        }
    }

    static func feed(_ book: RateBook, since: String, product: String? = nil, country: String? = nil) throws -> [String] {
        lines(book.changes(try ChangeFilter(since: since, product: product, country: country, reference: W.reference)))
    }

    @Test func everyChangeSinceTheFirstVersionByDate() throws {
        // Movistar's rise (version 2) was cancelled by version 3 before it took effect: the
        // timeline as it stands has no change in March, so the feed lists none.
        #expect(
            try Self.feed(Self.book(), since: "1") == [
                "decreased sms-outbound/any ES network 21401 0.06 0.058 2026-01-10 2",
                "new sms-outbound/any PL - 0.03 2026-02-01 2",
                "closed sms-outbound/any ES prefix 346111 0.01 - 2026-04-01 2",
                "increased sms-outbound/any ES 0.07 0.08 2026-05-01 3",
                "increased numbers ES MOBILE 2 2.5 2026-06-01 3",
            ]
        )
    }

    @Test func fromTheStartEveryPriceIsNew() throws {
        let feed = try Self.feed(Self.book(), since: "0", product: "sms")
        #expect(feed.filter { $0.hasPrefix("new ") }.count == 5)
        #expect(feed.first == "new sms-outbound/any ES - 0.07 2026-01-01 1")
        #expect(feed.count == 8)  // five new, the fall, the closing, the rise of May
    }

    @Test func sinceAnInstantListsWhatTakesEffectThenOrLater() throws {
        #expect(
            try Self.feed(Self.book(), since: "2026-04-01") == [
                "closed sms-outbound/any ES prefix 346111 0.01 - 2026-04-01 2",
                "increased sms-outbound/any ES 0.07 0.08 2026-05-01 3",
                "increased numbers ES MOBILE 2 2.5 2026-06-01 3",
            ]
        )
        #expect(try Self.feed(Self.book(), since: "2026-06-02T00:00:00Z").isEmpty)
    }

    @Test func productAndCountryNarrowTheFeed() throws {
        let book = try Self.book()
        #expect(try Self.feed(book, since: "1", product: "numbers") == ["increased numbers ES MOBILE 2 2.5 2026-06-01 3"])
        #expect(try Self.feed(book, since: "1", country: "pl") == ["new sms-outbound/any PL - 0.03 2026-02-01 2"])
        #expect(try Self.feed(book, since: "1", product: "voice").isEmpty)
        // The prefix row has no country of its own: its prefix tells it is Spain's.
        #expect(try Self.feed(book, since: "1", country: "ES").count == 4)
    }

    @Test func aRecordConvertsBothSidesToTheAccountsCurrency() throws {
        let book = try Self.book()
        let fx = ExchangeRateTable(rates: [
            ExchangeRate(
                date: W.instant("2026-01-01"),
                base: W.currency("EUR"),
                quote: W.currency("USD"),
                rate: try RateValue(parsing: "1.17"),
                source: "test"
            )
        ])
        let filter = try ChangeFilter(since: "2", product: "sms", country: nil, reference: W.reference)
        let records = try book.changes(filter).map { try PriceChangeRecord($0, currency: W.currency("USD"), fx: fx) }
        #expect(records.count == 1)
        #expect(records[0].oldPrice == "0.08190000")
        #expect(records[0].newPrice == "0.09360000")
        #expect(records[0].currency == "USD")
        #expect(records[0].csvLine == "sms-outbound,any,sms-outbound/any ES,ES,increased,0.08190000,0.09360000,,,USD,2026-05-01T00:00:00Z,3\n")
    }

    @Test(arguments: ["", "-1", "abc", "99999999999999999999", "2026-13-01", "12a"])
    func aSinceThatIsNeitherAVersionNorAnInstantIsRefused(text: String) {
        #expect(throws: ChangeFilter.Invalid.self) { try ChangeFilter(since: text, product: nil, country: nil, reference: W.reference) }
    }

    @Test func badProductOrCountryIsNamed() {
        #expect(throws: ChangeFilter.Invalid.self) { try ChangeFilter(since: "0", product: "fax", country: nil, reference: W.reference) }
        #expect(throws: ChangeFilter.Invalid.self) { try ChangeFilter(since: "0", product: nil, country: "XX", reference: W.reference) }
        #expect(throws: ChangeFilter.Invalid.self) { try ChangeFilter(since: nil, product: nil, country: nil, reference: W.reference) }
        #expect(throws: Never.self) { try ChangeFilter(since: "0", product: nil, country: nil, reference: W.reference) }
    }

    /// The feed against ``Timeline``, a different reading of the same versions: every instant
    /// where a key's terms in force change is in the feed with the prices just before and at
    /// it, and nothing else is; for a compiled book and one brought up to date version by version.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func theFeedIsEveryPointWhereATimelineChanges(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let history = RandomDeckHistory(random: &random)
        let all = history.versions.flatMap { $0 }
        let compiled = try RateBook(deck: "base", version: Int64(history.versions.count), reference: W.reference, rates: all, numberPrices: [])
        var incremental = RateBook.empty(reference: W.reference)
        for (index, version) in history.versions.enumerated() {
            incremental = try incremental.applying(version: Int64(index + 1), rates: version, numberPrices: [])
        }
        for since in [ChangeSince.version(0), .version(4), .version(9), .time(W.instant("2026-02-01"))] {
            var expected: [String] = []
            for (key, versions) in Dictionary(grouping: all, by: \.key) {
                let timeline = Timeline(versions)
                for start in Set(versions.map(\.effectiveFrom)) {
                    let before = timeline.at(Instant(secondsSince1970: start.secondsSince1970 - 1))
                    let at = timeline.at(start)
                    guard before?.terms != at?.terms else { continue }
                    let winner = timeline.entries.last { $0.effectiveFrom == start }!
                    guard since.includes(winner) else { continue }
                    expected.append("\(key.label) \(start.secondsSince1970) \(before?.terms?.price.units ?? -1) \(at?.terms?.price.units ?? -1)")
                }
            }
            for (book, name) in [(compiled, "compiled"), (incremental, "incremental")] {
                var found: [String] = []
                book.changes(since: since) { change in
                    guard case .rate(let key) = change.subject else { return }
                    found.append(
                        "\(key.label) \(change.effectiveFrom.secondsSince1970) \(change.old?.price.amount.units ?? -1) \(change.new?.price.amount.units ?? -1)"
                    )
                }
                #expect(found.sorted() == expected.sorted(), "seed \(seed), \(name), since \(since)")
            }
        }
    }
}
