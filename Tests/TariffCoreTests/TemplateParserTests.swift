import Testing

@testable import TariffCore

private typealias W = TestWorld

/// Subscription template files: SIP registrations and packages with what they include.
@Suite("DeckParser: subscription templates")
struct TemplateParserTests {
    static let header = "template,type,name,installation_price,monthly_price,currency,includes,effective_from\n"
    static let options = W.options(.templates)

    @Test("SIP registrations and packages: fees, type, name, included units")
    func validRows() throws {
        let deck = try W.parse(
            Self.header + """
                sip-registration,sip_registration,SIP registration,1,2,USD,,2026-02-01
                speech,PACKAGE,,0,15,EUR,speech-synthesis=1000000; speech-recognition/enhanced=3600,
                """,
            options: Self.options
        )
        #expect(deck.templatePrices.count == 2)
        let sip = try #require(deck.templatePrices.first?.entry)
        #expect(sip.key == TemplateKey(name: "sip-registration"))
        #expect(sip.terms?.type == "SIP_REGISTRATION" && sip.terms?.isSIPRegistration == true)
        #expect(sip.terms?.installation == W.amount("1") && sip.terms?.monthly == W.amount("2"))
        #expect(sip.effectiveFrom == W.instant("2026-02-01"))
        let package = try #require(deck.templatePrices.last?.entry.terms)
        #expect(package.displayName == "speech")
        #expect(
            package.includes == [
                Allowance(product: "speech-synthesis", variant: nil, units: 1_000_000),
                Allowance(product: "speech-recognition", variant: "enhanced", units: 3600),
            ]
        )
    }

    @Test("bad template rows are reported as FILE:LINE: column")
    func problems() {
        let cases: [(String, String)] = [
            (",SIP_REGISTRATION,,1,2,USD,,", "deck.csv:2: template: missing value"),
            (
                "Sip Reg,SIP_REGISTRATION,,1,2,USD,,",
                "deck.csv:2: template: 'Sip Reg' is not a template name: 1 to 40 of a-z, 0-9 and -, starting with a letter"
            ),
            (
                "numbers,PHONE_NUM,,1,2,USD,,",
                "deck.csv:2: type: 'PHONE_NUM' is not a template type: SIP_REGISTRATION, or a plan type such as MAU, IM or PACKAGE (PHONE_NUM is for numbers)"
            ),
            ("sip,,,1,2,USD,,", "deck.csv:2: type: missing value"),
            ("sip,SIP_REGISTRATION,,1,2,USD,tts=5,", "deck.csv:2: includes: a SIP registration includes no units: packages do"),
            (
                "p,PACKAGE,,0,2,USD,tts=0,",
                "deck.csv:2: includes: 'tts=0' is not a list of product[/variant]=units separated by ';' (units 1 to 10^9, each product once)"
            ),
            (
                "p,PACKAGE,,0,2,USD,tts=5;tts=6,",
                "deck.csv:2: includes: 'tts=5;tts=6' is not a list of product[/variant]=units separated by ';' (units 1 to 10^9, each product once)"
            ),
            (
                "p,PACKAGE,,0,2,USD,tts,",
                "deck.csv:2: includes: 'tts' is not a list of product[/variant]=units separated by ';' (units 1 to 10^9, each product once)"
            ),
            (
                "p,PACKAGE,,0,2,USD,sms-outbound=5,",
                "deck.csv:2: includes: 'sms-outbound=5' is not a list of product[/variant]=units separated by ';' (units 1 to 10^9, each product once)"
            ),
            ("p,PACKAGE,,-1,2,USD,,", "deck.csv:2: installation_price: negative amount '-1'"),
            ("p,PACKAGE,,0,,USD,,", "deck.csv:2: monthly_price: missing value"),
        ]
        for (row, problem) in cases {
            #expect(onlyProblem(Self.header + row, options: Self.options) == problem)
        }
        #expect(
            onlyProblem(Self.header + "p,MAU,,0,1,USD,,2026-02-01\np,MAU,,0,2,USD,,2026-02-01", options: Self.options)
                == "deck.csv:3: template: duplicate of line 2: same template and effective_from"
        )
    }

    @Test("allowance lists read back what they write; a billion units at most")
    func allowanceLists() {
        let list = [Allowance(product: "tts", variant: "neural", units: 5), Allowance(product: "asr", variant: nil, units: 1_000_000_000)]
        #expect(Allowance.list(parsing: list.map(\.description).joined(separator: ";")) == list)
        #expect(Allowance.list(parsing: "") == [])
        #expect(Allowance.list(parsing: "asr=1000000001") == nil)
        #expect(Allowance.list(parsing: "asr=99999999999999999999") == nil)
        #expect(Allowance.list(parsing: "asr=-5") == nil)
        #expect(Allowance.list(parsing: "asr/a b=5") == nil)
        #expect(Allowance.list(parsing: "asr=5=6") == nil)
    }

    @Test("a book snapshot keeps the templates; a scheduled metered price is a scheduled change of the book")
    func snapshotAndSchedule() throws {
        let templates = try W.parse(Self.header + "p,PACKAGE,Pack,0,15,EUR,asr=600;tts/neural=9,2026-01-01", options: Self.options)
            .templatePrices.map(\.entry)
        let service = ServicePrice(
            key: ServicePriceKey(product: "asr", variant: nil, country: nil),
            effectiveFrom: W.instant("2026-06-01"),
            terms: MeteredProductTests.terms("1", per: 60),
            deckVersion: 1
        )
        let book = try RateBook(
            deck: "base",
            version: 1,
            reference: W.reference,
            rates: [],
            numberPrices: [],
            servicePrices: [service],
            templatePrices: templates
        )
        let (_, decoded) = try RateBookSnapshot.encode(book, stamp: "s").withUnsafeBytes { try RateBookSnapshot.decode($0, reference: W.reference) }
        #expect(decoded.templates.prices == book.templates.prices)
        #expect(decoded.templates.price(of: "p", at: W.now)?.terms?.includes.count == 2)
        #expect(book.nextScheduledChange(after: W.instant("2026-02-01")) == W.instant("2026-06-01"))
        #expect(book.nextScheduledChange(after: W.instant("2026-02-01"), product: .smsOutbound) == nil)
    }
}
