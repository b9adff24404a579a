/// Why a prefix set could not be indexed. Positions are indexes into the input array.
public enum PrefixIndexError: Error, Equatable, Sendable {
    /// The prefix is not 1...15 ASCII digits.
    case invalidPrefix(position: Int, value: String)
    /// The same prefix appears at both positions (`first < second`).
    case duplicatePrefix(first: Int, second: Int, value: String)
}

/// An immutable longest-prefix-match index over decimal digit prefixes.
///
/// Each prefix of length L is the interval `[p·10^(15−L), (p+1)·10^(15−L))` of 15-digit keys;
/// such intervals are nested or disjoint, so they flatten into sorted elementary intervals,
/// each owned by the longest prefix covering it. A lookup descends a radix tree over the key's
/// bits (a root table that stays in cache, then nodes sized to the density below each slot) to a
/// slot holding a few interval starts, compares them without branching, and reads the owner
/// stored beside the start found; only when the number is shorter than that owner does it walk
/// up the parent chain.
///
/// Built once, then read concurrently without locks (it is a value type holding only arrays).
public struct PrefixIndex: Sendable {
    /// The radix tree: the root is `nodes[0..<(1 << (50 - rootShift))]` (10^15 < 2^50, so 50 bits
    /// hold every key), each slot `2^shift` keys wide. A slot is either a leaf,
    /// `first << 32 | count`: its interval starts are `bounds[first..<first + count]`, and
    /// `bounds[first - 1]` is the interval already open where the slot begins; or, with
    /// `childFlag`, `node << 32 | childFlag | shift`: a node of slots `2^shift` wide from `nodes[node]`.
    private let nodes: [UInt64]
    private let rootShift: UInt64
    /// A sentinel (no owner), the interval starts in ascending order, then `scanWidth` words of padding.
    /// Each is `offset << answerBits | answer`: the start's offset within its leaf slot, and its
    /// owner as `entry << 4 | length`, or 0 when no prefix covers the interval. The owner sits
    /// beside the start, so the search and its answer share a cache line, and carrying the length
    /// settles the common case (a number at least as long as its owner) within these words.
    private let bounds: [UInt64]
    private let answerBits: UInt64
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
        // Interval starts (up to 2 per prefix, plus sentinels) must fit a leaf's 32-bit `first`.
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

        // Answers take the low bits of each word, offsets within a leaf slot the rest.
        let largestAnswer = UInt64(max(keys.count, 1) - 1) << 4 | 0xF
        let answerBits = UInt64(UInt64.bitWidth - largestAnswer.leadingZeroBitCount)
        let tree = Self.radixTree(over: starts, offsetBits: 64 - Int(answerBits))

        var bounds: [UInt64] = []
        bounds.reserveCapacity(starts.count + 1 + Self.scanWidth)
        bounds.append(0)
        for (index, start) in starts.enumerated() {
            let owner = owners[index]
            let answer = owner < 0 ? 0 : UInt64(owner) << 4 | packedKeys[Int(owner)] & 0xF
            bounds.append((start & (1 << tree.leafShifts[index] - 1)) << answerBits | answer)
        }
        bounds.append(contentsOf: repeatElement(UInt64.max, count: Self.scanWidth))

