extension DeckParser {
    /// A row of a phone-number subscription price file.
    mutating func readNumberPrice(_ row: DeckRecord) {
        let before = problems.total
        let (_, country) = country(row)
        if row[.country] == nil { problems.add(line: row.line, column: "country", "missing value") }
        var category: String?
        if let text = row[.category] {
            let upper = text.uppercased()
            if !upper.isEmpty, upper.allSatisfy({ ($0.isASCII && $0.isLetter) || $0 == "_" || $0.isASCIIDigit }) {
                category = upper
            } else {
                problems.add(line: row.line, column: "category", "'\(text)' is not a category name (GEOGRAPHIC, MOBILE, TOLLFREE, NATIONAL, ...)")
            }
        } else {
            problems.add(line: row.line, column: "category", "missing value")
        }
        let regionCode = row[.regionCode]
        if let regionCode, !regionCode.allSatisfy(\.isASCIIDigit) {
            problems.add(line: row.line, column: "region_code", "'\(regionCode)' is not a region code (digits of the area code)")
        }
        let installation = amount(row, .installationPrice, required: true)
        let monthly = amount(row, .monthlyPrice, required: true)
        let currency = self.currency(row)
        let from = effectiveFrom(row)
        guard problems.total == before, let country, let category, let installation, let monthly, let currency, let from else { return }

        let key = NumberPriceKey(country: country, category: category, regionCode: regionCode)
        let identity = NumberIdentity(key: key, from: from)
        if let first = seenNumbers[identity] {
            problems.add(
                line: row.line,
                column: regionCode == nil ? "category" : "region_code",
                "duplicate of line \(first): same country, category, region and effective_from"
            )
            return
        }
        seenNumbers[identity] = row.line
        let terms = NumberPriceTerms(
            regionName: row[.regionName],
            installation: installation,
            monthly: monthly,
            currency: currency,
            incomingResource: row[.incomingResource]
        )
        deck.numberPrices.append(DeckRow(line: row.line, entry: NumberPrice(key: key, effectiveFrom: from, terms: terms, deckVersion: 0), flag: nil))
    }
}
