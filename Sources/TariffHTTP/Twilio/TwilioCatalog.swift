import TariffCore

/// Twilio's view of one account's prices, per country: outbound SMS per carrier, voice per
/// destination prefix and origin list, inbound SMS and calls, and number rental, each by
/// Twilio number type. Every price is the deck's (`base_price`) beside the account's through its
/// plan (`current_price`), both in the account's currency. Built once per deck version, rate
/// set, plan and currency, then shared by every request that reads it.
struct TwilioCatalog: Sendable {
    struct Price: Sendable, Equatable {
        let base: Amount
        let current: Amount
    }

    struct TypedPrice: Sendable, Equatable {
        let numberType: String
        let price: Price
    }

    struct Carrier: Sendable {
        let name: String
        let mcc: String
        let mnc: String
        let prices: [TypedPrice]
    }

    struct PrefixPrice: Sendable {
        let origin: OriginScope
        let destinations: [String]
        let friendlyName: String
        let price: Price
    }

    struct Messaging: Sendable {
        var outbound: [Carrier] = []
        var inbound: [TypedPrice] = []
    }

    struct Voice: Sendable {
        /// Rows for any origin and the international list, merged as a call without an origin is priced.
        var v1: [PrefixPrice] = []
        /// Every origin list's rows, in the order domestic, EEA, international, any.
        var v2: [PrefixPrice] = []
        var inbound: [TypedPrice] = []
    }

    let currency: CurrencyCode
    let reference: ReferenceData
    let messaging: [String: Messaging]
    let voice: [String: Voice]
    let phoneNumbers: [String: [TypedPrice]]

    /// The countries each resource lists, in ISO order: those it has a price for.
    var messagingCountries: [Country] { countries(messaging.keys) }
    var voiceCountries: [Country] { countries(voice.keys) }
    var phoneNumberCountries: [Country] { countries(phoneNumbers.keys) }

    private func countries(_ codes: some Sequence<String>) -> [Country] {
        codes.sorted().compactMap { reference.country($0) }
    }

    init(
        book priced: PricedBook,
        ranges: RangeDirectory,
        currency: CurrencyCode,
        exchangeRates: ExchangeRateTable,
        at now: Instant
    ) throws(ConversionError) {
        self.currency = currency
        let reference = priced.reference
        self.reference = reference
        func price(_ rate: Rate) throws(ConversionError) -> Price? {
            guard let base = rate.terms, let current = priced.price(rate, at: now)?.rate.terms else { return nil }
            return Price(
                base: try exchangeRates.convert(Money(base.price, base.currency), to: currency).amount,
                current: try exchangeRates.convert(Money(current.price, current.currency), to: currency).amount
            )
        }
        var rows: [Product: [String: [(Rate, Price)]]] = [:]
        try priced.book.forEachRate(at: now) { (rate: Rate) throws(ConversionError) in
            guard let iso = rate.key.country, let price = try price(rate) else { return }
            rows[rate.key.product, default: [:]][iso, default: []].append((rate, price))
        }

        var messaging: [String: Messaging] = [:]
        for (iso, list) in rows[.smsOutbound] ?? [:] {
            let carriers = Self.carriers(Self.withoutOrigin(list), country: iso, reference: reference)
            if !carriers.isEmpty { messaging[iso, default: Messaging()].outbound = carriers }
        }
        for (iso, list) in rows[.smsInbound] ?? [:] {
            let inbound = Self.inbound(list)
            if !inbound.isEmpty { messaging[iso, default: Messaging()].inbound = inbound }
        }
        var voice: [String: Voice] = [:]
        for (iso, list) in rows[.voiceOutbound] ?? [:] {
            guard let country = reference.country(iso) else { continue }
            func prefixPrices(_ rows: [(Rate, Price)]) -> [PrefixPrice] {
                rows.compactMap { Self.prefixPrice($0.0, $0.1, country: country, ranges: ranges, reference: reference) }
            }
            let v1 = prefixPrices(Self.withoutOrigin(list))
            let v2 = [OriginScope.domestic, .eea, .international, .any].flatMap { scope in prefixPrices(list.filter { $0.0.key.origin == scope }) }
            if !v2.isEmpty {
                voice[iso, default: Voice()].v1 = v1
                voice[iso, default: Voice()].v2 = v2
            }
        }
        for (iso, list) in rows[.voiceInbound] ?? [:] {
            let inbound = Self.inbound(list)
            if !inbound.isEmpty { voice[iso, default: Voice()].inbound = inbound }
        }
        self.messaging = messaging
        self.voice = voice
        phoneNumbers = try Self.numberPrices(priced, currency: currency, exchangeRates: exchangeRates, at: now)
    }

