extension RateBook {
    /// Reads, for each of `numbers`, the prefix index and the first row a quote of `product`
    /// would read, in every list of the product, and nothing else. A bulk run calls it for a
    /// few numbers before quoting them: these reads do not depend on one another, so the
    /// processor waits for their cache misses together, where a quote waits for each in turn.
    /// The result only keeps the reads from being optimised away.
    func prefetch(_ numbers: UnsafeBufferPointer<DigitKey>, product: Product) -> Int64 {
        var touched: Int64 = 0
        for scope in OriginScope.allCases {
            guard let list = lists.list(product, scope) else { continue }
            for number in numbers { touched &+= list.firstRow(for: number) }
        }
        return touched
    }
}

extension PriceList {
    /// The start of the first version of `number`'s longest prefix (0 if none): the memory
    /// ``match(_:info:at:tables:)`` reads first.
    @inline(__always)
    func firstRow(for number: DigitKey) -> Int64 {
        guard let entry = prefixIndex.longestMatch(number) else { return 0 }
        return rows[Int(prefixStarts[entry])].effectiveFrom
    }
}
