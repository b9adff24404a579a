import Foundation
import NIOCore
import TariffCore

extension VoximplantPlatform {
    /// GetResourcePrice: every resource with its price groups, or those asked for by
    /// `resource_type`, `price_group_id`, `price_group_name` and `resource_param` (numbers:
    /// only the groups that price them, with the numbers echoed in `params.requested`).
    func resourcePrice(_ parameters: PlatformParameters, account: Account) throws -> ByteBuffer {
        let catalog = try resourceCatalog(for: account)
        let types = parameters.list("resource_type")
        let ids = try parameters.ids("price_group_id")
        let pattern = parameters.string("price_group_name").map(NamePattern.init)
        var numbers: [(text: String, number: PhoneNumber)]?
        if let items = parameters.list("resource_param") {
            numbers = try items.map { item throws(VoximplantError) in
                do { return (item, try PhoneNumber(parsing: item)) } catch {
                    throw .invalidArgument("resource_param", "'\(item)' is not a phone number: \(error)")
                }
            }
        }
        let coverage = numbers.map { numbers in numbers.map { ($0.text, coveredKeys(of: $0.number)) } }
        let resources = types.map { $0.map { ($0, catalog.groups(of: $0)) } } ?? catalog.resources
        let filtered = ids != nil || pattern != nil || numbers != nil
        var result: [ResourcePriceBody] = []
        for (type, groups) in resources {
            var bodies: [PriceGroupBody] = []
            for group in groups {
                if let ids, !ids.contains(group.id) { continue }
                if let pattern, !pattern.matches(group.name) { continue }
                var requested: [String]?
                if let coverage {
                    requested = coverage.filter { _, covered in covered.covers(group) }.map(\.0)
                    if requested!.isEmpty { continue }
                }
                bodies.append(Self.body(group, requested: requested))
            }
            // Types asked for by name are always answered, even with no groups; the others only when something matched.
            if types != nil || !filtered || !bodies.isEmpty { result.append(ResourcePriceBody(resourceType: type, priceGroups: bodies)) }
        }
        return try VoximplantEncoding.json(ResultBody(result: result))
    }

    static func body(_ group: ResourceCatalog.PriceGroup, requested: [String]?) -> PriceGroupBody {
        PriceGroupBody(
            priceGroupName: group.name,
            priceGroupId: group.id,
            price: group.price.decimal,
            numResourcesPerPrice: group.unitsPerPrice,
            quantum: group.quantum,
            params: .init(allowed: group.allowed, requested: requested),
            countryCode: group.country ?? "",
            connectFee: group.connectFee.units == 0 ? nil : group.connectFee.decimal
        )
    }

    /// The rows that price `number`: for outbound products the row each origin list would use;
    /// for inbound ones the rows of the number's country and category, whoever calls.
    func coveredKeys(of number: PhoneNumber) -> CoveredKeys {
        let book = state.book
        let now = state.now()
        var outbound = Set<RateKey>()
        for product in Product.allCases where !product.isInbound {
            for scope in OriginScope.allCases {
                if let rate = book.rate(for: number, product: product, list: scope, at: now) { outbound.insert(rate.key) }
            }
        }
        let info = book.reference.classify(number.key)
        return CoveredKeys(outbound: outbound, country: info.country?.iso2, category: info.category?.rawValue)
    }

    struct CoveredKeys {
        let outbound: Set<RateKey>
        let country: String?
        let category: String?

        func covers(_ group: ResourceCatalog.PriceGroup) -> Bool {
            group.keys.contains { key in
                if key.product.isInbound {
                    return key.country != nil && key.country == country && (key.numberType == nil || key.numberType == category)
                }
                return outbound.contains(key)
            }
        }
    }
}

/// A name filter: case-insensitive, with `%` or `*` standing for any text; without them the
/// whole name must match.
struct NamePattern {
    private let parts: [Substring]
    private let wildcard: Bool

    init(_ pattern: String) {
        let lowered = pattern.lowercased()
        wildcard = lowered.contains("%") || lowered.contains("*")
        parts = lowered.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "%" || $0 == "*" })
    }

    func matches(_ name: String) -> Bool {
        let text = name.lowercased()
        guard wildcard else { return text == parts[0] }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = text.dropFirst(parts[0].count)
        for (index, part) in parts.enumerated().dropFirst() {
            if index == parts.count - 1 { return part.isEmpty || rest.hasSuffix(part) }
            guard let found = rest.range(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        return true
    }
}
