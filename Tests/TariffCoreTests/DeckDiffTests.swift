import Testing

@testable import TariffCore

private typealias W = TestWorld

/// Versions of a small deck: `version` stamps the rows as the store would.
private func rows(_ body: String, version: Int64) throws -> [Rate] {
    try W.rates("product,country,price,currency,effective_from\n" + body, options: W.options(now: W.now), deckVersion: version)
}

private func diff(_ entries: [Rate], from: Int64, to: Int64, at: String) -> DeckDiff {
    var diff = DeckDiff(from: from, to: to, at: W.instant(at))
    diff.compare(rates: entries)
    return diff
}

@Suite("Deck diffs")
struct DeckDiffTests {
    @Test("each kind of change, with both sides; unchanged and untouched keys are left out")
    func kinds() throws {
        let first = try rows(
            "sms-outbound,ES,0.06,EUR,2026-01-01\nsms-outbound,PL,0.05,EUR,2026-01-01\nsms-outbound,DE,0.07,EUR,2026-01-01\n",
            version: 1
        )
        let second = try rows(
            "sms-outbound,ES,0.065,EUR,2026-01-01\nsms-outbound,PL,0.04,EUR,2026-01-01\nsms-outbound,MX,0.09,EUR,2026-01-01\n",
            version: 2
        )
        // DE closed by version 2; its closing row, as an import adds it.
        let closing = first[2].closing(at: W.instant("2026-01-01"))
        var closed = closing
        closed.deckVersion = 2
        let entries = first + second + [closed]
        let found = diff(entries, from: 1, to: 2, at: "2026-02-01")
        let byKey = Dictionary(uniqueKeysWithValues: found.items.map { ($0.key, $0) })
        #expect(byKey.count == 4)
        #expect(byKey.values.first { $0.key.contains("ES") }?.change == .increased)
        #expect(byKey.values.first { $0.key.contains("PL") }?.change == .decreased)
        #expect(byKey.values.first { $0.key.contains("MX") }?.change == .new)
        let germany = try #require(byKey.values.first { $0.key.contains("DE") })
        #expect(germany.change == .closed && germany.new == nil && germany.old?.price == Amount(units: 7_000_000))
        // Nothing changed between a version and itself, or before the first import.
        #expect(diff(entries, from: 2, to: 2, at: "2026-02-01").items.isEmpty)
        #expect(diff(entries, from: 0, to: 1, at: "2026-02-01").count(.new) == 3)
    }

    @Test("the instant matters: a change scheduled for later shows only at or after its date; a currency change is other terms")
    func scheduledAndCurrency() throws {
        let first = try rows("sms-outbound,ES,0.06,EUR,2026-01-01\nsms-outbound,PL,0.05,EUR,2026-01-01\n", version: 1)
        let second = try rows("sms-outbound,ES,0.08,EUR,2026-03-01\nsms-outbound,PL,0.05,USD,2026-01-01\n", version: 2)
        let entries = first + second
        let before = diff(entries, from: 1, to: 2, at: "2026-02-01")
        #expect(before.items.map(\.change) == [.otherTerms])
        let after = diff(entries, from: 1, to: 2, at: "2026-03-01")
        #expect(Set(after.items.map(\.change)) == [.increased, .otherTerms])
        let spain = try #require(after.items.first { $0.change == .increased })
        #expect(spain.new?.effectiveFrom == W.instant("2026-03-01") && spain.old?.effectiveFrom == W.instant("2026-01-01"))
    }
}
