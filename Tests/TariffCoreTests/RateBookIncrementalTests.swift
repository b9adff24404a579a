import Testing

@testable import TariffCore

private typealias W = TestWorld

/// A book brought up to date one deck version at a time must answer exactly as a book
/// compiled from every version at once, and so must a book read back from its snapshot.
@Suite struct RateBookIncrementalTests {
    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func incrementalBookAnswersAsACompiledOne(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let history = RandomDeckHistory(random: &random)
        var incremental = RateBook.empty(reference: W.reference)
        var all: [Rate] = []
        for (index, version) in history.versions.enumerated() {
            incremental = try incremental.applying(version: Int64(index + 1), rates: version, numberPrices: [])
            all += version
            // Every few versions, not only at the end: a merge must hold at each step.
            if index == 4 || index == history.versions.count - 1 {
                let compiled = try RateBook(deck: "base", version: Int64(index + 1), reference: W.reference, rates: all, numberPrices: [])
                let restored = try roundTrip(incremental)
                for (book, name) in [(incremental, "incremental"), (restored, "snapshot")] {
                    try expectSameAnswers(book, compiled, history: history, random: &random, label: "\(name), seed \(seed), version \(index + 1)")
                }
            }
        }
        #expect(incremental.count == all.count)
    }

    @Test func aVersionWithOnlyKnownPrefixesKeepsTheListsPrefixIndex() throws {
        let options = W.options(product: .voiceOutbound, currency: "EUR")
        let first = try W.rates("prefix,price\n3461,0.10\n34612,0.20\n", options: options, deckVersion: 1)
        let book = try RateBook(deck: "base", version: 1, reference: W.reference, rates: first, numberPrices: [])
        let change = try W.rates("prefix,price\n34612,0.25\n", options: options, deckVersion: 2)
        let next = try book.applying(version: 2, rates: change, numberPrices: [])
        let key = RateBook.ListKey(product: .voiceOutbound, origin: .any)
        #expect(next.lists[key]?.prefixIndex.count == 2)
        #expect(try quote(next, "+34612345678").rate.terms?.price == W.amount("0.25"))
        // The book it was made from is unchanged: requests reading it still see the old price.
        #expect(try quote(book, "+34612345678").rate.terms?.price == W.amount("0.20"))
    }

    /// A book read from its file has no index of its strings and terms until a version is
    /// applied to it: then each must still be stored once, and the answers be a compiled book's.
    @Test(arguments: [7, 8] as [UInt64])
    func aBookReadFromItsFileTakesTheNextVersion(seed: UInt64) throws {
        var random = SplitMix64(state: seed)
        let history = RandomDeckHistory(random: &random)
        let half = history.versions.count / 2
        var book = RateBook.empty(reference: W.reference)
        for (index, version) in history.versions.prefix(half).enumerated() {
            book = try book.applying(version: Int64(index + 1), rates: version, numberPrices: [])
        }
        var restored = try roundTrip(book)
        for (index, version) in history.versions.enumerated().dropFirst(half) {
            restored = try restored.applying(version: Int64(index + 1), rates: version, numberPrices: [])
        }
        let all = history.versions.flatMap { $0 }
        let compiled = try RateBook(deck: "base", version: Int64(history.versions.count), reference: W.reference, rates: all, numberPrices: [])
        #expect(Set(restored.tables.strings).count == restored.tables.strings.count, "a string stored twice")
        #expect(Set(restored.tables.terms).count == restored.tables.terms.count, "terms stored twice")
        #expect(Set(compiled.tables.strings).isSubset(of: Set(restored.tables.strings)))
        try expectSameAnswers(restored, compiled, history: history, random: &random, label: "restored, seed \(seed)")
    }

    private func roundTrip(_ book: RateBook) throws -> RateBook {
        let bytes = RateBookSnapshot.encode(book, stamp: "test")
        return try bytes.withUnsafeBytes { try RateBookSnapshot.decode($0, reference: W.reference).1 }
    }

    private func expectSameAnswers(_ book: RateBook, _ compiled: RateBook, history: RandomDeckHistory, random: inout SplitMix64, label: String) throws
    {
        #expect(book.count == compiled.count, "\(label): count")
        for instant in history.instants {
            #expect(
                book.rates(at: instant, scheduled: true) == compiled.rates(at: instant, scheduled: true),
                "\(label): listing at \(instant.iso8601)"
            )
            #expect(book.nextScheduledChange(after: instant) == compiled.nextScheduledChange(after: instant), "\(label): next change")
        }
        for number in history.numbers(random: &random) {
            for product in [Product.voiceOutbound, .smsOutbound, .voiceInbound] {
                for origin in history.origins {
                    for instant in history.instants {
                        let expected = Answer(compiled, number, product, origin, instant)
                        let answer = Answer(book, number, product, origin, instant)
                        #expect(
                            answer == expected,
                            "\(label): \(number.e164) \(product.rawValue) from \(String(describing: origin)) at \(instant.iso8601)"
                        )
                    }
                }
            }
        }
    }
}

/// What a quote says, comparable.
private struct Answer: Equatable, CustomStringConvertible {
    let text: String

