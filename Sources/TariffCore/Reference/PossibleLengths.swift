/// How many digits a national significant number may have, per country and number type
/// (libphonenumber's `possible_length`, shipped in `possible-lengths.csv`). A number whose
/// length no entry allows is not a number: `+1 2345` is not a US number at any price.
public struct PossibleLengths: Sendable {
    /// Lengths as bits (bit n: n digits), by region then libphonenumber type (`general` for all).
    private let regions: [String: [String: UInt32]]
    /// Non-geographic calling codes (800, 882, ...), keyed by the code.
    private let nonGeographic: [String: UInt32]

    /// One line of `possible-lengths.csv`: a region (or calling code) and number type, and its lengths.
    public struct Row: Sendable {
        public let region: String
        public let callingCode: String
        public let type: String
        public let lengths: [Int]

        public init(region: String, callingCode: String, type: String, lengths: [Int]) {
            self.region = region
            self.callingCode = callingCode
            self.type = type
            self.lengths = lengths
        }
    }

    /// None: every length is possible (a database without the data checks nothing).
    public static let unknown = PossibleLengths(rows: [])

    public init(rows: [Row]) {
        var regions: [String: [String: UInt32]] = [:]
        var nonGeographic: [String: UInt32] = [:]
        for row in rows {
            let bits = row.lengths.reduce(UInt32(0)) { bits, length in (1...31).contains(length) ? bits | 1 << UInt32(length) : bits }
            if row.region == "001" {
                if row.type == "general" { nonGeographic[row.callingCode] = bits }
            } else {
                regions[row.region, default: [:]][row.type] = bits
            }
        }
        self.regions = regions
        self.nonGeographic = nonGeographic
    }

    public var isEmpty: Bool { regions.isEmpty && nonGeographic.isEmpty }

    /// Whether `nationalLength` digits after the calling code can be a number of `region`, of
    /// the reference type of its range (`mobile`, `fixed_line_or_mobile`, `a|b`), if known.
    /// A region or type without data allows every length.
    public func allows(_ nationalLength: Int, region: String, referenceType: String?) -> Bool {
        Self.allows(nationalLength, in: lengths(region: region, referenceType: referenceType))
    }

    /// Whether `nationalLength` is among `lengths` (bit n: n digits).
    static func allows(_ nationalLength: Int, in lengths: UInt32) -> Bool {
        (1...31).contains(nationalLength) && lengths & (1 << UInt32(nationalLength)) != 0
    }

    /// The lengths ``allows(_:region:referenceType:)`` accepts, as bits (bit n: n digits); every
    /// length from 1 to 31 where the data says nothing.
    func lengths(region: String, referenceType: String?) -> UInt32 {
        guard let types = regions[region], let general = types["general"] else { return UInt32.max }
        var allowed = general
        if let referenceType, let single = types[referenceType] {
            // One reading, the usual case: no splitting.
            allowed = single
        } else if let referenceType, !referenceType.isEmpty {
            // A range's type may be ambiguous or depend on the length: any of its readings counts.
            let readings = referenceType.split(separator: "|").flatMap { reading -> [String] in
                reading == "fixed_line_or_mobile" ? ["fixed_line", "mobile"] : [String(reading)]
            }
            let specific = readings.compactMap { types[$0] }
            if specific.count == readings.count { allowed = specific.reduce(0, |) }
        }
        return allowed
    }

    /// The same for a number of a non-geographic calling code; nil when `digits` starts with none.
    public func allowsNonGeographic(_ digits: String) -> Bool? {
        // Every non-geographic calling code has three digits.
        guard digits.count > 3, let bits = nonGeographic[String(digits.prefix(3))] else { return nil }
        let national = digits.count - 3
        return national <= 31 && bits & (1 << UInt32(national)) != 0
    }
}
