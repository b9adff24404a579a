/// An immutable longest-prefix-match index over decimal digit prefixes.
///
/// Each prefix of length L is the interval `[p·10^(15−L), (p+1)·10^(15−L))` of 15-digit keys;
/// such intervals are nested or disjoint, so they flatten into sorted elementary intervals,
/// each owned by the longest prefix covering it. A lookup reads a small region table (it stays
/// in cache), one slot of the region (regions get slots in proportion to the interval starts
/// in them), then binary-searches, without branches, a window of starts from that slot's first
/// on, each stored beside its owner; only when the number is shorter than that owner does it
/// walk up the parent chain. So a lookup usually costs two memory accesses that may miss the
/// cache, the second within one or two adjacent cache lines.
///
/// Built once, then read concurrently without locks (it is a value type holding only arrays).
public struct PrefixIndex: Sendable {
    /// Node descriptors, `firstSlot << 6 | shift`: the node's slots are `slots[firstSlot...]`,
    /// each `2^shift` keys wide. The first `2^(50 − rootShift)` nodes are the regions, by the top
    /// bits of `padded` (10^15 < 2^50, so 50 bits hold every key), and their slots follow each other
    /// then one more; the others are children of crowded slots, each followed by one more slot.
    /// That extra slot holds the position after the node's last start.
    private let nodes: [UInt64]
    private let rootShift: UInt64
    /// `2^rootShift − 1`, the bits of a key below its region.
    private let rootMask: UInt64
    /// Per slot, the position in `bounds` from which to search (`bounds[p − 1]` is the interval open
    /// where the slot begins), or `childBase + n` for child node n.
    private let slots: [UInt32]
    private let childBase: UInt32
    /// The interval starts in ascending order, each as `offset << answerBits | answer`: the low
    /// `63 − answerBits` bits of the start, and its owner as `entry << 4 | length` (0 when no prefix
    /// covers the interval). The owner sits beside the start, so the search and its answer share a
    /// cache line, and the length settles the common case (a number at least as long as its owner)
    /// without the per-entry arrays. Starts equal above the offset bits form a block; each block
    /// after the first is preceded by `window` sentinels (all offset bits set, and the answer of
    /// the start before), and `window` more end the array. So a window read from a slot's first
    /// start on holds sorted words, then maybe sentinels, which compare above any number.
    private let bounds: [UInt64]
    /// `answerBits + 1`: a key shifted left by this, then right by one, has its offset bits in place.
    private let offsetShift: UInt64
    /// `2^answerBits − 1`, the answer bits of a word.
    private let answerMask: UInt64
    /// Per entry: its `DigitKey`, packed as `padded << 4 | length`.
    private let entryKeys: [UInt64]
    /// Per entry: the next shorter prefix containing it, or −1.
    private let parents: [Int32]

    /// Indexes `prefixes`; entry i is `prefixes[i]`.
    public init(prefixes: [String]) throws(PrefixIndexError) {
        var keys: [DigitKey] = []
        keys.reserveCapacity(prefixes.count)
        for (position, prefix) in prefixes.enumerated() {
            guard let key = DigitKey(prefix) else {
                throw .invalidPrefix(position: position, value: prefix)
            }
            keys.append(key)
        }
        try self.init(keys: keys)
    }