        self.nodes = tree.nodes
        self.rootShift = tree.rootShift
        self.bounds = bounds
        self.answerBits = answerBits
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
        let answerBits = answerBits
        let answer = nodes.withUnsafeBufferPointer { nodes in
            bounds.withUnsafeBufferPointer { bounds in
                var shift = rootShift
                var index = Int(truncatingIfNeeded: padded &>> shift)
                var slot = nodes[index]
                // Most lookups end one or two steps below the root. Take two steps without
                // branches to mispredict (a leaf reads itself again), then any further ones.
                for _ in 0..<2 {
                    let child = 0 &- (slot &>> 31 & 1)
                    let within = padded & (1 &<< shift &- 1)
                    let childShift = slot & 0x3F
                    let childIndex = Int(truncatingIfNeeded: slot &>> 32 &+ within &>> childShift)
                    index ^= (index ^ childIndex) & Int(truncatingIfNeeded: child)
                    shift ^= (shift ^ childShift) & child
                    slot = nodes[index]
                }
                while slot & Self.childFlag != 0 {
                    let within = padded & (1 &<< shift &- 1)
                    shift = slot & 0x3F
                    slot = nodes[Int(truncatingIfNeeded: slot &>> 32 &+ within &>> shift)]
                }
                let first = Int(truncatingIfNeeded: slot &>> 32)
                let count = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF)
                let answerMask: UInt64 = 1 &<< answerBits &- 1
                // Offsets sit above the answer bits: filling those with ones finds the last start ≤ padded.
                let probe = (padded & (1 &<< shift &- 1)) &<< answerBits | answerMask
                // Count the slot's starts ≤ probe, after the interval open where the slot begins.
                var found = first &- 1
                if count <= Self.scanWidth {
                    // Compare all lanes, without branches to mispredict; those past the slot's starts
                    // are made too large to count.
                    for lane in 0..<Self.scanWidth {
                        let outside = UInt64(bitPattern: Int64(truncatingIfNeeded: count &- 1 &- lane) &>> 63)
                        found &+= bounds[first &+ lane] | outside <= probe ? 1 : 0
                    }
                } else {
                    var span = count &+ 1
                    while span > 1 {
                        let half = span &>> 1
                        let below = bounds[found &+ half] <= probe ? 1 : 0
                        found &+= half & (0 &- below)
                        span &-= half
                    }
                }
                return bounds[found] & answerMask
            }
        }
        guard answer != 0 else { return nil }
        var entry = Int(truncatingIfNeeded: answer &>> 4)
        let length = UInt64(number.length)
        // A prefix longer than the number covers its padded value without matching it
        // ("3461" vs "34610"); the enclosing prefixes are the remaining candidates.
        if answer & 0xF > length {
            repeat {
                entry = Int(truncatingIfNeeded: parents[entry])
            } while entry >= 0 && entryKeys[entry] & 0xF > length
            if entry < 0 { return nil }
        }
        return entry
    }

    public func _debugLeaf(_ number: DigitKey) -> (depth: Int, count: Int) {
        let padded = number.padded
        var shift = rootShift
        var slot = nodes[Int(truncatingIfNeeded: padded &>> shift)]
        var depth = 0
        while slot & Self.childFlag != 0 {
            let within = padded & (1 &<< shift &- 1)
            shift = slot & 0x3F
            slot = nodes[Int(truncatingIfNeeded: slot &>> 32 &+ within &>> shift)]
            depth += 1
        }
        return (depth, Int(slot & 0xFFFF_FFFF))
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
            + bounds.capacity * MemoryLayout<UInt64>.stride
            + entryKeys.capacity * MemoryLayout<UInt64>.stride
            + parents.capacity * MemoryLayout<Int32>.stride
    }

    /// Marks a slot that points to a child node.
    private static let childFlag: UInt64 = 1 << 31
    /// Leaves holding up to this many starts are scanned; fuller ones are binary-searched.
    private static let scanWidth = 4

    /// Builds the radix tree over interval starts (ascending, `starts[0] == 0`), and the width
    /// (log 2) of the leaf slot each start lies in.
    /// The root has a slot per 32 starts or so. A slot holding more than `scanWidth` starts gets
    /// a child node of about one slot per start, breadth first while the tree stays within one
    /// word per start beyond the root; so does any slot too wide for an offset of `offsetBits − 1`
    /// bits (keeping probes below all ones), whatever the budget.
    private static func radixTree(over starts: [UInt64], offsetBits: Int)
        -> (nodes: [UInt64], rootShift: UInt64, leafShifts: [UInt8])
    {
        let keyBits = 50
        let widest = offsetBits - 1
        let rootBits = max(keyBits - widest, min(24, max(0, Int.bitWidth - starts.count.leadingZeroBitCount - 5)))
        var nodes = [UInt64](repeating: 0, count: 1 << rootBits)
        nodes.reserveCapacity(2 * starts.count + (1 << rootBits))

        /// A leaf to split, if the budget allows (`shift` is its width, `starts[lower..<upper]` its starts).
        struct Crowded { var position: Int, low: UInt64, shift: Int, lower: Int, upper: Int }

        /// Fills `nodes[base..<base + 2^bits]`, the slots `2^shift` wide from `low`.
        func fill(base: Int, bits: Int, low: UInt64, shift: Int, from lower: Int, to upper: Int) -> [Crowded] {
            var crowded: [Crowded] = []
            var next = lower
            for slot in 0..<(1 << bits) {
                let slotLow = low + UInt64(slot) << shift
                let first = next
                while next < upper && starts[next] < slotLow + 1 << shift { next += 1 }
                // Positions in `bounds`, which begins with a sentinel.
                nodes[base + slot] = UInt64(first + 1) << 32 | UInt64(next - first)
                if next - first > scanWidth || (next > first && shift > widest) {
                    crowded.append(Crowded(position: base + slot, low: slotLow, shift: shift, lower: first, upper: next))
                }
            }
            return crowded
        }

        var level = fill(base: 0, bits: rootBits, low: 0, shift: keyBits - rootBits, from: 0, to: starts.count)
        var budget = starts.count
        while !level.isEmpty {
            var nextLevel: [Crowded] = []
            for slot in level {
                let inside = slot.upper - slot.lower
                let bits = min(slot.shift, max(1, Int.bitWidth - inside.leadingZeroBitCount - 1))
                guard budget >= 1 << bits || slot.shift > widest else { continue }
                budget -= 1 << bits
                let base = nodes.count
                nodes[slot.position] = UInt64(base) << 32 | childFlag | UInt64(slot.shift - bits)
                nodes.append(contentsOf: repeatElement(0, count: 1 << bits))
                nextLevel += fill(base: base, bits: bits, low: slot.low, shift: slot.shift - bits,
                                  from: slot.lower, to: slot.upper)
            }
            level = nextLevel
        }

        // The width of the leaf each start lies in, for its offset.
        var leafShifts = [UInt8](repeating: 0, count: starts.count)
        func widths(base: Int, bits: Int, shift: Int) {
            for slot in nodes[base..<base + 1 << bits] {
                if slot & childFlag != 0 {
                    widths(base: Int(slot >> 32), bits: shift - Int(slot & 0x3F), shift: Int(slot & 0x3F))
                } else {
                    let first = Int(slot >> 32) - 1
                    for index in first..<first + Int(slot & 0xFFFF_FFFF) { leafShifts[index] = UInt8(shift) }
                }
            }
        }
        widths(base: 0, bits: rootBits, shift: keyBits - rootBits)
        return (trimmed(nodes), UInt64(keyBits - rootBits), leafShifts)
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
