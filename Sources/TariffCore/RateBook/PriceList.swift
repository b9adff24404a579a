/// The rows of one product and one origin list, compiled for lookups: a prefix index over the
/// prefix rows, and small tables by network, by number type and by country for the rest.
///
/// All rows sit in one flat array, so a new deck version merges into it (a copy and a merge of
/// plain memory) instead of regrouping a million rates; the prefix index is kept whole when the
/// new rows bring no new prefix.
///
/// A class: a quote reaches its list through the book for every number priced, and a struct of
/// a dozen arrays would be retained and released field by field on each of those copies.
final class PriceList: Sendable {
    let product: Product
    let origin: OriginScope
    /// In `RateTables.precedes` order: rows without a prefix, then each prefix's versions in time order.
    let rows: [RateRow]
    /// Entry i is the i-th distinct prefix of `rows`.
    let prefixIndex: PrefixIndex
    /// Entry i's versions are `rows[prefixStarts[i] ..< prefixStarts[i + 1]]`.
    let prefixStarts: [Int32]
    /// Positions in `rows`, each group in time order. Keyed by `COUNTRY|MCCMNC`, and by
    /// `|MCCMNC` for rows that name no country.
    let networkGroups: [String: [Int32]]
    /// Keyed by `COUNTRY|number_type`: pseudo-networks (`ES-FIXED`) and country rows with a number type.
    let typeGroups: [String: [Int32]]
    /// Keyed by country: the country's default price.
    let countryGroups: [String: [Int32]]

    static func networkKey(country: String?, network: String) -> String { (country ?? "") + "|" + network }
    static func typeKey(country: String, type: NumberType) -> String { country + "|" + type.rawValue }

    /// Compiles rows already in `RateTables.precedes` order. `index`, when given, must index
    /// exactly the rows' distinct prefixes (a list merged with rows of known prefixes).
    init(product: Product, origin: OriginScope, rows: [RateRow], tables: RateTables, index: PrefixIndex? = nil) throws(PrefixIndexError) {
        self.product = product
        self.origin = origin
        self.rows = rows
        var starts: [Int32] = []
        var last: UInt64 = 0
        for (position, row) in rows.enumerated() where row.prefix != 0 && row.prefix != last {
            starts.append(Int32(position))
            last = row.prefix
        }
        if let index, index.count == starts.count {
            prefixIndex = index
        } else {
            prefixIndex = try PrefixIndex(keys: starts.map { DigitKey(packed: rows[Int($0)].prefix) })
        }
        starts.append(Int32(rows.count))
        prefixStarts = starts

        var network: [String: [Int32]] = [:]
        var type: [String: [Int32]] = [:]
        var country: [String: [Int32]] = [:]
        struct Names: Hashable { let country: Int32, network: Int32, numberType: Int32 }
        // Rows share a few combinations of names: classify each combination once.
        var groupOf: [Names: GroupKey?] = [:]
        for (position, row) in rows.enumerated() where row.network >= 0 || row.prefix == 0 {
            let names = Names(country: row.country, network: row.network, numberType: row.numberType)
            let group: GroupKey?
            if let known = groupOf[names] {
                group = known
            } else {
                group = Self.group(
                    country: tables.string(row.country),
                    network: tables.string(row.network),
                    numberType: tables.string(row.numberType),
                    hasPrefix: row.hasPrefix
                )
                groupOf[names] = group
            }
            switch group {
            case .network(let key)?: network[key, default: []].append(Int32(position))
            case .type(let key)?: type[key, default: []].append(Int32(position))
            case .country(let key)?: country[key, default: []].append(Int32(position))
            case nil: break
            }
        }
        func timeSorted(_ groups: [String: [Int32]]) -> [String: [Int32]] {
            groups.mapValues { $0.sorted { tables.timeOrder(rows[Int($0)], rows[Int($1)]) } }
        }
        networkGroups = timeSorted(network)
        typeGroups = timeSorted(type)
        countryGroups = timeSorted(country)
    }

    enum GroupKey {
        case network(String)
        case type(String)
        case country(String)
    }

    /// Where a row without a prefix, or with a network, is looked up. A network row with a
    /// prefix prices that prefix too (through the prefix index).
    static func group(country: String?, network: String?, numberType: String?, hasPrefix: Bool) -> GroupKey? {
        if let network {
            if let type = RateBook.pseudoNetworkType(network: network, numberType: numberType),
                let country = country ?? RateBook.pseudoNetworkCountry(network)
            {
                return .type(typeKey(country: country, type: type))
            }
            return .network(networkKey(country: country, network: network))
        }
        guard !hasPrefix, let country else { return nil }
        if let numberType, let type = NumberType(rawValue: numberType) { return .type(typeKey(country: country, type: type)) }
        return .country(country)
    }

