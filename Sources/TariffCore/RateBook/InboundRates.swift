/// Inbound rows, which price calls to a category of number and may vary with the caller.
struct InboundRates: Sendable {
    struct Candidate: Sendable {
        let callerPrefix: String?
        let callerNetwork: String?
        let timeline: Timeline<Rate>
    }

    /// Keyed by `COUNTRY|category`, and `COUNTRY|` for rows that fit every category.
    private let groups: [String: [Candidate]]

    init(rates: [Rate]) {
        let byKey = Dictionary(grouping: rates, by: \.key)
        var groups: [String: [Candidate]] = [:]
        // In key order, so that of two rows scoring alike (`any` and `international` when the
        // caller is unknown) the same one wins in every book, however it was built.
        for key in byKey.keys.sorted() {
            let versions = byKey[key]!
            guard let country = key.country else { continue }
            groups[country + "|" + (key.numberType ?? ""), default: []].append(
                Candidate(callerPrefix: key.prefix, callerNetwork: key.network, timeline: Timeline(versions))
            )
        }
        self.groups = groups
    }

    /// The most specific row for the caller: the longest caller prefix, then the caller's
    /// network, then a row for any caller; origin-specific before `any`, category before country.
    func match(
        country: Country,
        category: NumberCategory?,
        caller: (key: DigitKey, info: NumberInfo)?,
        callerCountry: Country?,
        at instant: Instant
    ) -> (Rate, RateMatch)? {
        var best: (score: Int, rate: Rate, match: RateMatch)?
        let keys = [category.map { country.iso2 + "|" + $0.rawValue }, country.iso2 + "|"].compactMap { $0 }
        for (rank, groupKey) in keys.enumerated() {
            for candidate in groups[groupKey] ?? [] {
                guard let rate = candidate.timeline.at(instant) else { continue }
                guard let originScore = Self.originScore(rate.key.origin, country: country, callerCountry: callerCountry) else { continue }
                var score: Int
                var match: RateMatch
                if let prefix = candidate.callerPrefix {
                    guard let caller, caller.key.digits.hasPrefix(prefix) else { continue }
                    score = 1000 + prefix.count * 10
                    match = .caller("caller prefix \(prefix)")
                } else if let network = candidate.callerNetwork {
                    guard caller?.info.network?.mccmnc == network else { continue }
                    score = 500
                    match = .caller("caller network \(network)")
                } else {
                    score = 0
                    match = .caller("any caller")
                }
                score += originScore * 2 + (rank == 0 ? 1 : 0)
                if best == nil || score > best!.score { best = (score, rate, match) }
            }
        }
        return best.map { ($0.rate, $0.match) }
    }

    /// Whether a row's origin fits the caller, and how specific it is (nil: it does not fit).
    static func originScore(_ origin: OriginScope, country: Country, callerCountry: Country?) -> Int? {
        switch origin {
        case .any: return 0
        case .international:
            guard let callerCountry else { return 0 }
            return callerCountry.iso2 == country.iso2 ? nil : 1
        case .eea:
            guard let callerCountry, callerCountry.isEEA else { return nil }
            return 2
        case .domestic:
            guard let callerCountry, callerCountry.iso2 == country.iso2 else { return nil }
            return 3
        }
    }
}
