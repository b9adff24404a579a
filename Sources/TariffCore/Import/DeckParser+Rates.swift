extension DeckParser {
    /// A row of a Tariff rate deck or of a carrier A–Z deck (whose columns are already mapped).
    mutating func readRate(_ row: DeckRecord) {
        let before = problems.total
        let product: Product?
        if let text = row[.product] {
            product = Product(rawValue: text.lowercased())
            // A metered product is any other name on a row that says what it counts: without a
            // unit, `sms-out` is a typo, not a new product.
            if product == nil, options.kind == .rates, row[.unit] != nil, ServicePriceKey.isProductName(text.lowercased()) {
                readServicePrice(row, product: text.lowercased())
                return
            }
            if product == nil {
                problems.add(
                    line: row.line,
                    column: "product",
                    "unknown product '\(text)' (\(Product.allCases.map(\.rawValue).joined(separator: ", ")); "
                        + "a metered product's row gives its unit)"
                )
            }
        } else if let fallback = options.product ?? (options.kind == .carrier ? .voiceOutbound : nil) {
            product = fallback
        } else {
            problems.add(line: row.line, column: "product", "missing value (or give --product)")
            product = nil
        }
        var origin = options.origin ?? .any
        if let text = row[.origin] {
            if let value = OriginScope(rawValue: text.lowercased()) {
                origin = value
            } else {
                problems.add(line: row.line, column: "origin", "unknown origin '\(text)' (any, domestic, eea, international)")
            }
        }
        let (countryOK, givenCountry) = country(row)
        let (prefixOK, prefix) = prefix(row)
        // On inbound rows the network is the caller's, which may be in any country.
        let inbound = product?.isInbound == true
        let network = self.network(row, country: inbound ? nil : givenCountry, prefix: inbound ? nil : prefix)
        let numberType = self.numberType(row, product: product, network: network.value)
        let flag = changeFlag(row)
        let price = flag == .closed ? Amount.zero : amount(row, .price, required: true)
        let currency = self.currency(row)
        let from = effectiveFrom(row)
        let increment = self.increment(row, product: product)
        let connectFee = self.connectFee(row, product: product)

        if countryOK, prefixOK, network.ok, givenCountry == nil, prefix == nil, network.value == nil {
            problems.add(line: row.line, column: "country", "one of country, network or prefix is required")
        }
        for column in [DeckColumn.unit, .per, .minimum, .variant] where row[column] != nil {
            problems.add(
                line: row.line,
                column: column.name,
                "\(column.name) is for metered products: \(product?.rawValue ?? "this row") is priced per number"
            )
        }
        if let product, product.isInbound, countryOK, givenCountry == nil {
            problems.add(line: row.line, column: "country", "inbound rows need the country of the number called")
        }
        guard problems.total == before, let product, let price, let currency, let from else { return }

        // Rows keyed by network or prefix still belong to a country: it groups them in listings.
        let country = givenCountry ?? derivedCountry(network: network.value, prefix: product.isInbound ? nil : prefix)
        let key = RateKey(product: product, origin: origin, country: country, network: network.value, prefix: prefix, numberType: numberType)
        let identity = RateIdentity(key: key, from: from)
        if let first = seenRates[identity] {
            problems.add(
                line: row.line,
                column: prefix != nil ? "prefix" : network.value != nil ? "network" : "country",
                "duplicate of line \(first): same product, origin, key and effective_from"
            )
            return
        }
        seenRates[identity] = row.line
        let resource = row[.resource] ?? Self.defaultResource(product: product, origin: origin, numberType: numberType)
        let terms =
            flag == .closed
            ? nil
            : RateTerms(
                price: price,
                currency: currency,
                increment: increment,
                connectFee: connectFee ?? .zero,
                description: row[.description] ?? "",
                resource: resource
            )
        deck.rates.append(DeckRow(line: row.line, entry: Rate(key: key, effectiveFrom: from, terms: terms, deckVersion: 0), flag: flag))
    }

    /// The Voximplant resource a row belongs to when the deck names none.
    static func defaultResource(product: Product, origin: OriginScope, numberType: String?) -> String {
        switch product {
        case .smsOutbound: "SMSOUT"
        case .smsInbound: "SMSIN"
        case .voiceInbound: "PSTN_IN" + (numberType.map { "_" + $0.uppercased() } ?? "")
        case .voiceOutbound:
            switch origin {
            case .domestic: "PSTN_OUT_INCOUNTRY"
            case .eea: "PSTNOUT_EEA"
            case .international, .any: "PSTN_INTERNATIONAL"
            }
        }
    }

    private func derivedCountry(network: String?, prefix: String?) -> String? {
        if let network {
            if let pseudo = RateBook.pseudoNetworkCountry(network) { return pseudo }
            let countries = Set(reference.networks[network]?.compactMap(\.countryISO2) ?? [])
            if countries.count == 1 { return countries.first }
        }
        if let prefix, let key = DigitKey(prefix) { return reference.countryISO2(of: key) }
        return nil
    }

    /// An MCCMNC from the reference data, or a pseudo-network such as `ES-FIXED`, that belongs
    /// to the row's country: its `country`, else the country of its `prefix`, when either is given.
    private mutating func network(_ row: DeckRecord, country: String?, prefix: String?) -> (ok: Bool, value: String?) {
        guard let raw = row[.network] else { return (true, nil) }
        // Looked up only here: most rows have no network, and a carrier deck has a million rows.
        let place = country ?? prefix.flatMap { DigitKey($0) }.flatMap { reference.countryISO2(of: $0) }
        // Formatted only for a problem: this runs on every row that has a network.
        func source() -> String { country == nil ? " (the country of prefix \(prefix ?? ""))" : "" }
        let text = raw.uppercased()
        if text.allSatisfy(\.isASCIIDigit) {
            guard let networks = reference.networks[text] else {
                problems.add(line: row.line, column: "network", "unknown network '\(raw)' (an MCCMNC such as 21407, or a code such as ES-FIXED)")
                return (false, nil)
            }
            // By the MCCMNC's own entries: `ReferenceData.network(_:in:)` falls back to another
            // country's entry, which would let any country through.
            let countries = networks.compactMap(\.countryISO2)
            if let place, !countries.contains(place) {
                let message =
                    countries.isEmpty
                    ? "network \(text) is not a network of \(place)\(source()): the reference data places it in no country"
                    : "network \(text) is in \(countries.joined(separator: "/")), not \(place)\(source())"
                problems.add(line: row.line, column: "network", message)
                return (false, nil)
            }
            return (true, text)
        }
        guard let pseudoCountry = RateBook.pseudoNetworkCountry(text), reference.country(pseudoCountry) != nil,
            text.count > pseudoCountry.count + 1,
            text.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" })
        else {
            problems.add(line: row.line, column: "network", "unknown network '\(raw)' (an MCCMNC such as 21407, or a code such as ES-FIXED)")
            return (false, nil)
        }
        if let place, place != pseudoCountry {
            problems.add(line: row.line, column: "network", "network \(text) belongs to \(pseudoCountry), not \(place)\(source())")
            return (false, nil)
        }
        return (true, text)
    }

    private mutating func numberType(_ row: DeckRecord, product: Product?, network: String?) -> String? {
        guard let raw = row[.numberType] else {
            if let network, network.contains("-"), NumberType(pseudoNetworkCode: network) == nil, product?.isInbound == false {
                problems.add(line: row.line, column: "number_type", "say which numbers network \(network) covers (mobile, landline, ...)")
            }
            return nil
        }
        let text = raw.lowercased()
        let allowed = product?.isInbound == true ? NumberCategory.allCases.map(\.rawValue) : NumberType.allCases.map(\.rawValue)
        guard allowed.contains(text) else {
            let kind = product?.isInbound == true ? "number category" : "number type"
            problems.add(line: row.line, column: "number_type", "unknown \(kind) '\(raw)' (\(allowed.joined(separator: ", ")))")
            return nil
        }
        return text
    }

    private mutating func increment(_ row: DeckRecord, product: Product?) -> BillingIncrement? {
        guard let text = row[.increment] else { return product?.defaultIncrement }
        guard let increment = increments[text] ?? BillingIncrement(parsing: text) else {
            problems.add(
                line: row.line,
                column: "increment",
                "bad increment '\(text)' (initial/subsequent seconds from 1 to 3600, e.g. 60/60, 1/1, 30/6)"
            )
            return nil
        }
        if let product, !product.isVoice {
            problems.add(line: row.line, column: "increment", "\(product.rawValue) is priced per message: increments are for voice")
            return nil
        }
        increments[text] = increment
        return increment
    }

    private mutating func connectFee(_ row: DeckRecord, product: Product?) -> Amount? {
        guard row[.connectFee] != nil else { return .zero }
        let fee = amount(row, .connectFee, required: false)
        if fee != nil, fee != .zero, let product, !product.isVoice {
            problems.add(line: row.line, column: "connect_fee", "\(product.rawValue) has no connect fee: it is for voice")
            return nil
        }
        return fee
    }

    private mutating func changeFlag(_ row: DeckRecord) -> ChangeFlag? {
        // A deck without a change column states nothing to check (an empty cell means Unchanged).
        guard options.kind == .carrier, row.columns.has(.change) else { return nil }
        let text = row[.change] ?? ""
        guard let flag = ChangeFlag(carrierText: text) else {
            problems.add(line: row.line, column: "change", "unknown change flag '\(text)' (New, Increase, Decrease, Unchanged, Closed)")
            return nil
        }
        return flag
    }
}
