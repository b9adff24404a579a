/// One deck version compiled for pricing: immutable, built off the hot path, then published
/// whole. Lookups touch only memory (prefix indexes and tables), never the database.
public final class RateBook: Sendable {
    /// The deck (price list) name: `base` until per-account plans add others.
    public let deck: String
    /// The deck version compiled; 0 for an empty deck.
    public let version: Int64
    public let reference: ReferenceData
    /// Every version of every rate, in key order: what the book was compiled from.
    public let rates: [Rate]
    public let numberPrices: [NumberPrice]

    let lists: [ListKey: PriceList]
    private let inbound: [Product: InboundRates]
    private let numberTimelines: [NumberPriceKey: Timeline<NumberPrice>]

    struct ListKey: Hashable {
        let product: Product
        let origin: OriginScope
    }

    public init(deck: String, version: Int64, reference: ReferenceData, rates: [Rate], numberPrices: [NumberPrice]) throws(PrefixIndexError) {
        self.deck = deck
        self.version = version
        self.reference = reference
        self.rates = rates.sorted { ($0.key, $0.effectiveFrom, $0.deckVersion) < ($1.key, $1.effectiveFrom, $1.deckVersion) }
        self.numberPrices = numberPrices
        var grouped: [ListKey: [Rate]] = [:]
        var inboundRates: [Product: [Rate]] = [:]
        for rate in self.rates {
            if rate.key.product.isInbound {
                inboundRates[rate.key.product, default: []].append(rate)
            } else {
                grouped[ListKey(product: rate.key.product, origin: rate.key.origin), default: []].append(rate)
            }
        }
        var lists: [ListKey: PriceList] = [:]
        for (key, rates) in grouped { lists[key] = try PriceList(rates: rates) }
        self.lists = lists
        inbound = inboundRates.mapValues { InboundRates(rates: $0) }
        numberTimelines = Dictionary(grouping: numberPrices, by: \.key).mapValues { Timeline($0) }
    }

    /// An empty book over the reference data (a database with no prices yet).
    public static func empty(reference: ReferenceData) -> RateBook {
        // An empty prefix set cannot fail to index.
        try! RateBook(deck: "base", version: 0, reference: reference, rates: [], numberPrices: [])
    }

    /// The number of rate versions held.
    public var count: Int { rates.count }

    // MARK: Pricing one number

    /// The price of `product` for `number` at `instant`, with the reasons: which list applied
    /// (domestic, EEA, international), which row (prefix, network, number type, country).
    ///
    /// For outbound products `origin` is where the call or message comes from; for inbound
    /// products it is the caller.
    /// `nextChange: false` leaves `next` out, for answers that do not show it (it is a search of its own).
    public func quote(_ number: PhoneNumber, product: Product, from origin: CallOrigin? = nil, at instant: Instant,
                      nextChange findNext: Bool = true) throws(RatingError) -> PriceQuote {
        let info = reference.classify(number.key)
        guard reference.hasPossibleLength(number, info: info) else { throw .impossibleLength(number, country: info.country?.iso2) }
        guard let destination = info.country else { throw .unknownDestination(number) }
        let originCountry: Country?
        switch origin {
        case .none: originCountry = nil
        case .country(let iso):
            guard let country = reference.country(iso) else { throw .unknownOrigin(iso) }
            originCountry = country
        case .number(let caller):
            guard let country = reference.classify(caller.key).country else { throw .unknownOrigin(caller.e164) }
            originCountry = country
        }
        if product.isInbound {
            return try quoteInbound(number, info: info, destination: destination, product: product, origin: origin, originCountry: originCountry,
                                    at: instant, findNext: findNext)
        }
        var skipped: [String] = []
        for (scope, reason) in Self.listOrder(destination: destination, origin: originCountry) {
            guard let list = lists[ListKey(product: product, origin: scope)],
                  let (rate, match) = list.match(number.key, info: info, at: instant)
            else {
                skipped.append("no \(scope.rawValue) price for this number")
                continue
            }
            return PriceQuote(
                number: number, product: product, instant: instant, destination: info, originCountry: originCountry,
                list: scope, listReason: reason, skipped: skipped, match: match, rate: rate,
                next: findNext ? nextChange(of: rate.key, after: instant, current: rate.terms) : nil
            )
        }
        throw .noPrice(number, product: product, at: instant)
    }

