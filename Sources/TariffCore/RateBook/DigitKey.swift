/// A phone number or prefix as digits, packed for the index: up to 15 decimal digits.
///
/// Packing into one integer lets the index compare numbers with prefixes without touching
/// strings: a prefix matches a number exactly when the number is at least as long and its
/// padded value falls in the prefix's interval `[padded, padded + 10^(15 - length))`.
public struct DigitKey: Hashable, Sendable, CustomStringConvertible {
    /// The most digits a key holds (E.164 numbers have at most 15).
    public static let maxLength = 15

    /// Number of digits, 1...15.
    public let length: UInt8
    /// The digits read as a decimal number, right-padded with zeros to 15 digits.
    /// Below 10^15 < 2^50, which leaves room to pack the length beside it.
    public let padded: UInt64

    /// `10^k` for k in 0...15.
    static let powersOfTen: [UInt64] = {
        var powers: [UInt64] = [1]
        for _ in 0..<maxLength { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// Reads 1...15 ASCII digits; `nil` for anything else (empty, too long, signs, spaces).
    public init?(_ digits: some StringProtocol) {
        self.init(utf8: digits.utf8)
    }

    /// Reads 1...15 ASCII digit bytes; `nil` for anything else.
    public init?(utf8 bytes: some Collection<UInt8>) {
        var length = 0
        var value: UInt64 = 0
        for byte in bytes {
            // Wrapping subtraction sends bytes below "0" far above 9, so one compare rejects both sides.
            let digit = byte &- 0x30
            guard length < Self.maxLength, digit < 10 else { return nil }
            value = value &* 10 &+ UInt64(digit)
            length += 1
        }
        guard length > 0 else { return nil }
        self.length = UInt8(length)
        self.padded = value * Self.powersOfTen[Self.maxLength - length]
    }

    /// For values already known to be valid (unpacking the index's own arrays).
    init(packed: UInt64) {
        self.length = UInt8(truncatingIfNeeded: packed & 0xF)
        self.padded = packed >> 4
    }

    /// Whether these are the digits of some text (what ``init(utf8:)`` makes): a key unpacked
    /// from a file may hold any bits. Checked without writing the digits out.
    var isWellFormed: Bool {
        length >= 1 && Int(length) <= Self.maxLength && padded < Self.powersOfTen[Self.maxLength] && padded % span == 0
    }

    /// Length in the low 4 bits, padded value above: ordering by this orders by interval start,
    /// then shorter (enclosing) prefixes first.
    public var packed: UInt64 { padded << 4 | UInt64(length) }

    /// Width of the interval of 15-digit numbers that start with these digits.
    var span: UInt64 { Self.powersOfTen[Self.maxLength - Int(length)] }

    /// The digit string, leading zeros kept ("0034" stays "0034").
    public var digits: String {
        let count = Int(length)
        var value = padded / span
        return String(unsafeUninitializedCapacity: count) { buffer in
            for position in stride(from: count - 1, through: 0, by: -1) {
                buffer[position] = 0x30 + UInt8(truncatingIfNeeded: value % 10)
                value /= 10
            }
            return count
        }
    }

    public var description: String { digits }

    /// True when `prefix`'s digits begin these digits (a key is a prefix of itself).
    public func hasPrefix(_ prefix: DigitKey) -> Bool {
        prefix.length <= length && padded >= prefix.padded && padded - prefix.padded < prefix.span
    }
}
