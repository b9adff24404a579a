import Foundation
import TariffCore
import TariffStore

/// Prints Tariff's speed and memory figures beside their baselines, measured in one run.
///
///     swift run -c release tariff-bench               # everything (a few minutes)
///     swift run -c release tariff-bench --quick       # smaller sets, for a smoke test
///     swift run -c release tariff-bench --scale-only  # only `tariff serve`, price and export on a large deck
@main
struct Bench {
    static func main() async throws {
        let quick = CommandLine.arguments.contains("--quick")
        let skipImport = CommandLine.arguments.contains("--no-import")
        let scaleOnly = CommandLine.arguments.contains("--scale-only")
        print("tariff-bench\(quick ? " (quick)" : ""): \(ProcessInfo.processInfo.activeProcessorCount) cores; one core used per measurement")
        #if DEBUG
        print("warning: a debug build; figures are only meaningful with -c release")
        #endif
        var rng = SplitMix64(seed: 20_261_122)

        if !scaleOnly {
            let reference = try ShippedReferenceData.tables().ranges.map(\.prefix)
            try await LookupBench.run(
                title: "61k reference ranges (ranges.csv)",
                prefixes: reference,
                lookups: quick ? 200_000 : 2_000_000,
                sqliteLookups: quick ? 2_000 : 20_000,
                rng: &rng
            )
            let synthetic = SyntheticPrefixes.make(count: quick ? 100_000 : 1_000_000, rng: &rng)
            try await LookupBench.run(
                title: "\(synthetic.count / 1000)k synthetic prefixes",
                prefixes: synthetic,
                lookups: quick ? 200_000 : 2_000_000,
                sqliteLookups: quick ? 2_000 : 20_000,
                rng: &rng
            )
            if !skipImport {
                try ImportBench.run(rows: quick ? 100_000 : 1_000_000, rng: &rng)
            }
        }
        // Its own seed: the same deck whether or not the sections before it ran.
        var scaleRNG = SplitMix64(seed: 20_261_123)
        try ScaleBench.run(rows: quick ? 100_000 : 1_000_000, rng: &scaleRNG)
    }
}

/// A small, fast, seeded generator: the same figures' inputs on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum SyntheticPrefixes {
    /// Distinct prefixes of 4 to 10 digits shaped like A–Z decks: a calling code, then digits.
    static func make(count: Int, rng: inout SplitMix64) -> [String] {
        let codes = [
            "1", "7", "20", "27", "30", "31", "33", "34", "39", "44", "48", "49", "52", "55", "57", "61", "62", "81",
            "86", "90", "91", "234", "254", "351", "353", "380", "420", "852", "880", "966", "971",
        ]
        var seen = Set<String>()
        seen.reserveCapacity(count)
        var result: [String] = []
        result.reserveCapacity(count)
        while result.count < count {
            var prefix = codes[Int.random(in: 0..<codes.count, using: &rng)]
            let length = Int.random(in: 4...10, using: &rng)
            while prefix.count < length { prefix.append(Character(String(Int.random(in: 0...9, using: &rng)))) }
            if seen.insert(prefix).inserted { result.append(prefix) }
        }
        return result
    }

    /// Numbers of 11 to 13 digits that start with a random prefix of the set (or with nothing in it).
    static func numbers(from prefixes: [String], count: Int, rng: inout SplitMix64) -> [String] {
        (0..<count).map { _ in
            var number = prefixes[Int.random(in: 0..<prefixes.count, using: &rng)]
            if number.first == "0" || Int.random(in: 0..<10, using: &rng) == 0 { number = String(Int.random(in: 1...9, using: &rng)) }
            let length = Int.random(in: 11...13, using: &rng)
            while number.count < length { number.append(Character(String(Int.random(in: 0...9, using: &rng)))) }
            return String(number.prefix(15))
        }
    }
}

/// Formats nanoseconds per operation.
func nsPerOp(_ duration: Duration, _ count: Int) -> Double {
    let (seconds, attoseconds) = duration.components
    return (Double(seconds) * 1e9 + Double(attoseconds) / 1e9) / Double(count)
}

func format(_ value: Double, _ decimals: Int = 1) -> String { String(format: "%.\(decimals)f", value) }