    /// The seed's rule: a call within one country takes the domestic list, a call from the EEA
    /// the EEA list, any other the international list; each falls through to the next when it
    /// has no price for the number, and rows for `any` origin apply last.
    static func listOrder(destination: Country, origin: Country?) -> [(OriginScope, String)] {
        var order: [(OriginScope, String)] = []
        if let origin {
            if origin.iso2 == destination.iso2 {
                order.append((.domestic, "domestic: from \(origin.iso2) to \(destination.iso2), within one country"))
            }
            if origin.isEEA {
                order.append((.eea, "EEA: from \(origin.iso2), an EEA country"))
            }
            order.append((.international, "international: from \(origin.iso2) to \(destination.iso2)"))
        } else {
            order.append((.international, "international: no origin given"))
        }
        order.append((.any, "rows for any origin"))
        return order
    }

    private func quoteInbound(
        _ number: PhoneNumber, info: NumberInfo, destination: Country, product: Product,
        origin: CallOrigin?, originCountry: Country?, at instant: Instant, findNext: Bool
    ) throws(RatingError) -> PriceQuote {
        var caller: (key: DigitKey, info: NumberInfo)?
        if case .number(let callerNumber) = origin { caller = (callerNumber.key, reference.classify(callerNumber.key)) }
        guard let rates = inbound[product],
              let (rate, match) = rates.match(country: destination, category: info.category, caller: caller, callerCountry: originCountry, at: instant)
        else { throw .noPrice(number, product: product, at: instant) }
        let scopeReason = info.category.map { "calls to \(destination.iso2) \($0.rawValue) numbers" } ?? "calls to \(destination.iso2) numbers"
        return PriceQuote(
            number: number, product: product, instant: instant, destination: info, originCountry: originCountry,
            list: rate.key.origin, listReason: scopeReason, skipped: [], match: match, rate: rate,
            next: findNext ? nextChange(of: rate.key, after: instant, current: rate.terms) : nil
        )
    }

    /// The next version of `key` after `instant` whose terms differ from those in force then
    /// (a version repeating the same terms, as a cancelled change leaves, is no change).
    private func nextChange(of key: RateKey, after instant: Instant, current: RateTerms?) -> Rate? {
        // `rates` is sorted by key, date, then deck version: find the key's block by binary search.
        var low = 0, high = rates.count
        while low < high {
            let mid = (low + high) / 2
            if (rates[mid].key, rates[mid].effectiveFrom) <= (key, instant) { low = mid + 1 } else { high = mid }
        }
        var index = low
        while index < rates.count, rates[index].key == key {
            // Several versions may start at one instant: the newest deck's wins, as in `Timeline.at`.
            var newest = index
            while newest + 1 < rates.count, rates[newest + 1].key == key, rates[newest + 1].effectiveFrom == rates[index].effectiveFrom {
                newest += 1
            }
            if rates[newest].terms != current { return rates[newest] }
            index = newest + 1
        }
        return nil
    }

    /// The first instant after `instant` at which a version of `product` starts: until then,
    /// anything rendered from this book at `instant` stays true.
    public func nextScheduledChange(after instant: Instant, product: Product? = nil) -> Instant? {
        var earliest: Instant?
        for rate in rates where rate.effectiveFrom > instant && (product == nil || rate.key.product == product) {
            if earliest.map({ rate.effectiveFrom < $0 }) ?? true { earliest = rate.effectiveFrom }
        }
        return earliest
    }

    // MARK: Listings

    /// The version of every key in force at `instant`, in key order; with `scheduled`, also
    /// each later version that changes the price (what an export needs to keep scheduled
    /// changes when it is imported again).
    public func rates(at instant: Instant, product: Product? = nil, scheduled: Bool = false) -> [Rate] {
        var result: [Rate] = []
        var index = 0
        while index < rates.count {
            let key = rates[index].key
            var end = index
            while end < rates.count, rates[end].key == key { end += 1 }
            if product == nil || key.product == product {
                result += Self.versions(of: rates[index..<end], at: instant, scheduled: scheduled)
            }
            index = end
        }
        return result
    }

