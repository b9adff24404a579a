/// A book's outbound lists, one slot per product and origin: a quote finds its list by two
/// small integers, where a dictionary would hash the enums' string raw values for every number.
struct PriceLists: Sendable {
    private var slots: [PriceList?] = Array(repeating: nil, count: Product.allCases.count * OriginScope.allCases.count)

    init() {}

    subscript(key: RateBook.ListKey) -> PriceList? {
        get { slots[Self.slot(key)] }
        set { slots[Self.slot(key)] = newValue }
    }

    /// The list of `product` for calls from `origin`.
    @inline(__always)
    func list(_ product: Product, _ origin: OriginScope) -> PriceList? { slots[Self.slot(product, origin)] }

    /// Every list held, in product then origin order.
    var values: [PriceList] { slots.compactMap { $0 } }

    /// Every list held with its key, in product then origin order.
    var entries: [(key: RateBook.ListKey, value: PriceList)] {
        values.map { (RateBook.ListKey(product: $0.product, origin: $0.origin), $0) }
    }

    private static func slot(_ key: RateBook.ListKey) -> Int { slot(key.product, key.origin) }

    @inline(__always)
    private static func slot(_ product: Product, _ origin: OriginScope) -> Int {
        product.ordinal * OriginScope.allCases.count + origin.ordinal
    }
}
