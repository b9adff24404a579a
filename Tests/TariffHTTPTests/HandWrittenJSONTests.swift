import Foundation
import Testing

@testable import TariffCore
@testable import TariffHTTP

/// The explanation and the transaction are written by hand on the charging path; they must read
/// back exactly as the JSON encoder's output does, whatever their strings hold.
@Suite("Hand-written JSON")
struct HandWrittenJSONTests {
    static let nasty = "a\"b\\c\nd\re\tf\u{01}g\u{1F}h\u{2028}i\u{2029}j é 📞 </script>"

    static func explanation(from: String?, rates: Int) -> ChargeExplanation {
        let rate = ChargeExplanation.RateUsed(date: "2026-01-01", base: "EUR", quote: "USD", rate: "1.17", source: nasty)
        var explanation = ChargeExplanation(
            product: "voice-outbound",
            to: from == nil ? nil : "+34911234567",
            from: from,
            occurredAt: "2026-11-20T10:00:00Z",
            quantity: 61,
            unit: "seconds",
            billedSeconds: from == nil ? nil : 120,
            list: "international",
            row: nasty,
            matchedBy: "prefix 34",
            deckVersion: 7,
            effectiveFrom: "2026-01-01T00:00:00Z",
            price: "0.02",
            priceCurrency: "EUR",
            increment: from == nil ? nil : "60/60",
            connectFee: from == nil ? nil : "0",
            cost: "0.04",
            rounding: "8 decimals, up",
            exchangeRates: Array(repeating: rate, count: rates),
            conversionRounding: rates == 0 ? nil : "8 decimals, half even",
            amount: "0.0468",
            currency: "USD"
        )
        // A metered product's members, present in one case and absent in the others.
        if rates == 2 {
            explanation.variant = nasty
            explanation.country = "ES"
            explanation.billedUnits = 30
            explanation.perUnits = 1_000_000
            explanation.minimum = 15
        }
        return explanation
    }

    static func object(_ data: Data) throws -> NSDictionary {
        try #require(try JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    static func encoded(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(value)
    }

    @Test(
        "an explanation: the same object as JSONEncoder's, and decoded back to itself",
        arguments: [(nil, 0), ("ES", 1), (nasty, 2)] as [(String?, Int)]
    )
    func explanation(from: String?, rates: Int) throws {
        let explanation = Self.explanation(from: from, rates: rates)
        let text = explanation.jsonText
        #expect(try Self.object(Data(text.utf8)) == (try Self.object(try Self.encoded(explanation))))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(ChargeExplanation.self, from: Data(text.utf8)) == explanation)
    }

    @Test(
        "an explanation stored in two parts: they share no member, together they are the whole, and usage alone does not change the basis",
        arguments: [(nil, 0), ("ES", 1), (nasty, 2)] as [(String?, Int)]
    )
    func parts(from: String?, rates: Int) throws {
        let explanation = Self.explanation(from: from, rates: rates)
        let basis = try Self.object(Data(explanation.basisJSONText.utf8))
        let charge = try Self.object(Data(explanation.chargeJSONText.utf8))
        let whole = try Self.object(Data(explanation.jsonText.utf8))
        #expect(Set(basis.allKeys.map { "\($0)" }).isDisjoint(with: charge.allKeys.map { "\($0)" }))
        #expect(basis.count + charge.count == whole.count)
        let joined = ChargeExplanation.joined(basis: explanation.basisJSONText, charge: explanation.chargeJSONText)
        #expect(try Self.object(Data(joined.utf8)) == whole)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try decoder.decode(ChargeExplanation.self, from: Data(joined.utf8)) == explanation)
        var other = ChargeExplanation(
            product: explanation.product,
            to: "+4930123456",
            from: nil,
            occurredAt: "2026-11-21T00:00:00Z",
            quantity: 5,
            unit: explanation.unit,
            billedSeconds: 60,
            list: explanation.list,
            row: explanation.row,
            matchedBy: explanation.matchedBy,
            deckVersion: explanation.deckVersion,
            effectiveFrom: explanation.effectiveFrom,
            price: explanation.price,
            priceCurrency: explanation.priceCurrency,
            increment: explanation.increment,
            connectFee: explanation.connectFee,
            cost: "1",
            rounding: explanation.rounding,
            exchangeRates: explanation.exchangeRates,
            conversionRounding: explanation.conversionRounding,
            amount: "2",
            currency: explanation.currency
        )
        // A metered row's terms are the basis's; the variant and country used, and the units billed, are the charge's.
        other.perUnits = explanation.perUnits
        other.minimum = explanation.minimum
        other.variant = "another"
        other.billedUnits = 45
        #expect(other.basisJSONText == explanation.basisJSONText)
        #expect(other.chargeJSONText != explanation.chargeJSONText)
    }

    @Test("a transaction record: the same object as the native API's encoder writes", arguments: [true, false])
    func transaction(withExplanation: Bool) throws {
        let transaction = LedgerTransaction(
            id: 42,
            accountID: 3,
            type: .resourceCharge,
            amount: Amount(units: -4_680_000),
            currency: .USD,
            performedAt: Instant(secondsSince1970: 1_790_000_000),
            recordedAt: Instant(secondsSince1970: 1_790_000_100),
            description: Self.nasty,
            reference: withExplanation ? Self.nasty : nil,
            balanceAfter: LedgerTotal(units: -123_456_789_012_345_678_901_234),
            explanation: withExplanation ? Self.explanation(from: "ES", rates: 1) : nil
        )
        let record = TransactionRecord(transaction)
        #expect(try Self.object(Data(record.jsonText.utf8)) == (try Self.object(try Self.encoded(record))))
    }

    @Test("a native problem document: the same object JSONSerialization wrote, whatever the detail holds")
    func problem() throws {
        for detail in [Self.nasty, "", "plain", "a/b", String(repeating: "é", count: 300)] {
            let error = NativeError.badRequest(detail)
            let before: [String: Any] = ["type": "about:blank", "title": error.title, "status": 400, "detail": detail]
            let expected = try JSONSerialization.data(withJSONObject: before, options: [.sortedKeys, .withoutEscapingSlashes])
            #expect(try Self.object(Data(error.bodyText.utf8)) == (try Self.object(expected)), "\(detail)")
        }
    }

    @Test("a JSON string literal survives every scalar class")
    func quoted() throws {
        var text = Self.nasty
        for value in 0..<0x80 { text.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let decoded = try JSONSerialization.jsonObject(with: Data(("[" + JSONText.quoted(text) + "]").utf8)) as? [String]
        #expect(decoded == [text])
    }
}
