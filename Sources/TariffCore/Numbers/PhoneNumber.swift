/// A phone number in E.164 form: country calling code and national number, digits only, at most 15.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// The digits without `+`, e.g. `34612345678`.
    public let digits: String
    /// The digits packed for prefix lookups.
    public let key: DigitKey

    /// Reads the ways people and systems write international numbers:
    /// `+34 612 34 56 78`, `0034612345678`, `34612345678`, `(+34) 612-345-678`.
    /// Spaces, dashes, dots, slashes and parentheses are separators; letters are rejected
    /// (vanity numbers are not expanded), as are national forms with a trunk `0`.
    public init(parsing text: some StringProtocol) throws(PhoneNumberError) {
        if let parsed = Self.parsedASCII(text.utf8) {
            self = parsed
        } else {
            self = try Self.parsedGenerally(String(text))
        }
    }

    /// Every text ``init(parsing:)`` reads, with the reason for one it refuses.
    static func parsedGenerally(_ original: String) throws(PhoneNumberError) -> PhoneNumber {
        var digits: [UInt8] = []
        var sawPlus = false
        for (offset, scalar) in original.unicodeScalars.enumerated() {
            switch scalar {
            case "0"..."9":
                digits.append(UInt8(scalar.value))
            case "+":
                // A plus is only meaningful before the first digit: "(+34) 612".
                guard digits.isEmpty, !sawPlus else { throw .misplacedPlus(original) }
                sawPlus = true
            case " ", "-", ".", "(", ")", "/", "\t", "\u{00A0}":
                continue
            default:
                throw .invalidCharacter(original, character: Character(scalar), position: offset + 1)
            }
        }
        guard !digits.isEmpty else { throw .empty }
        if !sawPlus, digits.count > 2, digits[0] == UInt8(ascii: "0"), digits[1] == UInt8(ascii: "0") {
            digits.removeFirst(2)  // 00 is the international access prefix in most of the world
        }
        guard digits[0] != UInt8(ascii: "0") else { throw .nationalFormat(original) }
        guard digits.count <= 15 else { throw .tooLong(original, digits: digits.count) }
        guard digits.count >= 3 else { throw .tooShort(original) }
        guard let key = DigitKey(utf8: digits) else { throw .empty }
        return PhoneNumber(digits: String(decoding: digits, as: UTF8.self), key: key)
    }

    private init(digits: String, key: DigitKey) {
        self.digits = digits
        self.key = key
    }

    /// The number of a plain ASCII text that reads cleanly, without allocating: a bulk request
    /// parses millions. Nil for anything else (an error, a non-ASCII separator, a `00`
    /// prefix), which the general reading then answers, with its message.
    static func parsedASCII(_ text: some Collection<UInt8>) -> PhoneNumber? {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: DigitKey.maxLength) { buffer -> PhoneNumber? in
            var count = 0
            var sawPlus = false
            for byte in text {
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard count < DigitKey.maxLength else { return nil }
                    buffer[count] = byte
                    count += 1
                case UInt8(ascii: "+"):
                    guard count == 0, !sawPlus else { return nil }
                    sawPlus = true
                case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "/"),
                    UInt8(ascii: "\t"):
                    continue
                default:
                    return nil
                }
            }
            guard count >= 3, buffer[0] != UInt8(ascii: "0") else { return nil }
            let digits = UnsafeBufferPointer(rebasing: buffer[..<count])
            guard let key = DigitKey(utf8: digits) else { return nil }
            return PhoneNumber(digits: String(decoding: digits, as: UTF8.self), key: key)
        }
    }

    /// `+34612345678`.
    public var e164: String { "+" + digits }
    public var description: String { e164 }
}

/// Why a text is not a phone number; each message says what to fix.
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case invalidCharacter(String, character: Character, position: Int)
    case misplacedPlus(String)
    case nationalFormat(String)
    case tooLong(String, digits: Int)
    case tooShort(String)

    public var description: String {
        switch self {
        case .empty:
            "empty phone number: give it in international form, e.g. +34612345678"
        case .invalidCharacter(let text, let character, let position):
            "'\(text)' is not a phone number: '\(character)' at position \(position) (only digits, +, spaces, dashes, dots, slashes and parentheses)"
        case .misplacedPlus(let text):
            "'\(text)' is not a phone number: '+' may only stand before the country code"
        case .nationalFormat(let text):
            "'\(text)' looks national (starts with 0): give the country code, e.g. +34612345678"
        case .tooLong(let text, let digits):
            "'\(text)' has \(digits) digits: an E.164 number has at most 15"
        case .tooShort(let text):
            "'\(text)' is too short to be an international phone number"
        }
    }
}
