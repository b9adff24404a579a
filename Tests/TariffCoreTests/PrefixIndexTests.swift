import Testing

@testable import TariffCore

/// The reference the index must agree with: every prefix checked against the whole number.
private func bruteMatches(_ prefixes: [String], _ number: String) -> [Int] {
    prefixes.indices
        .filter { number.hasPrefix(prefixes[$0]) }
        .sorted { prefixes[$0].count > prefixes[$1].count }
}

/// Unique prefixes of length 1...12, many drawn by extending earlier ones so that nesting is common.
private func randomPrefixes(count: Int, rng: inout SplitMix64) -> [String] {
    var seen = Set<String>()
    var prefixes: [String] = []
    var attempts = 0
    while prefixes.count < count && attempts < count * 50 {
        attempts += 1
        var candidate: String
        if let base = prefixes.randomElement(using: &rng), base.count < 12, rng.chance(60) {
            candidate = base + rng.digits(1 + rng.below(min(3, 12 - base.count)))
        } else {
            candidate = rng.digits(1 + rng.below(12))
        }
        if seen.insert(candidate).inserted { prefixes.append(candidate) }
    }
    return prefixes
}

/// Numbers of length 1...15: random, extensions of prefixes, exact prefixes, truncated prefixes,
/// and prefixes with the last digit changed (just outside an interval).
private func randomNumbers(count: Int, prefixes: [String], rng: inout SplitMix64) -> [String] {
    (0..<count).map { _ in
        guard let base = prefixes.randomElement(using: &rng), rng.chance(80) else {
            return rng.digits(1 + rng.below(15))
        }
        switch rng.below(5) {
        case 0: return base
        case 1: return String(base.prefix(1 + rng.below(base.count)))
        case 2:
            let changed = rng.digits(1)
            return String(base.dropLast()) + changed + rng.digits(rng.below(16 - base.count))
        case 3: return base + String(repeating: rng.chance(50) ? "9" : "0", count: 15 - base.count)
        default: return base + rng.digits(rng.below(16 - base.count))
        }
    }
}

@Suite("PrefixIndex")
struct PrefixIndexTests {
    private func lookup(_ index: PrefixIndex, _ number: String) throws -> [Int] {
        let key = try #require(DigitKey(number))
        let chain = index.matches(key)
        #expect(index.longestMatch(key) == chain.first)
        #expect(Array(index.matchChain(key)) == chain)
        return chain
    }