    init(_ book: RateBook, _ number: PhoneNumber, _ product: Product, _ origin: CallOrigin?, _ instant: Instant) {
        do {
            let quote = try book.quote(number, product: product, from: origin, at: instant)
            text = "\(quote.rate) \(quote.match) \(quote.list) \(quote.skipped) next \(String(describing: quote.next))"
        } catch {
            text = "error \(error)"
        }
    }

    var description: String { text }
}

/// Random deck versions over a small world: prefix rows (nested, shared by several countries),
/// network, pseudo-network, number-type and country rows, inbound rows, in every origin list;
/// prices, closings, changes scheduled ahead and cancelled, several at one instant.
struct RandomDeckHistory {
    let versions: [[Rate]]
    let prefixes: [String]
    let instants: [Instant]
    let origins: [CallOrigin?] = [nil, .country("ES"), .country("PL"), .country("MX"), .number(W.number("+442071234567"))]

    init(random: inout SplitMix64) {
        var prefixes = [
            "34", "346", "3461", "34612", "3491", "48", "4850", "49", "4915", "52", "5255", "5281", "57", "573", "57310", "1", "44", "447",
        ]
        for _ in 0..<30 {
            var prefix = prefixes.randomElement(using: &random)!
            for _ in 0..<Int.random(in: 1...3, using: &random) { prefix.append(String(Int.random(in: 0...9, using: &random))) }
            prefixes.append(prefix)
        }
        self.prefixes = Array(Set(prefixes)).sorted()
        let dates = ["2025-06-01", "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-15"].map(W.instant)
        instants = ["2025-01-01", "2025-06-01", "2026-01-15", "2026-02-01", "2026-03-02", "2027-01-01"].map(W.instant)
        var keys: [RateKey] = []
        for product in [Product.voiceOutbound, .smsOutbound] {
            for origin in OriginScope.allCases {
                for prefix in self.prefixes where Bool.random(using: &random) {
                    keys.append(
                        RateKey(
                            product: product,
                            origin: origin,
                            country: ["ES", "PL", nil].randomElement(using: &random)!,
                            network: Int.random(in: 0..<8, using: &random) == 0 ? "21407" : nil,
                            prefix: prefix,
                            numberType: nil
                        )
                    )
                }
                keys += [
                    RateKey(product: product, origin: origin, country: "ES", network: "21407", prefix: nil, numberType: nil),
                    RateKey(product: product, origin: origin, country: nil, network: "33402", prefix: nil, numberType: nil),
                    RateKey(product: product, origin: origin, country: "ES", network: "ES-FIXED", prefix: nil, numberType: nil),
                    RateKey(product: product, origin: origin, country: "CO", network: nil, prefix: nil, numberType: "mobile"),
                    RateKey(product: product, origin: origin, country: "MX", network: nil, prefix: nil, numberType: nil),
                    RateKey(product: product, origin: origin, country: "US", network: nil, prefix: nil, numberType: nil),
                ]
            }
        }
        for origin in OriginScope.allCases {
            keys += [
                RateKey(product: .voiceInbound, origin: origin, country: "ES", network: nil, prefix: nil, numberType: "MOBILE"),
                RateKey(product: .voiceInbound, origin: origin, country: "ES", network: nil, prefix: "44", numberType: nil),
                RateKey(product: .voiceInbound, origin: origin, country: "GB", network: nil, prefix: nil, numberType: nil),
            ]
        }
        var versions: [[Rate]] = []
        for version in 1...10 {
            var rates: [Rate] = []
            var used = Set<String>()
            for key in keys where Int.random(in: 0..<4, using: &random) == 0 {
                let from = dates.randomElement(using: &random)!
                // One version of a key per instant and deck version, as an import writes.
                guard used.insert("\(key.label)@\(from.secondsSince1970)").inserted else { continue }
                let closes = Int.random(in: 0..<6, using: &random) == 0
                let terms =
                    closes
                    ? nil
                    : RateTerms(
                        price: Amount(units: Int64.random(in: 1...5, using: &random) * 1_000_000),
                        currency: W.currency("EUR"),
                        increment: key.product.isVoice
                            ? [BillingIncrement(initial: 60, subsequent: 60), BillingIncrement(initial: 1, subsequent: 1)]
                                .randomElement(using: &random)! : nil,
                        connectFee: Amount(units: 0),
                        description: ["Spain", "Mobile", "Fixed \(version % 2)"].randomElement(using: &random)!,
                        resource: key.product.isVoice ? "PSTN_INTERNATIONAL" : "SMSOUT"
                    )
                rates.append(Rate(key: key, effectiveFrom: from, terms: terms, deckVersion: Int64(version)))
            }
            versions.append(rates)
        }
        self.versions = versions
    }

    /// Numbers under every prefix, longer and shorter than it, and beside it.
    func numbers(random: inout SplitMix64) -> [PhoneNumber] {
        var texts = Set<String>()
        for prefix in prefixes {
            var number = prefix
            while number.count < 11 { number.append(String(Int.random(in: 0...9, using: &random))) }
            texts.insert(number)
            texts.insert(String(number.prefix(max(prefix.count - 1, 1))) + "9" + String(number.dropFirst(prefix.count)))
        }
        texts.formUnion(["34912345678", "521234567890", "573101234567", "12025550123", "447700900123", "34806123456"])
        return texts.sorted().compactMap { try? PhoneNumber(parsing: "+" + $0) }
    }
}