    // MARK: Number types

    /// Twilio's number types, in the order its lists give them (`toll free` with its space).
    static let numberTypes = ["local", "mobile", "national", "toll free"]

    static func numberType(_ category: NumberCategory) -> String {
        switch category {
        case .local: "local"
        case .mobile: "mobile"
        case .national: "national"
        case .tollFree: "toll free"
        }
    }

    /// A deck's `number_type` for outbound rows, as the kind of number Twilio names.
    static func numberType(_ type: NumberType) -> String { numberType(NumberCategory(type)) }

    /// A number-rental category (Voximplant's names, any case) as a Twilio number type; nil for
    /// categories Twilio has no type for.
    static func numberType(rentalCategory category: String) -> String? {
        NumberCategory(rawValue: NumberCatalog.inboundNumberType(category: category)).map(numberType)
    }

    /// One price per Twilio type in Twilio's order: the type's own row first, else the row for
    /// every type; a type neither prices is left out.
    static func typed(_ own: [String: Price], fallback: Price?) -> [TypedPrice] {
        numberTypes.compactMap { type in (own[type] ?? fallback).map { TypedPrice(numberType: type, price: $0) } }
    }

    // MARK: Building

    /// Rows for any origin and international rows as one list, the international row where both
    /// have one key: a number priced without an origin takes the international list first.
    static func withoutOrigin(_ list: [(Rate, Price)]) -> [(Rate, Price)] {
        struct Key: Hashable {
            let network: String?
            let prefix: String?
            let numberType: String?
        }
        var international: Set<Key> = []
        for (rate, _) in list where rate.key.origin == .international {
            international.insert(Key(network: rate.key.network, prefix: rate.key.prefix, numberType: rate.key.numberType))
        }
        return list.filter { rate, _ in
            switch rate.key.origin {
            case .international: true
            case .any: !international.contains(Key(network: rate.key.network, prefix: rate.key.prefix, numberType: rate.key.numberType))
            case .domestic, .eea: false
            }
        }
    }

    /// Outbound SMS: a carrier per mobile network with a row, in MCC and MNC order, then `Other`
    /// for number-type rows and the country's default. Prefix rows have no Twilio form.
    static func carriers(_ list: [(Rate, Price)], country iso: String, reference: ReferenceData) -> [Carrier] {
        var networks: [String: (name: String, mcc: String, mnc: String, prices: [String: Price])] = [:]
        var other: [String: Price] = [:]
        var fallback: Price?
        for (rate, price) in list where rate.key.prefix == nil {
            let key = rate.key
            if let code = key.network, code.allSatisfy(\.isNumber) {
                let type = key.numberType.flatMap(NumberType.init(rawValue:)).map(numberType) ?? "mobile"
                let known = reference.network(code, in: iso)
                var entry =
                    networks[code]
                    ?? (
                        known?.name ?? rate.terms?.description ?? code, known?.mcc ?? String(code.prefix(3)),
                        known?.mnc ?? String(code.dropFirst(3)), [:]
                    )
                if entry.prices[type] == nil { entry.prices[type] = price }
                networks[code] = entry
            } else if let type = VonageCatalog.numberType(of: key) {
                let name = numberType(type)
                if other[name] == nil { other[name] = price }
            } else if key.network == nil {
                fallback = price
            }
        }
        var carriers = networks.keys.sorted().map { code in
            let entry = networks[code]!
            return Carrier(name: entry.name, mcc: entry.mcc, mnc: entry.mnc, prices: typed(entry.prices, fallback: nil))
        }
        let others = typed(other, fallback: fallback)
        if !others.isEmpty { carriers.append(Carrier(name: "Other", mcc: "", mnc: "", prices: others)) }
        return carriers
    }

