import Testing

@testable import TariffCore

private typealias W = TestWorld

/// Metered products: units, blocks and minimums, the deck rows that price them, the row a
/// usage takes, and the records that charge them.
@Suite("Metered products")
struct MeteredProductTests {
    static let header = "product,variant,country,unit,price,per,minimum,increment,connect_fee,currency,description,resource,effective_from\n"

    static func terms(_ price: String, per: Int, minimum: Int = 0, increment: String = "1/1", fee: String = "0") -> ServicePriceTerms {
        ServicePriceTerms(
            unit: "unit",
            price: W.amount(price),
            perUnits: per,
            minimum: minimum,
            increment: UnitIncrement(parsing: increment)!,
            setupFee: W.amount(fee),
            currency: W.currency("USD"),
            description: "",
            resource: "R"
        )
    }

    static func services(_ csv: String, deckVersion: Int64 = 1) throws -> [ServicePrice] {
        try W.parse(header + csv).servicePrices.map { row in
            var price = row.entry
            price.deckVersion = deckVersion
            return price
        }
    }

    @Test("per character: every unit counts, none costs nothing")
    func perCharacter() throws {
        let terms = Self.terms("16", per: 1_000_000)
        let cases: [(Int, Int, String)] = [(0, 0, "0"), (1, 1, "0.000016"), (1234, 1234, "0.019744"), (1_000_000, 1_000_000, "16")]
        for (units, billed, total) in cases {
            let charge = try ServiceCharge(terms, units: units)
            #expect(charge.billedUnits == billed)
            #expect(charge.total == W.amount(total), "\(units)")
        }
        // A part of the smallest unit of money is charged up, once.
        #expect(try ServiceCharge(Self.terms("0.00000001", per: 3), units: 1).total == W.amount("0.00000001"))
    }

