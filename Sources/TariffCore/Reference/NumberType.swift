/// The kind of number a price applies to, in the vocabulary of rate decks and Vonage (`type`).
public enum NumberType: String, Sendable, CaseIterable, Codable {
    case mobile
    case landline
    case landlineTollfree = "landline_tollfree"
    case landlinePremium = "landline_premium"
    case virtual
    case pager

    /// Maps libphonenumber's type. Ambiguous types (`a|b`) take their first reading, and
    /// `fixed_line_or_mobile` (all of NANP) is mobile where a mobile network holds the range.
    public init(referenceType: String, hasNetwork: Bool) {
        // Asked for every number priced: most types are one reading, compared without splitting.
        let first = Self.firstReading(referenceType)
        switch first {
        case "mobile", "voicemail": self = .mobile
        case "fixed_line_or_mobile": self = hasNetwork ? .mobile : .landline
        case "toll_free": self = .landlineTollfree
        case "premium_rate": self = .landlinePremium
        case "voip", "personal_number": self = .virtual
        case "pager": self = .pager
        default: self = .landline  // fixed_line, shared_cost, uan and anything new
        }
    }

    static func firstReading(_ referenceType: String) -> Substring {
        guard let bar = referenceType.utf8.firstIndex(of: UInt8(ascii: "|")) else { return referenceType[...] }
        return referenceType[..<bar]
    }

    /// The suffix of a Vonage-style pseudo-network code (`ES-FIXED`).
    public var pseudoNetworkSuffix: String {
        switch self {
        case .mobile: "MOBILE"
        case .landline: "FIXED"
        case .landlineTollfree: "TOLL-FREE"
        case .landlinePremium: "PREMIUM"
        case .virtual: "VIRTUAL"
        case .pager: "PAGER"
        }
    }

    /// Reads the suffix of a pseudo-network code (`ES-FIXED` → landline), when it says.
    public init?(pseudoNetworkCode code: String) {
        guard let dash = code.firstIndex(of: "-") else { return nil }
        let suffix = code[code.index(after: dash)...].uppercased()
        switch suffix {
        case "FIXED", "LANDLINE": self = .landline
        case "MOBILE": self = .mobile
        case "TOLL-FREE", "TOLLFREE", "TOLL_FREE": self = .landlineTollfree
        case "PREMIUM": self = .landlinePremium
        case "PAGER": self = .pager
        default:
            if suffix.hasPrefix("VIRTUAL") { self = .virtual } else { return nil }
        }
    }
}

/// The category of a number that receives calls, for inbound rates (`voice-inbound`, `sms-inbound`).
public enum NumberCategory: String, Sendable, CaseIterable, Codable {
    case local
    case mobile
    case tollFree = "toll_free"
    case national

    public init(referenceType: String, hasNetwork: Bool) {
        let type = NumberType(referenceType: referenceType, hasNetwork: hasNetwork)
        let first = NumberType.firstReading(referenceType)
        // Shared-cost and UAN numbers are landlines to an outbound deck, national ones to receive calls on.
        self = type == .landline && (first == "uan" || first == "shared_cost") ? .national : NumberCategory(type)
    }

    /// The category a deck's outbound number type falls in.
    public init(_ type: NumberType) {
        switch type {
        case .mobile, .pager: self = .mobile
        case .landlineTollfree: self = .tollFree
        case .virtual, .landlinePremium: self = .national
        case .landline: self = .local
        }
    }
}
