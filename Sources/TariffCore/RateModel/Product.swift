/// What is priced: a message or a call, in one direction.
public enum Product: String, Sendable, CaseIterable, Codable, Comparable {
    case smsOutbound = "sms-outbound"
    case voiceOutbound = "voice-outbound"
    case voiceInbound = "voice-inbound"
    case smsInbound = "sms-inbound"

    public var isVoice: Bool { self == .voiceOutbound || self == .voiceInbound }
    /// Inbound rows price calls to a number category, and their prefix/network describe the caller.
    public var isInbound: Bool { self == .voiceInbound || self == .smsInbound }

    /// Voice is billed in blocks of seconds; a deck that says nothing means per minute.
    public var defaultIncrement: BillingIncrement? { isVoice ? .perMinute : nil }

    public static func < (lhs: Product, rhs: Product) -> Bool {
        lhs.ordinal < rhs.ordinal
    }
}

/// Which calls a row is for, by where the call comes from relative to the number called.
public enum OriginScope: String, Sendable, CaseIterable, Codable, Comparable {
    case any
    case domestic
    case eea
    case international

    public static func < (lhs: OriginScope, rhs: OriginScope) -> Bool {
        lhs.ordinal < rhs.ordinal
    }
}

/// Billing blocks of a call: the first `initial` seconds are charged as a block, then blocks of
/// `subsequent` seconds (60/60 per minute, 1/1 per second, 30/6, 60/1).
public struct BillingIncrement: Hashable, Sendable, CustomStringConvertible {
    public let initial: Int
    public let subsequent: Int

    public init?(initial: Int, subsequent: Int) {
        guard (1...3600).contains(initial), (1...3600).contains(subsequent) else { return nil }
        self.initial = initial
        self.subsequent = subsequent
    }

    /// `60/60`, `60-60`, `1/1`, or one number for both (`60`).
    public init?(parsing text: some StringProtocol) {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "/" || $0 == "-" }).map { $0.trimmingSpaces }
        guard (1...2).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
            let first = Int(parts[0]), let second = Int(parts.last!)
        else { return nil }
        self.init(initial: first, subsequent: second)
    }

    public static let perMinute = BillingIncrement(initial: 60, subsequent: 60)!
    public static let perSecond = BillingIncrement(initial: 1, subsequent: 1)!

    /// The seconds charged for a call that lasted `seconds`: nothing for an unanswered call,
    /// the whole first block for a short one, then whole blocks.
    /// Beyond `Int.max` (no call lasts that long) it answers `Int.max` rather than trap.
    public func billedSeconds(for seconds: Int) -> Int {
        guard seconds > 0 else { return 0 }
        guard seconds > initial else { return initial }
        // Rounded up without adding first, so that no intermediate value can overflow.
        let blocks = (seconds - initial - 1) / subsequent + 1
        let (rest, overflow) = blocks.multipliedReportingOverflow(by: subsequent)
        let (total, overflowAgain) = rest.addingReportingOverflow(initial)
        return overflow || overflowAgain ? Int.max : total
    }

    public var description: String { "\(initial)/\(subsequent)" }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension StringProtocol {
    /// The text without surrounding spaces and tabs.
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}

extension Product {
    /// Position among `allCases` (tested), without a search.
    var ordinal: Int {
        switch self {
        case .smsOutbound: 0
        case .voiceOutbound: 1
        case .voiceInbound: 2
        case .smsInbound: 3
        }
    }
}

extension OriginScope {
    /// Position among `allCases` (tested), without a search.
    var ordinal: Int {
        switch self {
        case .any: 0
        case .domestic: 1
        case .eea: 2
        case .international: 3
        }
    }
}