    /// This list with `added` (in `precedes` order, newer than every row held) merged in.
    func merging(_ added: [RateRow], tables: RateTables) throws(PrefixIndexError) -> PriceList {
        var merged: [RateRow] = []
        merged.reserveCapacity(rows.count + added.count)
        var left = 0
        var right = 0
        while left < rows.count && right < added.count {
            if tables.precedes(added[right], rows[left]) {
                merged.append(added[right])
                right += 1
            } else {
                merged.append(rows[left])
                left += 1
            }
        }
        merged.append(contentsOf: rows[left...])
        merged.append(contentsOf: added[right...])
        // The merged prefixes include the held ones, so the same count means the same set.
        return try PriceList(product: product, origin: origin, rows: merged, tables: tables, index: prefixIndex)
    }

    /// The row in force at `instant` among `rows[range]` (in time order), or nil if none is.
    private func inForce(from start: Int, to end: Int, at instant: Int64) -> Int? {
        var low = start
        var high = end
        while low < high {
            let mid = (low + high) / 2
            if rows[mid].effectiveFrom <= instant { low = mid + 1 } else { high = mid }
        }
        guard low > start, !rows[low - 1].isClosing else { return nil }
        return low - 1
    }

    /// The row in force at `instant` among the positions of a group (in time order).
    private func inForce(_ group: [Int32]?, at instant: Int64) -> Int? {
        guard let group else { return nil }
        var low = 0
        var high = group.count
        while low < high {
            let mid = (low + high) / 2
            if rows[Int(group[mid])].effectiveFrom <= instant { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let position = Int(group[low - 1])
        return rows[position].isClosing ? nil : position
    }

    /// The most specific row in force for the number: longest prefix, then network, then
    /// number type, then country.
    func match(_ number: DigitKey, info: NumberInfo, at instant: Instant, tables: RateTables) -> (Rate, RateMatch)? {
        let seconds = instant.secondsSince1970
        var entry = prefixIndex.longestMatch(number)
        while let current = entry {
            if let position = inForce(from: Int(prefixStarts[current]), to: Int(prefixStarts[current + 1]), at: seconds) {
                // The row holds its prefix: the index's own copy would be one more memory access.
                return (tables.rate(rows[position], product: product, origin: origin), .prefix(DigitKey(packed: rows[position].prefix).digits))
            }
            entry = prefixIndex.parent(of: current)
        }
        let country = info.country?.iso2
        if let network = info.network {
            let group =
                networkGroups[Self.networkKey(country: country, network: network.mccmnc)]
                ?? networkGroups[Self.networkKey(country: nil, network: network.mccmnc)]
            if let position = inForce(group, at: seconds) {
                return (tables.rate(rows[position], product: product, origin: origin), .network(network.mccmnc, name: network.name))
            }
        }
        guard let country else { return nil }
        if let type = info.numberType, let position = inForce(typeGroups[Self.typeKey(country: country, type: type)], at: seconds) {
            return (tables.rate(rows[position], product: product, origin: origin), .numberType(type))
        }
        if let position = inForce(countryGroups[country], at: seconds) {
            return (tables.rate(rows[position], product: product, origin: origin), .country(country))
        }
        return nil
    }

    /// Every version of `key`, in time order.
    func versions(of key: RateKey, tables: RateTables) -> [Rate] {
        var range = 0..<(prefixStarts.first.map(Int.init) ?? rows.count)
        if let prefix = key.prefix {
            guard let digits = DigitKey(prefix), let entry = prefixIndex.longestMatch(digits), prefixIndex.key(of: entry) == digits else { return [] }
            range = Int(prefixStarts[entry])..<Int(prefixStarts[entry + 1])
        }
        return rows[range].filter {
            tables.string($0.country) == key.country && tables.string($0.network) == key.network && tables.string($0.numberType) == key.numberType
        }.map { tables.rate($0, product: product, origin: origin) }
    }

    /// Bytes held by the list's arrays, for the memory figures.
    var byteCount: Int {
        let groups = [networkGroups, typeGroups, countryGroups].reduce(0) { total, groups in
            groups.reduce(total) { $0 + 48 + $1.key.utf8.count + $1.value.capacity * 4 }
        }
        return rows.capacity * MemoryLayout<RateRow>.stride + prefixStarts.capacity * 4 + prefixIndex.byteCount + groups
    }
}

/// Which row of a list priced a number, from most to least specific.
public enum RateMatch: Sendable, Hashable, CustomStringConvertible {
    case prefix(String)
    case network(String, name: String)
    case numberType(NumberType)
    case country(String)
    /// Inbound: the caller's prefix or network, or any caller.
    case caller(String)

    public var description: String {
        switch self {
        case .prefix(let p): "longest matching prefix \(p)"
        case .network(let code, let name): "network \(code) (\(name))"
        case .numberType(let type): "\(type.rawValue) numbers of the country"
        case .country(let iso): "country default for \(iso)"
        case .caller(let text): text
        }
    }
}
