/// Deterministic generator so a failing seed can be replayed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    /// Mostly 0, 1 and 9 so that random strings collide and nest often.
    mutating func skewedDigit() -> Character {
        let digit = chance(60) ? [0, 1, 9][below(3)] : below(10)
        return Character(Unicode.Scalar(UInt8(48 + digit)))
    }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in skewedDigit() })
    }
}
