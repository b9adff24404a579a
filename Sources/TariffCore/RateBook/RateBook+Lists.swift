extension RateBook {
    /// The row of one origin list that prices `number` at `instant` (nil when that list has no
    /// price for it), without falling through to other lists as ``quote(_:product:from:at:)``
    /// does: what a catalog that shows each list separately needs to say which of its rows
    /// applies to a number.
    public func rate(for number: PhoneNumber, product: Product, list scope: OriginScope, at instant: Instant) -> Rate? {
        guard !product.isInbound, let list = lists[ListKey(product: product, origin: scope)] else { return nil }
        return list.match(number.key, info: reference.classify(number.key), at: instant, tables: tables)?.0
    }
}

extension RateBook {
    /// The version of exactly `key` in force at `instant`, if it is priced then: how an
    /// override deck is asked whether it has its own row for a row of the base deck.
    func version(of key: RateKey, at instant: Instant) -> Rate? {
        let versions: [Rate]
        if key.product.isInbound {
            versions = (inboundRates[key.product] ?? []).filter { $0.key == key }
        } else {
            versions = lists[ListKey(product: key.product, origin: key.origin)]?.versions(of: key, tables: tables) ?? []
        }
        // In time order, the newest deck's last among versions of one instant, as in `Timeline`.
        return versions.last { $0.effectiveFrom <= instant }.flatMap { $0.terms == nil ? nil : $0 }
    }

    /// The subscription price of exactly `key` in force at `instant` (no fallback to the country's).
    func numberPrice(key: NumberPriceKey, at instant: Instant) -> NumberPrice? {
        numberTimelines[key]?.at(instant).flatMap { $0.terms == nil ? nil : $0 }
    }
}
