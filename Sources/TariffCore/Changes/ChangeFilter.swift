/// What a change feed is asked for, read and checked once for the API and the command line:
/// where it starts, which products (a rate product, or `numbers` for number fees; all when
/// none is named) and which country.
public struct ChangeFilter: Sendable, Hashable {
    public let since: ChangeSince
    public let products: [Product]
    public let numbers: Bool
    public let country: String?

    /// Names the parameter at fault (`since`, `product`, `country`) and why.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let parameter: String
        public let reason: String
        public var description: String { "\(parameter): \(reason)" }
    }

    public init(since: String?, product: String?, country: String?, reference: ReferenceData) throws(Invalid) {
        guard let since else { throw Invalid(parameter: "since", reason: "a deck version (0 for everything) or an instant, e.g. 2026-12-01") }
        do { self.since = try ChangeSince(parsing: since) } catch {
            throw Invalid(parameter: "since", reason: "a deck version (a whole number from 0) or an instant: \(error)")
        }
        var products = Product.allCases
        var numbers = true
        if let product {
            if product == PriceChange.Subject.numbers {
                products = []
            } else if let known = Product(apiName: product) {
                products = [known]
                numbers = false
            } else {
                let names = ["voice", "sms"] + Product.allCases.map(\.rawValue) + [PriceChange.Subject.numbers]
                throw Invalid(parameter: "product", reason: "one of \(names.joined(separator: ", ")), not '\(product)'")
            }
        }
        self.products = products
        self.numbers = numbers
        if let country {
            guard let known = reference.country(country) else {
                throw Invalid(parameter: "country", reason: "'\(country)' is not an ISO 3166-1 country code Tariff knows")
            }
            self.country = known.iso2
        } else {
            self.country = nil
        }
    }
}

extension ChangeSince: CustomStringConvertible {
    /// The version's number, or the instant in ISO 8601.
    public var description: String {
        switch self {
        case .version(let version): String(version)
        case .time(let instant): instant.iso8601
        }
    }
}

extension RateBook {
    /// The changes `filter` asks for, by the date they take effect (then in key order): the
    /// order a price-change notice is read in.
    public func changes(_ filter: ChangeFilter, through priced: PricedBook? = nil) -> [PriceChange] {
        var found: [PriceChange] = []
        changes(since: filter.since, products: filter.products, numbers: filter.numbers, country: filter.country, through: priced) {
            found.append($0)
        }
        let order = found.indices.sorted { (found[$0].effectiveFrom, $0) < (found[$1].effectiveFrom, $1) }
        return order.map { found[$0] }
    }
}