    @Test("agrees with brute force on random nested prefix sets", arguments: [1, 2, 3, 4] as [UInt64])
    func randomAgainstBruteForce(seed: UInt64) throws {
        var rng = SplitMix64(state: seed)
        for size in [0, 1, 2, 7, 60, 400, 3_000, 20_000] {
            let prefixes = randomPrefixes(count: size, rng: &rng)
            let index = try PrefixIndex(prefixes: prefixes)
            #expect(index.count == prefixes.count)
            if prefixes.count >= 1_000 { #expect(index.byteCount <= 64 * index.count) }
            // Keep brute-force work around a few million comparisons per set.
            let numbers = randomNumbers(count: max(150, min(3_000, 3_000_000 / max(size, 1))), prefixes: prefixes, rng: &rng)
            for number in numbers {
                let expected = bruteMatches(prefixes, number)
                let actual = try lookup(index, number)
                #expect(actual == expected, "seed \(seed) size \(size) number \(number)")
                if actual != expected { return }
            }
            // The parent chain of every entry is the chain of its own prefix, minus itself.
            let known = Dictionary(uniqueKeysWithValues: prefixes.enumerated().map { ($1, $0) })
            for (entry, prefix) in prefixes.enumerated() {
                #expect(index.key(of: entry).digits == prefix)
                let shorter = (1..<prefix.count).reversed().lazy.compactMap { known[String(prefix.prefix($0))] }
                #expect(index.parent(of: entry) == shorter.first, "seed \(seed) prefix \(prefix)")
            }
        }
    }

    @Test func emptySetNeverMatches() throws {
        let index = try PrefixIndex(prefixes: [])
        #expect(index.count == 0)
        for number in ["0", "1", "999999999999999", "000000000000000"] {
            #expect(try lookup(index, number) == [])
        }
    }

    @Test func longerPrefixDoesNotMatchShorterNumber() throws {
        let index = try PrefixIndex(prefixes: ["34610", "346", "3"])
        #expect(try lookup(index, "3461") == [1, 2])
        #expect(try lookup(index, "34610") == [0, 1, 2])
        #expect(try lookup(index, "346109999") == [0, 1, 2])
        #expect(try lookup(index, "34") == [2])
        #expect(try lookup(index, "4") == [])
        #expect(index.parent(of: 0) == 1)
        #expect(index.parent(of: 1) == 2)
        #expect(index.parent(of: 2) == nil)
    }

    @Test func leadingZeros() throws {
        let index = try PrefixIndex(prefixes: ["0", "00", "0034", "000"])
        #expect(try lookup(index, "0034") == [2, 1, 0])
        #expect(try lookup(index, "00349") == [2, 1, 0])
        #expect(try lookup(index, "003") == [1, 0])
        #expect(try lookup(index, "0") == [0])
        #expect(try lookup(index, "000000000000000") == [3, 1, 0])
        #expect(try lookup(index, "1") == [])
        #expect(try lookup(index, "34") == [])
    }

    @Test func fifteenDigitPrefixes() throws {
        let index = try PrefixIndex(prefixes: ["1", "100000000000000", "123456789012345", "9", "999999999999999"])
        #expect(try lookup(index, "1") == [0])
        #expect(try lookup(index, "10") == [0])
        #expect(try lookup(index, "100000000000000") == [1, 0])
        #expect(try lookup(index, "100000000000001") == [0])
        #expect(try lookup(index, "123456789012345") == [2, 0])
        #expect(try lookup(index, "12345678901234") == [0])
        #expect(try lookup(index, "123456789012346") == [0])
        #expect(try lookup(index, "999999999999999") == [4, 3])
        #expect(try lookup(index, "99999999999999") == [3])
        #expect(try lookup(index, "2") == [])
        #expect(try lookup(index, "0") == [])
    }

    @Test func keysAndStringsBuildTheSameIndex() throws {
        let prefixes = ["44", "4420", "1", "0034", "447"]
        let keys = try prefixes.map { try #require(DigitKey($0)) }
        let fromKeys = try PrefixIndex(keys: keys)
        let fromStrings = try PrefixIndex(prefixes: prefixes)
        for number in ["4420712345", "447911", "12025550100", "003491", "45"] {
            #expect(try lookup(fromKeys, number) == lookup(fromStrings, number))
        }
        #expect((0..<fromKeys.count).map { fromKeys.key(of: $0) } == keys)
    }

    @Test func duplicatesNameBothPositions() {
        #expect(throws: PrefixIndexError.duplicatePrefix(first: 0, second: 2, value: "12")) {
            try PrefixIndex(prefixes: ["12", "34", "12"])
        }
        // The pair reported is the first repeat met reading the input in order.
        #expect(throws: PrefixIndexError.duplicatePrefix(first: 1, second: 2, value: "7")) {
            try PrefixIndex(prefixes: ["5", "7", "7", "5"])
        }
        #expect(throws: PrefixIndexError.duplicatePrefix(first: 0, second: 1, value: "0")) {
            try PrefixIndex(prefixes: ["0", "0", "0"])
        }
    }

    @Test(arguments: ["", "12a", "1234567890123456", "+44", " 1", "1 ", "\u{0661}", "\u{FF11}"])
    func invalidPrefixIsRejected(bad: String) {
        #expect(throws: PrefixIndexError.invalidPrefix(position: 1, value: bad)) {
            try PrefixIndex(prefixes: ["1", bad, "2"])
        }
    }

    @Test func digitKeyRoundTripsAndRejects() throws {
        let key = try #require(DigitKey("0034"))
        #expect(key.digits == "0034")
        #expect(key.length == 4)
        #expect(key.padded == 3_400_000_000_000)
        #expect(DigitKey("0") != DigitKey("00"))
        #expect(DigitKey("999999999999999")?.padded == 999_999_999_999_999)
        #expect(DigitKey("000000000000000")?.digits == "000000000000000")
        #expect(DigitKey("4420"[...])?.digits == "4420")
        #expect(DigitKey(utf8: Array("12".utf8))?.digits == "12")
        for bad in ["", "12a", "1234567890123456", "-1", " 1", "1.0", "\u{0661}"] {
            #expect(DigitKey(bad) == nil, "\(bad)")
        }
        #expect(DigitKey(utf8: [UInt8]()) == nil)
        #expect(DigitKey(utf8: [0x31, 0x2F]) == nil)
        #expect(DigitKey(utf8: [0x31, 0x3A]) == nil)
        #expect(try #require(DigitKey("44207")).hasPrefix(#require(DigitKey("4420"))))
        #expect(try !#require(DigitKey("4420")).hasPrefix(#require(DigitKey("44207"))))
    }

    @Test(arguments: [61_000, 100_000])
    func sizeStaysWithinBudget(count: Int) throws {
        var rng = SplitMix64(state: UInt64(count))
        var seen = Set<String>()
        var prefixes: [String] = []
        while prefixes.count < count {
            var prefix = ""
            for _ in 0...rng.below(12) { prefix.append(Character(Unicode.Scalar(UInt8(48 + rng.below(10))))) }
            if seen.insert(prefix).inserted { prefixes.append(prefix) }
        }
        let index = try PrefixIndex(prefixes: prefixes)
        #expect(index.byteCount <= 64 * index.count)
    }

    @Test("a packed key is well formed exactly when its digits read back as the same key")
    func wellFormedMeansRoundTrip() {
        var random = SplitMix64(state: 0xD16)
        for _ in 0..<20_000 {
            var packed = random.next() >> random.below(64)
            // Half of them from real digits, some with one bit flipped.
            if random.chance(50), let key = DigitKey(String((0..<(1 + random.below(15))).map { _ in random.skewedDigit() })) {
                packed = key.packed ^ (random.chance(30) ? 1 << UInt64(random.below(64)) : 0)
            }
            let key = DigitKey(packed: packed)
            let roundTrips = key.length >= 1 && Int(key.length) <= DigitKey.maxLength && DigitKey(key.digits) == key
            #expect(key.isWellFormed == roundTrips, "\(packed)")
        }
    }
}
