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
/// each owned by the longest prefix covering it. A lookup descends a small radix table over the
/// key's top bits, binary-searches the few intervals left and, only when the number is shorter
/// than that interval's owner, walks up the parent chain.
///
/// Built once, then read concurrently without locks (it is a value type holding only arrays).
public struct PrefixIndex: Sendable {
    /// Interval starts in ascending order, each packed as `start << 4 | ownerLength`
    /// (0 when no prefix covers it). Carrying the owner's length here settles the common case,
    /// a number at least as long as its owner, without touching the per-entry arrays.
    private let starts: [UInt64]
    /// Entry owning each elementary interval, or −1.
    private let owners: [Int32]
    /// Per entry: its `DigitKey`, packed as `padded << 4 | length`.
    private let entryKeys: [UInt64]
    /// Per entry: the next shorter prefix containing it, or −1.
    private let parents: [Int32]
    /// A radix tree of interval indexes over the top bits of `padded` (10^15 < 2^50, so 50 bits
    /// hold every key; binary rather than decimal slots avoid a division per lookup).
    /// The root is `table[0...(1 << (50 - rootShift))]`; a slot holds the last interval whose start
    /// is ≤ the slot's first key, so a number in slot s lies in `starts[table[s]...table[s + 1]]`.
    /// Slots holding many intervals (real numbering plans are very uneven) point, with `childFlag`,
    /// to a child node `[width, firstInterval, slot 0, ..., slot 2^width]` splitting them further.
    private let table: [UInt32]
    private let rootShift: UInt64

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
        // Interval indexes (up to 2 per prefix) must stay below `childFlag`.
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
        var rawStarts: [UInt64] = [0]
        var rawOwners: [Int32] = [-1]
        rawStarts.reserveCapacity(2 * keys.count + 1)
        rawOwners.reserveCapacity(2 * keys.count + 1)
        func emit(_ start: UInt64, _ owner: Int32) {
            // A later change at the same point supersedes the earlier one (an empty interval).
            if rawStarts.last == start {
                rawStarts.removeLast()
                rawOwners.removeLast()
            }
            if rawOwners.last == owner { return }
            rawStarts.append(start)
            rawOwners.append(owner)
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

        let boundaryCount = rawStarts.count
        var packedStarts: [UInt64] = []
        packedStarts.reserveCapacity(boundaryCount)
        for (start, owner) in zip(rawStarts, rawOwners) {
            packedStarts.append(start << 4 | (owner < 0 ? 0 : packedKeys[Int(owner)] & 0xF))
        }

        (table, rootShift) = Self.radixTable(over: rawStarts)
        self.starts = packedStarts
        self.owners = Self.trimmed(rawOwners)
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
        var shift = rootShift
        var slot = Int(truncatingIfNeeded: number.padded &>> shift)
        var first = table[slot]
        // Usually zero or one step: only crowded slots have children.
        while first >= Self.childFlag {
            let node = Int(truncatingIfNeeded: first & ~Self.childFlag)
            let width = UInt64(table[node])
            shift -= width
            slot = node + 2 + Int(truncatingIfNeeded: (number.padded &>> shift) & (1 << width - 1))
            first = table[slot]
        }
        var last = table[slot + 1]
        if last >= Self.childFlag { last = table[Int(truncatingIfNeeded: last & ~Self.childFlag) + 1] }
        var base = Int(truncatingIfNeeded: first)
        var span = Int(truncatingIfNeeded: last) - base + 1
        // Starts are distinct, so filling the length bits with ones finds the last start ≤ padded.
        let probe = number.padded << 4 | 0xF
        while span > 1 {
            let half = span >> 1
            base = starts[base + half] <= probe ? base + half : base
            span -= half
        }
        let ownerLength = starts[base] & 0xF
        guard ownerLength != 0 else { return nil }
        var entry = owners[base]
        let length = UInt64(number.length)
        // A prefix longer than the number covers its padded value without matching it
        // ("3461" vs "34610"); the enclosing prefixes are the remaining candidates.
        if ownerLength > length {
            repeat { entry = parents[Int(entry)] } while entry >= 0 && entryKeys[Int(entry)] & 0xF > length
        }
        return entry < 0 ? nil : Int(entry)
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
        starts.capacity * MemoryLayout<UInt64>.stride
            + owners.capacity * MemoryLayout<Int32>.stride
            + entryKeys.capacity * MemoryLayout<UInt64>.stride
            + parents.capacity * MemoryLayout<Int32>.stride
            + table.capacity * MemoryLayout<UInt32>.stride
    }

    /// Marks a `table` slot that points to a child node; interval indexes stay below it.
    private static let childFlag: UInt32 = 1 << 31
    /// A slot holding more intervals than this is split, when the budget allows.
    private static let leafLimit = 8

    /// Builds the radix tree over interval starts (ascending, `starts[0] == 0`).
    /// The root has about one slot per interval; children are added breadth first while
    /// their total stays within one more slot per interval, which bounds the table at about
    /// 8 bytes per interval whatever the distribution, and speeds up the densest regions first.
    private static func radixTable(over starts: [UInt64]) -> (table: [UInt32], rootShift: UInt64) {
        let rootBits = min(50, Int.bitWidth - 1 - starts.count.leadingZeroBitCount)
        let rootShift = UInt64(50 - rootBits)
        var table: [UInt32] = []
        table.reserveCapacity(2 * starts.count + 2)

        /// A slot holding more than `leafLimit` intervals, found while appending a node.
        struct Crowded { var position: Int, low: UInt64, shift: UInt64, inside: Int }

        /// Appends the slots `low + (i << shift)` for i in 0...count; `first` is the answer for i = 0.
        func appendSlots(low: UInt64, shift: UInt64, count: Int, from first: Int) -> [Crowded] {
            var crowded: [Crowded] = []
            var last = first
            for slot in 0...count {
                let previous = last
                while last + 1 < starts.count && starts[last + 1] <= low + UInt64(slot) << shift { last += 1 }
                table.append(UInt32(last))
                if slot > 0 && shift > 0 && last - previous > leafLimit {
                    crowded.append(Crowded(
                        position: table.count - 2, low: low + UInt64(slot - 1) << shift,
                        shift: shift, inside: last - previous))
                }
            }
            return crowded
        }

        var budget = starts.count
        var level = appendSlots(low: 0, shift: rootShift, count: 1 << rootBits, from: 0)
        while !level.isEmpty && budget > 0 {
            var nextLevel: [Crowded] = []
            for slot in level {
                let width = min(Int(slot.shift), Int.bitWidth - 1 - slot.inside.leadingZeroBitCount)
                guard budget >= 1 << width + 3 else { continue }
                budget -= 1 << width + 3
                let first = table[slot.position]
                table[slot.position] = childFlag | UInt32(table.count)
                table.append(UInt32(width))
                table.append(first)
                nextLevel += appendSlots(
                    low: slot.low, shift: slot.shift - UInt64(width), count: 1 << width, from: Int(first))
            }
            level = nextLevel
        }
        return (trimmed(table), rootShift)
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