    /// Indexes `keys`; entry i is `keys[i]`.
    public init(keys: [DigitKey]) throws(PrefixIndexError) {
        // Positions in `bounds` (up to 2 starts per prefix, and sentinels) and child nodes must
        // share the 32-bit slots.
        precondition(keys.count < 1 << 30, "PrefixIndex holds fewer than 2^30 prefixes")
        let packedKeys = keys.map(\.packed)

        // Sorting by (start, length) puts every prefix right after the prefixes enclosing it.
        var order = packedKeys.indices.map { SortItem(key: packedKeys[$0], entry: Int32($0)) }
        order.sort { ($0.key, $0.entry) < ($1.key, $1.entry) }
        if let (first, second) = Self.earliestDuplicate(in: order) {
            throw .duplicatePrefix(first: first, second: second, value: keys[first].digits)
        }

        // Sweep with a stack of open intervals (at most 15 deep), emitting an interval start
        // wherever the innermost covering prefix changes.
        var starts: [UInt64] = [0]
        var owners: [Int32] = [-1]
        starts.reserveCapacity(2 * keys.count + 1)
        owners.reserveCapacity(2 * keys.count + 1)
        func emit(_ start: UInt64, _ owner: Int32) {
            // A later change at the same point supersedes the earlier one (an empty interval).
            if starts.last == start {
                starts.removeLast()
                owners.removeLast()
            }
            if owners.last == owner { return }
            starts.append(start)
            owners.append(owner)
        }
        let keySpace = DigitKey.powersOfTen[DigitKey.maxLength]
        var parents = [Int32](repeating: -1, count: keys.count)
        var open: [(entry: Int32, end: UInt64)] = []
        for item in order {
            let key = DigitKey(packed: item.key)
            while let top = open.last, top.end <= key.padded {
                open.removeLast()
                emit(top.end, open.last?.entry ?? -1)
            }
            parents[Int(item.entry)] = open.last?.entry ?? -1
            open.append((item.entry, key.padded + key.span))
            emit(key.padded, item.entry)
        }
        while let top = open.popLast(), top.end < keySpace {  // enclosing ones end at 10^15 too
            emit(top.end, open.last?.entry ?? -1)
        }

        // Answers take the low bits of each word, offsets the others but the top one, which stays
        // clear in every probe and set in sentinels.
        let largestAnswer = UInt64(max(keys.count, 1) - 1) << 4 | 0xF
        let answerBits = UInt64(UInt64.bitWidth - largestAnswer.leadingZeroBitCount)
        let blockShift = 63 - answerBits
        var bounds: [UInt64] = []
        var positions: [UInt32] = []
        bounds.reserveCapacity(starts.count + 2 * Self.window)
        positions.reserveCapacity(starts.count)
        var answer: UInt64 = 0
        for (index, start) in starts.enumerated() {
            if index > 0 && start >> blockShift != starts[index - 1] >> blockShift {
                bounds.append(contentsOf: repeatElement(UInt64.max << answerBits | answer, count: Self.window))
            }
            let owner = owners[index]
            answer = owner < 0 ? 0 : UInt64(owner) << 4 | packedKeys[Int(owner)] & 0xF
            positions.append(UInt32(bounds.count))
            bounds.append((start << (answerBits + 1)) >> 1 | answer)
        }
        let end = bounds.count
        bounds.append(contentsOf: repeatElement(UInt64.max << answerBits | answer, count: Self.window))

        let tree = Self.radixTree(over: starts, positions: positions, end: end, blockShift: Int(blockShift))
        self.nodes = tree.nodes
        self.rootShift = UInt64(tree.rootShift)
        self.rootMask = 1 << tree.rootShift - 1
        self.slots = tree.slots
        self.childBase = tree.childBase
        self.bounds = Self.trimmed(bounds)
        self.offsetShift = answerBits + 1
        self.answerMask = 1 << answerBits - 1
        self.entryKeys = packedKeys
        self.parents = parents
    }

    /// Number of prefixes.
    public var count: Int { entryKeys.count }

    /// The prefix of `entry` (0..<count).
    public func key(of entry: Int) -> DigitKey {
        DigitKey(packed: entryKeys[entry])
    }

    /// The entry whose prefix is the longest one that is a prefix of `number`
    /// (a prefix equal to the number matches); `nil` if none is.
    public func longestMatch(_ number: DigitKey) -> Int? {
        let padded = number.padded
        // Offsets sit above the answer bits: filling those with ones finds the last start ≤ padded.
        let probe = (padded &<< offsetShift) &>> 1 | answerMask
        let (_, first) = leaf(of: padded)
        let found = bounds.withUnsafeBufferPointer { bounds -> UInt64? in
            // The last word ≤ probe among bounds[first - 1 ..< first + window - 1]; the first of
            // those is the interval open where the slot begins, so it is never compared.
            var found = first &- 1
            var step = Self.window &>> 1
            while step > 0 {
                found &+= bounds[found &+ step] <= probe ? step : 0
                step &>>= 1
            }
            return found == first &+ Self.window &- 2 ? nil : bounds[found]
        }
        // The whole window is ≤ probe only in a slot holding more starts than it.
        guard let found else { return crowdedMatch(number) }
        return match(found & answerMask, length: number.length)
    }

    /// The slot holding `padded`, and the position in `bounds` from which to search.
    @inline(__always)
    private func leaf(of padded: UInt64) -> (slot: Int, first: Int) {
        nodes.withUnsafeBufferPointer { nodes in
            slots.withUnsafeBufferPointer { slots in
                var within = padded & rootMask
                var node = nodes[Int(truncatingIfNeeded: padded &>> rootShift)]
                var slot = Int(truncatingIfNeeded: node &>> 6 &+ within &>> (node & 0x3F))
                var first = slots[slot]
                // Only crowded slots have children.
                while first >= childBase {
                    within &= 1 &<< (node & 0x3F) &- 1
                    node = nodes[Int(truncatingIfNeeded: first &- childBase)]
                    slot = Int(truncatingIfNeeded: node &>> 6 &+ within &>> (node & 0x3F))
                    first = slots[slot]
                }
                return (slot, Int(truncatingIfNeeded: first))
            }
        }
    }

