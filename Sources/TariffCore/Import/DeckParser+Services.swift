extension DeckParser {
    /// A row of a metered product (`speech-synthesis`, `recording`, ...): priced per `per`
    /// units of its `unit`, for the whole product or one `variant`, anywhere or in one `country`.
    mutating func readServicePrice(_ row: DeckRecord, product: String) {
        let before = problems.total
        for column in [DeckColumn.network, .prefix, .numberType, .origin] where row[column] != nil {
            problems.add(
                line: row.line,
                column: column.name,
                "\(product) is a metered product: it is priced per \(column.name == "origin" ? "use" : "unit"), not per number"
            )
        }
        let (_, country) = country(row)
        let unit = token(row, .unit, what: "the unit it is counted in (character, request, second, minute, megabyte, ...)")
        let variant = row[.variant].flatMap { _ in token(row, .variant, what: "a voice, language or model name") }
        let price = amount(row, .price, required: true)
        let setupFee = amount(row, .connectFee, required: false, default: .zero)
        let perUnits = wholeNumber(row, .per, range: 1...ServicePriceTerms.unitRange.upperBound, default: 1)
        let minimum = wholeNumber(row, .minimum, range: ServicePriceTerms.unitRange, default: 0)
        var increment = UnitIncrement.perUnit
        if let text = row[.increment] {
            if let given = UnitIncrement(parsing: text) {
                increment = given
            } else {
                problems.add(
                    line: row.line,
                    column: "increment",
                    "bad increment '\(text)' (initial/subsequent units from 1 to \(UnitIncrement.range.upperBound), e.g. 15/15, 1/1)"
                )
            }
        }
        let currency = self.currency(row)
        let from = effectiveFrom(row)
        guard problems.total == before, let unit, let price, let setupFee, let perUnits, let minimum, let currency, let from else { return }
        let key = ServicePriceKey(product: product, variant: variant, country: country)
        let identity = ServiceIdentity(key: key, from: from)
        if let first = seenServices[identity] {
            problems.add(line: row.line, column: "product", "duplicate of line \(first): same product, variant, country and effective_from")
            return
        }
        seenServices[identity] = row.line
        let terms = ServicePriceTerms(
            unit: unit,
            price: price,
            perUnits: perUnits,
            minimum: minimum,
            increment: increment,
            setupFee: setupFee,
            currency: currency,
            description: row[.description] ?? "",
            resource: row[.resource] ?? Self.defaultResource(service: product)
        )
        deck.servicePrices.append(
            DeckRow(line: row.line, entry: ServicePrice(key: key, effectiveFrom: from, terms: terms, deckVersion: 0), flag: nil)
        )
    }

    /// The Voximplant resource a metered product is listed under when the deck names none:
    /// its name in capitals with `_` for `-` (`speech-synthesis` → `SPEECH_SYNTHESIS`).
    static func defaultResource(service product: String) -> String {
        product.uppercased().replacingDashes
    }

    private mutating func token(_ row: DeckRecord, _ column: DeckColumn, what: String) -> String? {
        guard let text = row[column] else { return nil }
        guard ServicePriceKey.isToken(text) else {
            problems.add(line: row.line, column: column.name, "'\(text)' is not a name: \(what), 1 to 64 characters without spaces, commas or quotes")
            return nil
        }
        return text
    }

    private mutating func wholeNumber(_ row: DeckRecord, _ column: DeckColumn, range: ClosedRange<Int>, default fallback: Int) -> Int? {
        guard let text = row[column] else { return fallback }
        guard text.utf8.count <= 10, text.allSatisfy(\.isASCIIDigit), let value = Int(text), range.contains(value) else {
            problems.add(line: row.line, column: column.name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }
}

extension String {
    fileprivate var replacingDashes: String { String(map { $0 == "-" ? "_" : $0 }) }
}
