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
/// each owned by the longest prefix covering it. A lookup reads a small region table (which stays
/// in cache), one slot of a radix level sized to each region's density, and the few interval
/// starts in that slot, each stored beside its owner; only when the number is shorter than that
/// owner does it walk up the parent chain.
///
/// Built once, then read concurrently without locks (it is a value type holding only arrays).
public struct PrefixIndex: Sendable {
    /// One word per region (the top bits of `padded`; 10^15 < 2^50, so 50 bits hold every key),
    /// packed as `firstSlot << 6 | slotShift`: the region's slots are `slots[firstSlot...]`, each
    /// `2^slotShift` keys wide, as many as its share of interval starts calls for.
    private let regions: [UInt64]
    /// `padded >> regionShift` is the region of a key.
    private let regionShift: UInt64
    /// Per slot, in key order, the position in `bounds` of its first interval start, then one more
    /// (the end). The starts in slot s are `bounds[slots[s]..<slots[s + 1]]`; `bounds[slots[s] - 1]`
    /// is the interval already open where the slot begins.
    private let slots: [UInt32]
    /// Interval starts in ascending order after a sentinel (no owner at all), each packed as
    /// `offset << answerBits | answer`: the offset of the start within its slot (< 2^(64 − answerBits)),
    /// and the owner as `entry << 4 | length`, or 0 when no prefix covers the interval. The owner
    /// sits beside the start, so the search and its answer share a cache line, and carrying the
    /// length settles the common case (a number at least as long as its owner) in these words.
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
        // Interval starts (up to 2 per prefix, plus two) must fit the 32-bit slots.
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

        // Answers take the low bits of each word, offsets within a slot the rest.
        let largestAnswer = UInt64(max(keys.count, 1) - 1) << 4 | 0xF
        let answerBits = UInt64(UInt64.bitWidth - largestAnswer.leadingZeroBitCount)
        let answers = owners.map { $0 < 0 ? 0 : UInt64($0) << 4 | packedKeys[Int($0)] & 0xF }
        let layout = Self.layout(starts: starts, offsetBits: 64 - answerBits)

        var bounds: [UInt64] = []
        bounds.reserveCapacity(starts.count + 1)
        bounds.append(0)
        for (index, start) in starts.enumerated() {
            let shift = layout.shifts[index]
            bounds.append((start & (1 << shift &- 1)) << answerBits | answers[index])
        }

        self.regions = layout.regions
        self.regionShift = layout.regionShift
        self.slots = layout.slots
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
        let region = regions[Int(truncatingIfNeeded: padded &>> regionShift)]
        let shift = region & 0x3F
        let inRegion = padded & (1 &<< regionShift &- 1)
        let slot = Int(truncatingIfNeeded: region &>> 6) &+ Int(truncatingIfNeeded: inRegion &>> shift)
        let first = Int(truncatingIfNeeded: slots[slot])
        let end = Int(truncatingIfNeeded: slots[slot &+ 1])
        let answerMask: UInt64 = 1 &<< answerBits &- 1
        // Offsets sit above the answer bits: filling those with ones finds the last start ≤ padded.
        let probe = (padded & (1 &<< shift &- 1)) &<< answerBits | answerMask
        // bounds[first - 1] is the interval open where the slot begins; count the starts after it.
        var found = first &- 1
        let inSlot = end &- first
        if inSlot <= Self.scanLimit {
            // Most slots hold a few starts: compare them all, without branches to mispredict.
            // Lanes past the slot's starts read its last one again, made too large to count.
            let last = end &- 1
            for i in 0..<Self.scanLimit {
                let outside = UInt64(bitPattern: Int64(truncatingIfNeeded: inSlot &- 1 &- i) &>> 63)
                let word = bounds[min(first &+ i, last)] | outside
                found &+= word <= probe ? 1 : 0
            }
        } else {
            var span = inSlot &+ 1
            while span > 1 {
                let half = span &>> 1
                let word = bounds[found &+ half]
                found &+= half & Int(truncatingIfNeeded: Int64(bitPattern: (probe &- word) | ~(probe ^ word) & 0)) // placeholder
                span &-= half
            }
        }
        let answer = bounds[found] & answerMask
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

    public func _debugSlotLoad(_ number: DigitKey) -> Int {
        let padded = number.padded
        let region = regions[Int(truncatingIfNeeded: padded &>> regionShift)]
        let shift = region & 0x3F
        let inRegion = padded & (1 &<< regionShift &- 1)
        let slot = Int(truncatingIfNeeded: region &>> 6) &+ Int(truncatingIfNeeded: inRegion &>> shift)
        return Int(slots[slot + 1]) - Int(slots[slot])
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
        regions.capacity * MemoryLayout<UInt64>.stride
            + slots.capacity * MemoryLayout<UInt32>.stride
            + bounds.capacity * MemoryLayout<UInt64>.stride
            + entryKeys.capacity * MemoryLayout<UInt64>.stride
            + parents.capacity * MemoryLayout<Int32>.stride
    }

    /// Slots holding up to this many starts are scanned; fuller ones are binary-searched.
    private static let scanLimit = 4

    /// The region table and slots over `starts` (ascending, `starts[0] == 0`), and the slot
    /// width (`shifts[i]`, log 2) that `starts[i]` lies in.
    /// Each region gets about one slot per start in it, and none wider than `2^offsetBits`
    /// unless it holds no start, which keeps the table near 4–8 bytes per start whatever the
    /// distribution while the region table stays small enough to remain in cache.
    private static func layout(starts: [UInt64], offsetBits: UInt64)
        -> (regions: [UInt64], regionShift: UInt64, slots: [UInt32], shifts: [UInt8])
    {
        let keyBits = 50
        let regionBits = max(0, min(24, Int.bitWidth - starts.count.leadingZeroBitCount - 5))
        let regionShift = keyBits - regionBits
        var regions: [UInt64] = []
        regions.reserveCapacity(1 << regionBits)
        var slots: [UInt32] = []
        slots.reserveCapacity(2 * starts.count + (1 << regionBits) + 1)
        var shifts: [UInt8] = []
        shifts.reserveCapacity(starts.count)

        var next = 0  // first start not yet in a slot
        for region in 0..<(1 << regionBits) {
            let low = UInt64(region) << regionShift
            let high = low + 1 << regionShift
            var end = next
            while end < starts.count && starts[end] < high { end += 1 }
            let inside = end - next
            var slotBits = 0
            if inside > 0 {
                slotBits = min(regionShift, max(regionShift - Int(offsetBits), Int.bitWidth - inside.leadingZeroBitCount))
            }
            let shift = regionShift - slotBits
            regions.append(UInt64(slots.count) << 6 | UInt64(shift))
            for slot in 0..<(1 << slotBits) {
                let slotLow = low + UInt64(slot) << shift
                while next < end && starts[next] < slotLow {
                    shifts.append(UInt8(shift))
                    next += 1
                }
                // Position in `bounds`, which begins with a sentinel.
                slots.append(UInt32(next + 1))
            }
            while next < end {
                shifts.append(UInt8(shift))
                next += 1
            }
        }
        slots.append(UInt32(starts.count + 1))
        return (trimmed(regions), UInt64(regionShift), trimmed(slots), shifts)
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
