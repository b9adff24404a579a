/// Requests allowed per API key and route group (`pricing=1/s`), or none at all (`off`).
public struct RateLimits: Sendable, Hashable {
    public enum Group: String, Sendable, CaseIterable {
        /// Vonage's pricing routes, v1 and v2 (Vonage documents 1 request per second).
        case pricing
        /// The account balance.
        case balance
    }

    public struct Limit: Sendable, Hashable {
        public let requests: Int
        public let per: Duration
    }

    public var limits: [Group: Limit]

    public static let vonageDefault = RateLimits(limits: [.pricing: Limit(requests: 1, per: .seconds(1))])
    public static let off = RateLimits(limits: [:])

    public init(limits: [Group: Limit]) { self.limits = limits }

    /// Reads `off`, or `group=N/s` (also `/m`, `/h`) items separated by commas; later items
    /// (and later flags) override earlier ones for the same group.
    public init(parsing specs: [String]) throws(ConfigurationError) {
        var limits = RateLimits.vonageDefault.limits
        for spec in specs.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let text = Self.strippingSpaces(spec)
            if text == "off" {
                limits = [:]
                continue
            }
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let group = Group(rawValue: parts[0]) else {
                throw .invalid(
                    "--rate-limit '\(text)': expected off or GROUP=N/s with GROUP one of \(Group.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            if parts[1] == "off" {
                limits[group] = nil
                continue
            }
            let rate = parts[1].split(separator: "/").map(String.init)
            let units: [String: Duration] = ["s": .seconds(1), "m": .seconds(60), "h": .seconds(3600)]
            guard rate.count == 2, let count = Int(rate[0]), count > 0, let unit = units[rate[1]] else {
                throw .invalid("--rate-limit '\(text)': the rate is N/s, N/m or N/h (e.g. pricing=1/s)")
            }
            limits[group] = Limit(requests: count, per: unit)
        }
        self.limits = limits
    }

    /// Spaces only: a tab or newline inside a flag's value is an error, not padding.
    private static func strippingSpaces(_ text: String) -> String {
        var text = Substring(text)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
