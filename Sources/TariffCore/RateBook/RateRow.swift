/// One rate version as the book stores it: 48 bytes and no references, so a million of them
/// are one allocation that copies, merges and saves as plain memory. Strings are ids into the
/// book's ``RateTables``.
struct RateRow: Sendable, Equatable, BitwiseCopyable {
    /// `DigitKey.packed`, or 0 for a row without a prefix (a packed key always has a length).
    var prefix: UInt64
    var effectiveFrom: Int64
    var deckVersion: Int64
    var price: Int64
    /// Into ``RateTables/terms``; -1 for a version that closes the price.
    var terms: Int32
    /// Into ``RateTables/strings``; -1 for none.
    var country: Int32
    var network: Int32
    var numberType: Int32

    static let noString: Int32 = -1

    var isClosing: Bool { terms < 0 }
    var hasPrefix: Bool { prefix != 0 }
}

/// The terms of a rate other than its price: decks repeat a handful of them, so rows share them.
struct SharedTerms: Hashable, Sendable {
    var currency: CurrencyCode
    var increment: BillingIncrement?
    var connectFee: Amount
    var description: String
    var resource: String
}

/// The strings and shared terms rows point to. A book's tables only grow: the next version's
/// book copies them (a small array) and appends, so ids held by earlier rows stay valid.
public struct RateTables: Sendable {
    private(set) var strings: [String] = []
    /// Ids by value: nil until a row is added, so that a book read only (from its file, for a
    /// command or a server start) never hashes a million strings and terms it will not add to.
    private var stringIDs: [String: Int32]? = [:]
    private(set) var terms: [SharedTerms] = []
    private var termIDs: [SharedTerms: Int32]? = [:]

    init() {}

    init(strings: [String], terms: [SharedTerms]) {
        self.strings = strings
        self.terms = terms
        stringIDs = nil
        termIDs = nil
    }

    mutating func id(of string: String?) -> Int32 {
        guard let string else { return RateRow.noString }
        // A repeated value (a corrupt file) keeps its first id: every id stays valid either way.
        if stringIDs == nil { stringIDs = Dictionary(strings.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first }) }
        if let id = stringIDs?[string] { return id }
        let id = Int32(strings.count)
        strings.append(string)
        stringIDs?[string] = id
        return id
    }

    mutating func id(of shared: SharedTerms) -> Int32 {
        if termIDs == nil { termIDs = Dictionary(terms.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first }) }
        if let id = termIDs?[shared] { return id }
        let id = Int32(terms.count)
        terms.append(shared)
        termIDs?[shared] = id
        return id
    }

    func string(_ id: Int32) -> String? { id < 0 ? nil : strings[Int(id)] }

    /// Packs a rate; its product and origin are those of the list it goes into.
    mutating func row(for rate: Rate) -> RateRow? {
        var prefix: UInt64 = 0
        if let text = rate.key.prefix {
            guard let key = DigitKey(text) else { return nil }
            prefix = key.packed
        }
        var termsID: Int32 = -1
        if let terms = rate.terms {
            termsID = id(
                of: SharedTerms(
                    currency: terms.currency,
                    increment: terms.increment,
                    connectFee: terms.connectFee,
                    description: terms.description,
                    resource: terms.resource
                )
            )
        }
        return RateRow(
            prefix: prefix,
            effectiveFrom: rate.effectiveFrom.secondsSince1970,
            deckVersion: rate.deckVersion,
            price: rate.terms?.price.units ?? 0,
            terms: termsID,
            country: id(of: rate.key.country),
            network: id(of: rate.key.network),
            numberType: id(of: rate.key.numberType)
        )
    }

    /// The rate a row stands for, in the list of `product` and `origin`.
    func rate(_ row: RateRow, product: Product, origin: OriginScope) -> Rate {
        let key = RateKey(
            product: product,
            origin: origin,
            country: string(row.country),
            network: string(row.network),
            prefix: row.hasPrefix ? DigitKey(packed: row.prefix).digits : nil,
            numberType: string(row.numberType)
        )
        var terms: RateTerms?
        if !row.isClosing {
            let shared = self.terms[Int(row.terms)]
            terms = RateTerms(
                price: Amount(units: row.price),
                currency: shared.currency,
                increment: shared.increment,
                connectFee: shared.connectFee,
                description: shared.description,
                resource: shared.resource
            )
        }
        return Rate(key: key, effectiveFrom: Instant(secondsSince1970: row.effectiveFrom), terms: terms, deckVersion: row.deckVersion)
    }

    /// Key order without the prefix (rows compared by it share one): country, network, number
    /// type, as ``RateKey``'s `<` orders them (nil as the empty string).
    func keyRest(_ lhs: RateRow, _ rhs: RateRow) -> ComparisonResult3 {
        func compare(_ left: Int32, _ right: Int32) -> ComparisonResult3 {
            guard left != right else { return .same }
            let l = string(left) ?? ""
            let r = string(right) ?? ""
            return l == r ? .same : l < r ? .before : .after
        }
        let country = compare(lhs.country, rhs.country)
        guard country == .same else { return country }
        let network = compare(lhs.network, rhs.network)
        guard network == .same else { return network }
        return compare(lhs.numberType, rhs.numberType)
    }

    /// The order of a list's rows: prefix (no prefix first; digit order is string order), then
    /// effective date, deck version, and the rest of the key, so that of two versions starting at
    /// one instant the newest deck's comes last, as in ``Timeline``.
    func precedes(_ lhs: RateRow, _ rhs: RateRow) -> Bool {
        if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
        return timeOrder(lhs, rhs)
    }

    /// Effective date, deck version, then key: the order of one timeline.
    func timeOrder(_ lhs: RateRow, _ rhs: RateRow) -> Bool {
        if lhs.effectiveFrom != rhs.effectiveFrom { return lhs.effectiveFrom < rhs.effectiveFrom }
        if lhs.deckVersion != rhs.deckVersion { return lhs.deckVersion < rhs.deckVersion }
        if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
        return keyRest(lhs, rhs) == .before
    }

    /// ``RateKey``'s order, then effective date and deck version: the order of a listing.
    func keyOrder(_ lhs: RateRow, _ rhs: RateRow) -> Bool {
        if lhs.country != rhs.country {
            let l = string(lhs.country) ?? ""
            let r = string(rhs.country) ?? ""
            if l != r { return l < r }
        }
        if lhs.prefix != rhs.prefix { return lhs.prefix < rhs.prefix }
        switch keyRest(lhs, rhs) {
        case .before: return true
        case .after: return false
        case .same: break
        }
        if lhs.effectiveFrom != rhs.effectiveFrom { return lhs.effectiveFrom < rhs.effectiveFrom }
        return lhs.deckVersion < rhs.deckVersion
    }

    func sameKey(_ lhs: RateRow, _ rhs: RateRow) -> Bool {
        lhs.prefix == rhs.prefix && lhs.country == rhs.country && lhs.network == rhs.network && lhs.numberType == rhs.numberType
    }

    /// Bytes held (strings counted by their UTF-8 length), for the memory figures.
    var byteCount: Int {
        strings.reduce(0) { $0 + 16 + $1.utf8.count } + terms.reduce(0) { $0 + MemoryLayout<SharedTerms>.stride + $1.description.utf8.count }
    }
}

enum ComparisonResult3 { case before, same, after }
