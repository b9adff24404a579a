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