    /// The entry for `answer` (`entry << 4 | length`, or 0 for none), or, when that prefix is
    /// longer than the number, the longest one enclosing it that is not.
    @inline(__always)
    private func match(_ answer: UInt64, length: UInt8) -> Int? {
        // A prefix longer than the number covers its padded value without matching it
        // ("3461" vs "34610"); the enclosing prefixes are the remaining candidates.
        if answer & 0xF > UInt64(length) {
            return enclosingMatch(of: Int(truncatingIfNeeded: answer &>> 4), length: length)
        }
        return answer == 0 ? nil : Int(truncatingIfNeeded: answer &>> 4)
    }

    /// The longest prefix enclosing `entry` that is at most `length` digits long.
    @inline(never)
    private func enclosingMatch(of entry: Int, length: UInt8) -> Int? {
        var entry = entry
        repeat {
            entry = Int(parents[entry])
        } while entry >= 0 && entryKeys[entry] & 0xF > UInt64(length)
        return entry < 0 ? nil : entry
    }

    /// `longestMatch` in a slot holding more starts than the window: a binary search of them all,
    /// up to where the next slot's search begins.
    @inline(never)
    private func crowdedMatch(_ number: DigitKey) -> Int? {
        let probe = (number.padded << offsetShift) >> 1 | answerMask
        let (slot, first) = leaf(of: number.padded)
        var end = slots[slot + 1]
        while end >= childBase { end = slots[Int(nodes[Int(end - childBase)] >> 6)] }
        var found = first - 1
        var span = Int(end) - found
        while span > 1 {
            let half = span >> 1
            if bounds[found + half] <= probe { found += half }
            span -= half
        }
        return match(bounds[found] & answerMask, length: number.length)
    }

    /// The next shorter prefix in the set that is a prefix of `entry`'s prefix (`nil` if none).
    public func parent(of entry: Int) -> Int? {
        let parent = parents[entry]
        return parent < 0 ? nil : Int(parent)
    }

