import Testing

@testable import TariffCore

/// A number whose length its country cannot have is not a number, whatever prices exist.
@Suite("Possible number lengths")
struct PossibleLengthsTests {
    static let lengths = PossibleLengths(rows: [
        .init(region: "US", callingCode: "1", type: "general", lengths: [10]),
        .init(region: "ES", callingCode: "34", type: "general", lengths: [9]),
        .init(region: "DE", callingCode: "49", type: "general", lengths: Array(4...15)),
        .init(region: "DE", callingCode: "49", type: "mobile", lengths: [10, 11]),
        .init(region: "DE", callingCode: "49", type: "fixed_line", lengths: Array(5...15)),
        .init(region: "001", callingCode: "800", type: "general", lengths: [8]),
    ])

    static let reference: ReferenceData = {
        do {
            return try ReferenceData(
                countries: TestWorld.countries,
                currencies: TestWorld.currencies,
                networks: TestWorld.networks,
                ranges: TestWorld.ranges,
                possibleLengths: lengths
            )
        } catch {
            fatalError("\(error)")
        }
    }()

    static func possible(_ text: String) -> Bool {
        let number = TestWorld.number(text)
        return reference.hasPossibleLength(number, info: reference.classify(number.key))
    }

    @Test(
        "lengths of the country, and of the range's type where the data has one",
        arguments: [
            ("+12025550123", true), ("+12345", false), ("+1202555012", false),
            ("+34612345678", true), ("+3461234567", false), ("+346123456789", false),
            ("+4915112345678", true), ("+491511234", false),  // a mobile range: 10 or 11 digits
            ("+4930123456", true), ("+4930123", true),  // fixed lines: 5 to 15
            ("+5215512345678", true),  // no data for MX: every length passes
            ("+80012345678", true), ("+8001234", false),  // a non-geographic code
        ]
    )
    func lengths(_ number: String, _ possible: Bool) {
        #expect(Self.possible(number) == possible, "\(number)")
    }

    @Test("a book refuses an impossible number as not a number, before it looks for a price")
    func bookRefuses() throws {
        let book = try RateBook(deck: "base", version: 1, reference: Self.reference, rates: [], numberPrices: [])
        #expect(throws: RatingError.impossibleLength(TestWorld.number("+12345"), country: "US")) {
            try book.quote(TestWorld.number("+12345"), product: .voiceOutbound, at: TestWorld.now)
        }
        do {
            _ = try book.quote(TestWorld.number("+12345"), product: .smsOutbound, at: TestWorld.now)
        } catch {
            #expect(error.isNotANumber)
            #expect(error.description == "+12345 is not a possible number of US: no number there has that many digits")
        }
        do {
            _ = try book.quote(TestWorld.number("+12025550123"), product: .smsOutbound, at: TestWorld.now)
        } catch {
            #expect(!error.isNotANumber, "a possible number without a price is unpriced, not invalid")
        }
    }

    @Test("rows outside 1...31 digits and unknown types allow nothing odd")
    func bounds() {
        let odd = PossibleLengths(rows: [.init(region: "XX", callingCode: "999", type: "general", lengths: [0, 40, 7])])
        #expect(odd.allows(7, region: "XX", referenceType: nil))
        #expect(!odd.allows(0, region: "XX", referenceType: nil))
        #expect(!odd.allows(40, region: "XX", referenceType: nil))
        #expect(odd.allows(7, region: "XX", referenceType: "pager"), "a type without data falls back to the country's lengths")
        #expect(PossibleLengths.unknown.allows(3, region: "US", referenceType: nil))
    }

    @Test("a range's reading resolved once answers as the tables looked up for each number")
    func resolvedReadingAgrees() {
        var random = SplitMix64(state: 0x51DE)
        for range in TestWorld.ranges {
            for _ in 0..<200 {
                let digits = range.prefix + String((0..<random.below(14)).map { _ in random.skewedDigit() })
                guard digits.count >= 3, let key = DigitKey(digits) else { continue }
                let number = TestWorld.number("+" + digits)
                let resolved = Self.reference.classify(key)
                let looked = NumberInfo(country: resolved.country, range: resolved.range, network: resolved.network)
                #expect(resolved.range == range || resolved.range.map { $0.prefix.count > range.prefix.count } == true)
                #expect(resolved.lengths != nil, "\(digits): the quick check applies inside a range of a known country")
                #expect(resolved.numberType == looked.numberType && resolved.category == looked.category, "\(digits)")
                #expect(
                    Self.reference.hasPossibleLength(number, info: resolved) == Self.reference.hasPossibleLength(number, info: looked),
                    "\(digits)"
                )
            }
        }
    }
}