    @Test("per 15 s with a 15 s minimum; per second after a 15 s minimum; per request with a setup fee")
    func blocksAndMinimums() throws {
        let blocks = Self.terms("0.016", per: 60, minimum: 15, increment: "15/15")
        let expected: [(Int, Int)] = [(0, 0), (1, 15), (15, 15), (16, 30), (30, 30), (31, 45), (3600, 3600), (3601, 3615)]
        for (units, billed) in expected { #expect(try ServiceCharge(blocks, units: units).billedUnits == billed, "\(units)") }
        #expect(try ServiceCharge(blocks, units: 16).total == W.amount("0.008"))

        let minimumOnly = Self.terms("0.016", per: 60, minimum: 15)
        #expect(try ServiceCharge(minimumOnly, units: 3).billedUnits == 15)
        #expect(try ServiceCharge(minimumOnly, units: 16).billedUnits == 16)

        let requests = Self.terms("1.5", per: 1000, fee: "0.001")
        let three = try ServiceCharge(requests, units: 3)
        #expect(three.usage == W.amount("0.0045"))
        #expect(three.setupFee == W.amount("0.001"))
        #expect(three.total == W.amount("0.0055"))
        #expect(try ServiceCharge(requests, units: 0).total == .zero)
    }

    @Test("the extremes: a billion units at the dearest price is computed exactly or refused, never wrapped")
    func extremes() throws {
        let huge = UnitIncrement(initial: 1_000_000_000, subsequent: 1_000_000_000)!
        #expect(huge.billedUnits(for: 1_000_000_000) == 1_000_000_000)
        #expect(huge.billedUnits(for: 1) == 1_000_000_000)
        #expect(UnitIncrement(initial: 0, subsequent: 1) == nil)
        #expect(UnitIncrement(parsing: "1000000001/1") == nil)
        #expect(UnitIncrement(parsing: "99999999999999999999/1") == nil)
        #expect(UnitIncrement(parsing: "15") == UnitIncrement(initial: 15, subsequent: 15))
        let cheap = Self.terms("1", per: 1)
        #expect(try ServiceCharge(cheap, units: 1_000_000_000).total == W.amount("1000000000"))
        #expect(throws: AmountError.overflow) { try ServiceCharge(cheap, units: 1_000_000_001) }
        #expect(throws: AmountError.overflow) { try ServiceCharge(cheap, units: -1) }
        let dear = Self.terms("90000000000", per: 1)
        #expect(throws: AmountError.overflow) { try ServiceCharge(dear, units: 1_000_000_000) }
    }

    @Test("a deck mixes calls and metered products; metered rows keep their unit, price per N, minimum, increment and fee")
    func parsedRows() throws {
        let deck = try W.parse(
            """
            product,country,prefix,price,currency,unit,per,minimum,increment,variant,connect_fee,resource
            voice-outbound,ES,,0.02,EUR,,,,60/60,,,
            speech-recognition,,,0.016,USD,second,60,15,15/15,,,
            speech-recognition,ES,,0.01,USD,second,60,15,15/15,enhanced,0.5,ASR_ES
            """
        )
        #expect(deck.rates.count == 1)
        #expect(deck.servicePrices.count == 2)
        let first = try #require(deck.servicePrices.first?.entry)
        #expect(first.key == ServicePriceKey(product: "speech-recognition", variant: nil, country: nil))
        #expect(first.terms == Self.terms("0.016", per: 60, minimum: 15, increment: "15/15").with(unit: "second", resource: "SPEECH_RECOGNITION"))
        let second = try #require(deck.servicePrices.last)
        #expect(second.line == 4)
        #expect(second.entry.key == ServicePriceKey(product: "speech-recognition", variant: "enhanced", country: "ES"))
        #expect(second.entry.terms?.setupFee == W.amount("0.5"))
        #expect(second.entry.terms?.resource == "ASR_ES")
    }

    @Test("bad metered rows are reported as FILE:LINE: column, and the whole file stores nothing")
    func problems() {
        let cases: [(String, String)] = [
            ("tts,,,char,1,0,,,,USD,,,", "deck.csv:2: per: '0' is not a whole number from 1 to 1000000000"),
            ("tts,,,char,1,1000000001,,,,USD,,,", "deck.csv:2: per: '1000000001' is not a whole number from 1 to 1000000000"),
            ("tts,,,char,1,-5,,,,USD,,,", "deck.csv:2: per: '-5' is not a whole number from 1 to 1000000000"),
            ("tts,,,char,1,1,x,,,USD,,,", "deck.csv:2: minimum: 'x' is not a whole number from 0 to 1000000000"),
            (
                "tts,,,char,1,1,,0/5,,USD,,,",
                "deck.csv:2: increment: bad increment '0/5' (initial/subsequent units from 1 to 1000000000, e.g. 15/15, 1/1)"
            ),
            (
                "tts,a b,,char,1,1,,,,USD,,,",
                "deck.csv:2: variant: 'a b' is not a name: a voice, language or model name, 1 to 64 characters without spaces, commas or quotes"
            ),
            ("tts,,XX,char,1,1,,,,USD,,,", "deck.csv:2: country: unknown country 'XX' (ISO 3166-1 alpha-2, e.g. ES)"),
            ("tts,,,char,-1,1,,,,USD,,,", "deck.csv:2: price: negative amount '-1'"),
            ("tts,,,char,1,1,,,,,,,", "deck.csv:2: currency: missing value (or give --currency)"),
            ("tts,,,char,1,1,,,-0.5,USD,,,", "deck.csv:2: connect_fee: negative amount '-0.5'"),
        ]
        for (row, problem) in cases {
            #expect(onlyProblem(Self.header + row) == problem)
        }
        // Number columns on a metered row, metered columns on a number row.
        #expect(
            onlyProblem("product,prefix,price,currency,unit\ntts,34,1,USD,char")
                == "deck.csv:2: prefix: tts is a metered product: it is priced per unit, not per number"
        )
        #expect(
            onlyProblem("product,country,price,currency,unit\nsms-outbound,ES,0.05,EUR,char")
                == "deck.csv:2: unit: unit is for metered products: sms-outbound is priced per number"
        )
        // Not a name a product can have.
        let badName = W.problems("product,price,currency,unit\n9tts,1,USD,char").map(\.description)
        #expect(badName.first?.hasPrefix("deck.csv:2: product: unknown product '9tts'") == true, "\(badName)")
        // Two rows for one key and date.
        #expect(
            onlyProblem(Self.header + "tts,,,char,1,1,,,,USD,,,2026-02-01\ntts,,,char,2,1,,,,USD,,,2026-02-01")
                == "deck.csv:3: product: duplicate of line 2: same product, variant, country and effective_from"
        )
        // Without a unit a name is a mistyped product, not a metered one.
        let noUnit = W.problems(Self.header + "tts,,,,1,1,,,,USD,,,").map(\.description)
        #expect(noUnit.first?.hasPrefix("deck.csv:2: product: unknown product 'tts'") == true, "\(noUnit)")
        // One bad metered row among good call rows: nothing is parsed.
        let mixed = W.problems("product,country,price,currency,unit,per\nvoice-outbound,ES,0.02,EUR,,\ntts,,1,USD,char,0\nsms-outbound,ES,0.05,EUR,,")
        #expect(mixed.map(\.description) == ["deck.csv:3: per: '0' is not a whole number from 1 to 1000000000"])
    }

    @Test("the row a usage takes: variant and country, then variant, then country, then the product; closed and future rows do not price")
    func rowChoice() throws {
        let prices = try Self.services(
            """
            asr,,,second,1,60,,,,USD,,,2026-01-01
            asr,fast,,second,2,60,,,,USD,,,2026-01-01
            asr,,ES,second,3,60,,,,USD,,,2026-01-01
            asr,fast,ES,second,4,60,,,,USD,,,2026-01-01
            asr,fast,ES,second,5,60,,,,USD,,,2026-03-01
            """
        )
        let catalog = ServiceCatalog(prices)
        let at = W.instant("2026-02-01")
        func price(_ variant: String?, _ country: String?) throws -> (String, String) {
            let quote = try catalog.quote(product: "asr", variant: variant, country: country, at: at)
            return (quote.terms.price.plainText, quote.matchedBy)
        }
        #expect(try price("fast", "ES") == ("4", "variant and country"))
        #expect(try price("fast", "DE") == ("2", "variant"))
        #expect(try price("slow", "ES") == ("3", "country"))
        #expect(try price(nil, nil) == ("1", "product"))
        #expect(try catalog.quote(product: "asr", variant: "fast", country: "ES", at: at).next?.terms?.price == W.amount("5"))
        #expect(try catalog.quote(product: "asr", variant: "fast", country: "ES", at: W.instant("2026-03-01")).terms.price == W.amount("5"))
        #expect(throws: ServiceQuoteError.unknownProduct("tts")) { try catalog.quote(product: "tts", variant: nil, country: nil, at: at) }
        #expect(throws: ServiceQuoteError.self) { try catalog.quote(product: "asr", variant: nil, country: nil, at: W.instant("2025-01-01")) }
        // A closed version ends the price: the fallback row takes over.
        let closed = catalog.adding([prices[3].closing(at: W.instant("2026-01-15"))])
        #expect(try closed.quote(product: "asr", variant: "fast", country: "ES", at: at).matchedBy == "variant")
    }

    @Test("a usage record of a metered product: units required and bounded, no number fields, the variant in its fingerprint")
    func records() throws {
        let now = W.instant("2026-12-01")
        func record(_ fields: UsageFields) throws(UsageProblem) -> UsageRecord { try UsageRecord(validating: fields, now: now) }
        let base = UsageFields(id: "u1", product: "asr", occurredAt: "2026-11-01T00:00:00Z", units: 16)
        let valid = try record(base)
        #expect(valid.service == ServiceUsage(product: "asr", variant: nil, country: nil, units: 16))
        #expect(valid.product == nil && valid.number == nil)
        var lower = base
        lower.country = "es"
        #expect(try record(lower).service?.country == "ES")
        var variant = base
        variant.variant = "fast"
        #expect(try record(variant).fingerprint != valid.fingerprint)
        var more = base
        more.units = 17
        #expect(try record(more).fingerprint != valid.fingerprint)

        var refused: [UsageFields] = []
        for change in [
            { (f: inout UsageFields) in f.units = nil }, { $0.units = -1 }, { $0.units = 1_000_000_001 }, { $0.to = "+34911234567" },
            { $0.seconds = 5 }, { $0.messages = 1 }, { $0.from = "ES" }, { $0.country = "ESP" }, { $0.country = "1A" },
            { $0.variant = "" }, { $0.variant = String(repeating: "v", count: 65) }, { $0.variant = "a\"b" }, { $0.product = "ASR" },
            { $0.occurredAt = "2027-01-01T00:00:00Z" },
        ] {
            var fields = base
            change(&fields)
            refused.append(fields)
        }
        for fields in refused {
            #expect(throws: UsageProblem.self, "\(fields)") { try record(fields) }
        }
        // Units on a call are refused, not ignored.
        #expect(throws: UsageProblem.self) {
            try record(UsageFields(id: "c", product: "voice", to: "+34911234567", seconds: 5, occurredAt: "2026-11-01T00:00:00Z", units: 5))
        }
    }

    @Test("a book snapshot keeps metered prices, closed versions and all")
    func snapshot() throws {
        let prices = try Self.services(
            """
            asr,,,second,0.016,60,15,15/15,0.001,USD,Recognition,ASR,2026-01-01
            tts,neural,ES,character,16,1000000,,,,EUR,,TTS,2026-01-01
            """
        )
        let book = try RateBook(
            deck: "base",
            version: 1,
            reference: W.reference,
            rates: [],
            numberPrices: [],
            servicePrices: prices + [prices[1].closing(at: W.instant("2026-06-01"))]
        )
        let bytes = RateBookSnapshot.encode(book, stamp: "s")
        let (_, decoded) = try bytes.withUnsafeBytes { try RateBookSnapshot.decode($0, reference: W.reference) }
        #expect(decoded.services.prices == book.services.prices)
        #expect(decoded.services.prices.count == 3)
        #expect(try decoded.services.quote(product: "asr", variant: nil, country: nil, at: W.now).terms.minimum == 15)
    }
}

extension ServicePriceTerms {
    fileprivate func with(unit: String, resource: String) -> ServicePriceTerms {
        var copy = self
        copy.unit = unit
        copy.resource = resource
        return copy
    }
}

@Suite("Metered products: files of their own")
struct MeteredFileTests {
    @Test("a file of metered products needs no country, network or prefix column; a call row in it still does")
    func noNumberColumns() throws {
        let deck = try W.parse("product,price,currency,unit\ntts,4,USD,character")
        #expect(deck.servicePrices.count == 1)
        #expect(
            onlyProblem("product,price,currency,unit\nvoice-outbound,0.02,EUR,")
                == "deck.csv:2: country: one of country, network or prefix is required"
        )
    }
}