    /// All matching entries, longest first (`longestMatch`, then its parent chain).
    /// One small allocation; use `matchChain(_:)` to iterate without any.
    public func matches(_ number: DigitKey) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(DigitKey.maxLength)
        for entry in matchChain(number) { result.append(entry) }
        return result
    }

    /// All matching entries, longest first, produced lazily without allocating.
    public func matchChain(_ number: DigitKey) -> Matches {
        Matches(parents: parents, current: longestMatch(number).map(Int32.init) ?? -1)
    }

    /// Walks the parent chain from one entry up to the shortest enclosing prefix.
    public struct Matches: Sequence, IteratorProtocol, Sendable {
        fileprivate let parents: [Int32]
        fileprivate var current: Int32

        public mutating func next() -> Int? {
            guard current >= 0 else { return nil }
            defer { current = parents[Int(current)] }
            return Int(current)
        }
    }

    /// Bytes held by the index's arrays (capacity × stride), for the memory benchmark.
    public var byteCount: Int {
        nodes.capacity * MemoryLayout<UInt64>.stride
            + slots.capacity * MemoryLayout<UInt32>.stride
            + bounds.capacity * MemoryLayout<UInt64>.stride
            + entryKeys.capacity * MemoryLayout<UInt64>.stride
            + parents.capacity * MemoryLayout<Int32>.stride
    }

    /// Positions searched from a slot's first start (with the one before it), and the length of
    /// each run of sentinels. Eight words take three branch-free steps and at most two cache lines.
    private static let window = 8
    /// A slot holding more starts than this gets a child node, while the budget allows.
    private static let leafLimit = 8

    /// Builds the regions, child nodes and slots over the interval starts (ascending,
    /// `starts[0] == 0`) stored at `positions` in `bounds` (`end` is the position after the last),
    /// in blocks `2^blockShift` keys wide.
    /// The region table has at most 4096 entries, so it stays in cache; a region gets a slot per
    /// two to four starts in it, and slots with many starts get child nodes likewise, breadth
    /// first, while those add up to no more than a slot per two starts overall.
    private static func radixTree(
        over starts: [UInt64],
        positions: [UInt32],
        end: Int,
        blockShift: Int
    )
        -> (nodes: [UInt64], rootShift: Int, slots: [UInt32], childBase: UInt32)
    {
        let keyBits = 50
        // A slot must lie in one block, where offsets compare as the starts do.
        let rootBits = max(keyBits - blockShift, min(12, max(0, Int.bitWidth - starts.count.leadingZeroBitCount - 5)))
        let rootShift = keyBits - rootBits
        let childBase = UInt32(end + window)
        var nodes: [UInt64] = []
        nodes.reserveCapacity(1 << rootBits)
        var slots: [UInt32] = []
        slots.reserveCapacity(starts.count / 2 + (1 << rootBits) + 1)

        /// Where a slot from `low` on begins its search when `starts[next]` is the first start at or
        /// after `low` and the slot holds none: at that start, or at the sentinels before it if it
        /// opens a later block (a window from there must not reach into the next block).
        func position(low: UInt64, next: Int) -> UInt32 {
            guard next < starts.count else { return UInt32(end) }
            let position = positions[next]
            return starts[next] >> blockShift != low >> blockShift ? position - UInt32(window) : position
        }
        /// A slot holding more than `leafLimit` starts: `slots[position]`, `2^shift` keys wide from
        /// `low`, holding `starts[lower..<upper]`.
        struct Crowded { var position: Int, low: UInt64, shift: Int, lower: Int, upper: Int }

        /// Appends a node's `2^bits` slots, `2^shift` keys wide from `low`, over `starts[lower..<upper]`.
        func appendSlots(bits: Int, low: UInt64, shift: Int, from lower: Int, to upper: Int) -> [Crowded] {
            var crowded: [Crowded] = []
            var next = lower
            for slot in 0..<(1 << bits) {
                let slotLow = low + UInt64(slot) << shift
                let first = next
                while next < upper && starts[next] < slotLow + 1 << shift { next += 1 }
                slots.append(next > first ? positions[first] : position(low: slotLow, next: next))
                if next - first > leafLimit {
                    crowded.append(Crowded(position: slots.count - 1, low: slotLow, shift: shift, lower: first, upper: next))
                }
            }
            return crowded
        }
        /// Slots (log 2) for a node holding `inside` starts: 2 to 4 starts a slot.
        func bits(for inside: Int, within shift: Int) -> Int {
            min(shift, max(0, Int.bitWidth - inside.leadingZeroBitCount - 2))
        }

        var level: [Crowded] = []
        var next = 0
        for region in 0..<(1 << rootBits) {
            let low = UInt64(region) << rootShift
            let lower = next
            while next < starts.count && starts[next] < low + 1 << rootShift { next += 1 }
            let bits = bits(for: next - lower, within: rootShift)
            nodes.append(UInt64(slots.count) << 6 | UInt64(rootShift - bits))
            level += appendSlots(bits: bits, low: low, shift: rootShift - bits, from: lower, to: next)
        }
        slots.append(UInt32(end))

        var budget = starts.count / 2
        while !level.isEmpty && budget > 0 {
            var nextLevel: [Crowded] = []
            for slot in level {
                let bits = max(1, bits(for: slot.upper - slot.lower, within: slot.shift))
                guard budget >= 1 << bits else { continue }
                budget -= 1 << bits
                slots[slot.position] = childBase + UInt32(nodes.count)
                nodes.append(UInt64(slots.count) << 6 | UInt64(slot.shift - bits))
                nextLevel += appendSlots(
                    bits: bits,
                    low: slot.low,
                    shift: slot.shift - bits,
                    from: slot.lower,
                    to: slot.upper
                )
                slots.append(position(low: slot.low + 1 << slot.shift, next: slot.upper))
            }
            level = nextLevel
        }
        return (trimmed(nodes), rootShift, trimmed(slots), childBase)
    }

    private struct SortItem {
        var key: UInt64
        var entry: Int32
    }

    /// The repeated pair whose second occurrence comes first in the input, i.e. the error a
    /// reader scanning the input in order would hit first.
    private static func earliestDuplicate(in order: [SortItem]) -> (Int, Int)? {
        var found: (Int, Int)?
        for index in order.indices.dropFirst() where order[index].key == order[index - 1].key {
            // Runs are sorted by position, so only a run's first two items can be the earliest pair.
            if index >= 2 && order[index - 2].key == order[index].key { continue }
            let pair = (Int(order[index - 1].entry), Int(order[index].entry))
            if found.map({ pair.1 < $0.1 }) ?? true { found = pair }
        }
        return found
    }

    /// A copy whose capacity is its count, so growth slack does not count against `byteCount`.
    private static func trimmed<Element>(_ array: [Element]) -> [Element] {
        var copy: [Element] = []
        copy.reserveCapacity(array.count)
        copy.append(contentsOf: array)
        return copy
    }
}
