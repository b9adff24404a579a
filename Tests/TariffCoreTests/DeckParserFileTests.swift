import Testing

@testable import TariffCore

private typealias W = TestWorld

@Suite("DeckParser: whole files")
struct DeckParserFileTests {
    @Test func everyBadRowIsReportedWithItsLine() {
        let csv = """
            product,country,price,currency
            sms-outbound,ES,0.05,EUR
            sms-outbound,XX,0.05,EUR
            sms-outbound,MX,abc,USD
            sms-outbound,DE,0.05,EUR
            sms-outbound,PL,0.05,QQQ
            sms-outbound,GB,0.05
            """
        do {
            _ = try W.parse(csv)
            Issue.record("a file with bad rows imported")
        } catch {
            #expect(error.total == 4)
            #expect(error.problems.map(\.line) == [3, 4, 6, 7])
            #expect(error.problems.map(\.column) == ["country", "price", "currency", "-"])
            #expect(error.problems.allSatisfy { $0.file == "deck.csv" })
            #expect(error.description.hasSuffix("deck.csv: 4 problems; nothing was imported"))
        }
    }

    @Test func commentsAndBlankLinesKeepLineNumbers() throws {
        let head = """
            # ACME rate deck
            # valid from 2026

            product,country,price,currency
            sms-outbound,ES,0.05,EUR

            # an interior comment

            """
        let problems = W.problems(
            head + """
                sms-outbound,XX,0.05,EUR
                   # an indented comment
                sms-outbound,MX,0.05,XYZ
                """
        )
        #expect(problems.map(\.line) == [8, 10])
        #expect(problems.first?.description.hasPrefix("deck.csv:8: country:") == true)
        #expect(problems.last?.description.hasPrefix("deck.csv:10: currency:") == true)

        let deck = try W.parse(
            head + """
                sms-outbound,MX,0.05,USD
                # the end
                sms-outbound,DE,0.05,EUR
                """
        )
        #expect(deck.rates.map(\.line) == [5, 8, 10])
        #expect(deck.rowCount == 3)
    }

    @Test func validDeckParsesToRates() throws {
        let deck = try W.parse(
            """
            product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,effective_from,description,resource
            sms-outbound,ES,,,,,0.05,EUR,,,,Spain,
            voice-outbound,ES,,,,domestic,0.01,EUR,,,2026-02-01,Spain,
            voice-outbound,ES,,,,eea,0.02,EUR,1/1,0.005,2026-02-01T10:00:00Z,,
            voice-outbound,,21407,,,international,0.30,EUR,30/6,,,,
            voice-outbound,,,5281,,,0.04,USD,,,,,
            voice-inbound,CO,,,toll_free,,0.02,USD,,,,,
            voice-inbound,CO,,573,toll_free,,0.03,USD,,,,,PSTN_IN_TOLLFREE_CO
            sms-inbound,GB,,,mobile,,0,GBP,,,,,
            voice-outbound,,GB-TOLLFREE,,,,0.5,GBP,,,,,
            voice-outbound,,ES-OTHER,,landline,,0.5,EUR,,,,,
            """
        )
        let now = W.now
        let feb = W.instant("2026-02-01")
        let perMinute = BillingIncrement.perMinute
        let expected: [Rate] = [
            Rate(
                key: key(.smsOutbound, country: "ES"),
                effectiveFrom: now,
                terms: rateTerms("0.05", "EUR", increment: nil, description: "Spain", resource: "SMSOUT"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceOutbound, .domestic, country: "ES"),
                effectiveFrom: feb,
                terms: rateTerms("0.01", "EUR", increment: perMinute, description: "Spain", resource: "PSTN_OUT_INCOUNTRY"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceOutbound, .eea, country: "ES"),
                effectiveFrom: W.instant("2026-02-01T10:00:00Z"),
                terms: rateTerms("0.02", "EUR", increment: .perSecond, fee: "0.005", resource: "PSTNOUT_EEA"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceOutbound, .international, country: "ES", network: "21407"),
                effectiveFrom: now,
                terms: rateTerms("0.30", "EUR", increment: BillingIncrement(initial: 30, subsequent: 6), resource: "PSTN_INTERNATIONAL"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceOutbound, country: "MX", prefix: "5281"),
                effectiveFrom: now,
                terms: rateTerms("0.04", "USD", increment: perMinute, resource: "PSTN_INTERNATIONAL"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceInbound, country: "CO", numberType: "toll_free"),
                effectiveFrom: now,
                terms: rateTerms("0.02", "USD", increment: perMinute, resource: "PSTN_IN_TOLL_FREE"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceInbound, country: "CO", prefix: "573", numberType: "toll_free"),
                effectiveFrom: now,
                terms: rateTerms("0.03", "USD", increment: perMinute, resource: "PSTN_IN_TOLLFREE_CO"),
                deckVersion: 0
            ),
            Rate(
                key: key(.smsInbound, country: "GB", numberType: "mobile"),
                effectiveFrom: now,
                terms: rateTerms("0", "GBP", increment: nil, resource: "SMSIN"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceOutbound, country: "GB", network: "GB-TOLLFREE"),
                effectiveFrom: now,
                terms: rateTerms("0.5", "GBP", increment: perMinute, resource: "PSTN_INTERNATIONAL"),
                deckVersion: 0
            ),
            Rate(
                key: key(.voiceOutbound, country: "ES", network: "ES-OTHER", numberType: "landline"),
                effectiveFrom: now,
                terms: rateTerms("0.5", "EUR", increment: perMinute, resource: "PSTN_INTERNATIONAL"),
                deckVersion: 0
            ),
        ]
        #expect(deck.rates.count == expected.count)
        for (row, rate) in zip(deck.rates, expected) {
            #expect(row.entry == rate, "line \(row.line)")
            #expect(row.flag == nil)
        }
        #expect(deck.rates.map(\.line) == Array(2...11))
        #expect(deck.rowCount == 10)
        #expect(deck.kind == .rates)
        #expect(deck.file == "deck.csv")
    }

    @Test func optionsFillMissingColumns() throws {
        let options = W.options(product: .voiceOutbound, currency: "EUR", origin: .eea, effectiveFrom: W.instant("2026-04-01"))
        let deck = try W.parse(
            """
            country,price,currency
            ES,0.05,
            MX,0.04,USD
            """,
            options: options
        )
        #expect(deck.rates.map(\.entry.key) == [key(.voiceOutbound, .eea, country: "ES"), key(.voiceOutbound, .eea, country: "MX")])
        #expect(deck.rates.map { $0.entry.terms?.currency } == [W.currency("EUR"), W.currency("USD")])
        #expect(deck.rates.allSatisfy { $0.entry.effectiveFrom == W.instant("2026-04-01") })
        #expect(deck.rates.allSatisfy { $0.entry.terms?.resource == "PSTNOUT_EEA" })
        #expect(deck.rates.allSatisfy { $0.entry.terms?.increment == .perMinute })
    }

    @Test func countryDerivedForPrefixAndNetworkRows() throws {
        let deck = try W.parse(
            """
            product,network,prefix,price,currency
            voice-outbound,,3461,0.05,EUR
            voice-outbound,33402,,0.04,USD
            voice-outbound,,5718,0.06,USD
            voice-outbound,,999,0.90,USD
            voice-outbound,GB-TOLLFREE,,0.06,GBP
            """
        )
        #expect(deck.rates.map(\.entry.key.country) == ["ES", "MX", "CO", nil, "GB"])
    }
}