    /// One key's versions (sorted by date, then deck version): the one in force at `instant`,
    /// then, with `scheduled`, the later ones that apply (the newest deck's at each instant)
    /// and change the terms. Later closings cannot be written in a deck and are left out.
    static func versions<Entry: TimelineEntry>(of block: ArraySlice<Entry>, at instant: Instant, scheduled: Bool) -> [Entry] {
        var result: [Entry] = []
        var current: Entry?
        var position = block.startIndex
        while position < block.endIndex, block[position].effectiveFrom <= instant {
            current = block[position]
            position += 1
        }
        if let current, current.terms != nil { result.append(current) }
        guard scheduled else { return result }
        var lastTerms = current?.terms
        while position < block.endIndex {
            var newest = position
            while newest + 1 < block.endIndex, block[newest + 1].effectiveFrom == block[position].effectiveFrom { newest += 1 }
            let version = block[newest]
            if version.terms != lastTerms, version.terms != nil { result.append(version) }
            lastTerms = version.terms
            position = newest + 1
        }
        return result
    }

    /// Subscription prices in force at `instant`, in key order (with `scheduled`, as for rates).
    public func numberPrices(at instant: Instant, scheduled: Bool = false) -> [NumberPrice] {
        numberTimelines.keys.sorted().flatMap { key in
            Self.versions(of: numberTimelines[key]!.entries[...], at: instant, scheduled: scheduled)
        }
    }

    /// The subscription price of a number category (a region's, when one is given and priced).
    public func numberPrice(country: String, category: String, regionCode: String? = nil, at instant: Instant) -> NumberPrice? {
        if let regionCode, let regional = numberTimelines[NumberPriceKey(country: country, category: category, regionCode: regionCode)]?.at(instant) {
            return regional
        }
        return numberTimelines[NumberPriceKey(country: country, category: category, regionCode: nil)]?.at(instant)
    }

    // MARK: Pseudo-networks

    /// `ES-FIXED` style codes: a country code, a dash, a kind of number.
    static func pseudoNetworkCountry(_ network: String) -> String? {
        guard let dash = network.firstIndex(of: "-") else { return nil }
        return String(network[..<dash])
    }

    static func pseudoNetworkType(of key: RateKey) -> NumberType? {
        guard let network = key.network, network.contains("-") else { return nil }
        if let typeText = key.numberType, let type = NumberType(rawValue: typeText) { return type }
        return NumberType(pseudoNetworkCode: network)
    }
}

/// Where a call comes from: a number (classified by the reference data) or a country.
public enum CallOrigin: Sendable, Hashable {
    case number(PhoneNumber)
    case country(String)

    /// Two letters are a country (`PL`); anything else must be a phone number.
    public init(parsing text: String) throws(PhoneNumberError) {
        if text.count == 2, text.allSatisfy(\.isLetter) {
            self = .country(text.uppercased())
        } else {
            self = .number(try PhoneNumber(parsing: text))
        }
    }
}

public enum RatingError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownDestination(PhoneNumber)
    case unknownOrigin(String)
    case noPrice(PhoneNumber, product: Product, at: Instant)
    /// Not a number: no number of its country has that many digits.
    case impossibleLength(PhoneNumber, country: String?)

    /// The number itself is wrong, rather than unpriced: callers answer "not a number".
    public var isNotANumber: Bool {
        if case .impossibleLength = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .unknownDestination(let number): "\(number.e164) is in no known country's numbering plan"
        case .unknownOrigin(let origin): "origin '\(origin)' is not a known country or number"
        case .noPrice(let number, let product, let instant): "no \(product.rawValue) price for \(number.e164) at \(instant.iso8601)"
        case .impossibleLength(let number, let country):
            "\(number.e164) is not a possible number\(country.map { " of \($0)" } ?? ""): no number there has that many digits"
        }
    }
}