    /// Inbound prices by the receiving number's type, for any caller (rows that name a caller's
    /// prefix or network are not Twilio's).
    static func inbound(_ list: [(Rate, Price)]) -> [TypedPrice] {
        var own: [String: Price] = [:]
        var fallback: Price?
        for (rate, price) in list where rate.key.prefix == nil && rate.key.network == nil && rate.key.origin == .any {
            if let category = rate.key.numberType {
                guard let type = NumberCategory(rawValue: category) else { continue }
                own[numberType(type)] = price
            } else {
                fallback = price
            }
        }
        return typed(own, fallback: fallback)
    }

    /// A voice row as destination prefixes: its own prefix, its network's or number type's
    /// reference ranges, or the country's calling code for its default (and for a type or
    /// network whose numbers the reference data cannot tell apart, as in Mexico, where mobile
    /// and fixed numbers share ranges: the friendly name says which it is).
    static func prefixPrice(_ rate: Rate, _ price: Price, country: Country, ranges: RangeDirectory, reference: ReferenceData) -> PrefixPrice? {
        let key = rate.key
        let description = rate.terms?.description ?? ""
        var destinations: [String]
        var name: String
        if let code = key.network, code.allSatisfy(\.isNumber) {
            destinations = ranges.prefixes(country: country.iso2, network: code).map(String.init)
            if let prefix = key.prefix { destinations.append(prefix) }
            name = reference.network(code, in: country.iso2)?.name ?? "\(country.name) \(code)"
        } else if let prefix = key.prefix {
            destinations = [prefix]
            name = "\(country.name) \(prefix)"
        } else if let type = VonageCatalog.numberType(of: key) {
            destinations = ranges.prefixes(country: country.iso2, type: type).map(String.init)
            name = "\(country.name) - \(numberType(type))"
        } else if key.network == nil, let code = country.callingCode {
            destinations = [code]
            name = "\(country.name) - Other"
        } else {
            return nil
        }
        if destinations.isEmpty, let code = country.callingCode { destinations = [code] }
        return PrefixPrice(origin: key.origin, destinations: destinations, friendlyName: description.isEmpty ? name : description, price: price)
    }

    /// Monthly number prices by Twilio type: the category's country-wide price, else its lowest regional one.
    static func numberPrices(
        _ priced: PricedBook,
        currency: CurrencyCode,
        exchangeRates: ExchangeRateTable,
        at now: Instant
    ) throws(ConversionError) -> [String: [TypedPrice]] {
        var base: [NumberPriceKey: NumberPriceTerms] = [:]
        for price in priced.book.numberPrices(at: now) { base[price.key] = price.terms }
        var chosen: [String: [String: (regional: Bool, monthly: Money, price: Price)]] = [:]
        for price in priced.numberPrices(at: now) {
            guard let terms = price.terms, let own = base[price.key], let type = numberType(rentalCategory: price.key.category) else { continue }
            let monthly = try exchangeRates.convert(Money(terms.monthly, terms.currency), to: currency)
            let converted = Price(base: try exchangeRates.convert(Money(own.monthly, own.currency), to: currency).amount, current: monthly.amount)
            let regional = price.key.regionCode != nil
            if let held = chosen[price.key.country]?[type], !held.regional || (regional && held.monthly.amount <= monthly.amount) { continue }
            chosen[price.key.country, default: [:]][type] = (regional, monthly, converted)
        }
        return chosen.mapValues { prices in typed(prices.mapValues(\.price), fallback: nil) }
    }
}
