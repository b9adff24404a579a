public import TariffCore

/// A plan version as an operator gives it (the rules file and the options, as text, from the
/// command line or a request), checked whole before anything is stored.
public struct PlanUpload: Sendable {
    public var name: String
    /// The rules file's text, and the name its problems are reported under.
    public var rules: String
    public var file: String
    public var effectiveFrom: String?
    public var minimumPrice: String?
    public var minimumMargin: String?
    /// `4` (decimals, rounded up) or `4/half-even`.
    public var rounding: String?
    /// A deck of the account's own prices (imported with `--deck NAME`).
    public var overrideDeck: String?

    public init(
        name: String,
        rules: String,
        file: String,
        effectiveFrom: String? = nil,
        minimumPrice: String? = nil,
        minimumMargin: String? = nil,
        rounding: String? = nil,
        overrideDeck: String? = nil
    ) {
        self.name = name
        self.rules = rules
        self.file = file
        self.effectiveFrom = effectiveFrom
        self.minimumPrice = minimumPrice
        self.minimumMargin = minimumMargin
        self.rounding = rounding
        self.overrideDeck = overrideDeck
    }

    /// What is wrong with an option (not the file): the option's name and why.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let option: String
        public let reason: String
        public var description: String { "\(option): \(reason)" }
    }

    /// A floor above 1,000 (in the deck's currency) is a slip of the keyboard, as a markup is.
    static let floorRange = Amount.zero...Amount(units: 1_000 * 100_000_000)

    /// The version to store. It may not take effect before `now`: charges already made were
    /// priced without it, and an explanation must still match what was charged.
    public func version(reference: ReferenceData, now: Instant) throws -> NewPlanVersion {
        guard NewPlanVersion.isName(name) else {
            throw Invalid(option: "name", reason: "1 to 64 letters, digits, '-', '_' or '.'")
        }
        var effective = now
        if let text = effectiveFrom {
            do { effective = try Instant(parsing: text) } catch { throw Invalid(option: "effective_from", reason: "\(error)") }
            guard effective >= now else {
                throw Invalid(option: "effective_from", reason: "\(effective.iso8601) is in the past: a plan applies from now on")
            }
        }
        func floor(_ text: String?, _ option: String) throws -> Amount {
            guard let text else { return .zero }
            guard let value = try? Amount(parsing: text), Self.floorRange.contains(value) else {
                throw Invalid(option: option, reason: "'\(text)': a decimal from 0 to 1000")
            }
            return value
        }
        let minimumPrice = try floor(self.minimumPrice, "minimum_price")
        let minimumMargin = try floor(self.minimumMargin, "minimum_margin")
        let rounding = try self.rounding.map(Self.rounding)
        if let overrideDeck, !NewPlanVersion.isName(overrideDeck) || overrideDeck == "base" {
            throw Invalid(option: "override_deck", reason: "'\(overrideDeck)': another deck's name than base (letters, digits, '-', '_' or '.')")
        }
        var reader = CSVReader(string: rules)
        _ = try PlanFile.rules(&reader, file: file, reference: reference)
        return NewPlanVersion(
            plan: name,
            effectiveFrom: effective,
            rules: rules,
            minimumPrice: minimumPrice,
            minimumMargin: minimumMargin,
            rounding: rounding,
            overrideDeck: overrideDeck
        )
    }

    /// Why `version`'s override deck cannot be used (it has no version yet), or nil.
    public static func missingDeck(_ version: NewPlanVersion, store: any TariffStore) async throws -> Invalid? {
        guard let deck = version.overrideDeck, try await store.decks.latestVersion(deck: deck) == nil else { return nil }
        return Invalid(option: "override_deck", reason: "no deck '\(deck)': import its prices first (tariff import --deck \(deck))")
    }

    static func rounding(_ text: String) throws(Invalid) -> Rounding {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let decimals = Int(parts[0]), (0...Amount.scale).contains(decimals) else {
            throw Invalid(option: "rounding", reason: "'\(text)': decimals 0 to \(Amount.scale), then optionally /MODE (4, 4/half-even)")
        }
        let mode = parts.count == 2 ? RoundingMode(rawValue: String(parts[1])) : .up
        guard let mode else {
            throw Invalid(option: "rounding", reason: "mode '\(parts[1])': \(RoundingMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return Rounding(decimals: decimals, mode: mode)
    }
}
