/// The notice rule for price rises: a rise that takes effect less than `days` days after the
/// import is a problem of the row that asks for it, so the whole import is refused with the
/// rows named (`FILE:LINE`). With no rule (`days` nil) every rise passes.
public struct NoticeCheck: Sendable {
    let days: Int?
    let now: Instant
    private var problems: ProblemList

    public init(days: Int?, now: Instant, file: String) {
        self.days = days
        self.now = now
        problems = ProblemList(file: file)
    }

    /// Notes the rises among `increases` that come too soon; `rows` are the file's rows they index.
    public mutating func check<Entry>(_ increases: [PriceIncrease], rows: [DeckRow<Entry>]) {
        guard let days else { return }
        for increase in increases where increase.isShortNotice(days: days, now: now) {
            let line = rows.indices.contains(increase.row) ? rows[increase.row].line : 0
            let effective = increase.effectiveFrom
            let ahead = (effective.secondsSince1970 - now.secondsSince1970) / 86_400
            let when = effective <= now ? "at once" : ahead == 0 ? "in less than a day" : "in \(ahead) day\(ahead == 1 ? "" : "s")"
            problems.add(
                line: line,
                column: "effective_from",
                "raises \(increase.old.plainText) to \(increase.new.plainText) \(increase.currency) from \(effective.iso8601), \(when): "
                    + "a rise needs \(days) days' notice (--allow-short-notice imports it anyway)"
            )
        }
    }

    /// The refusal, when a rise came too soon.
    public var failure: ImportFailure? { problems.isEmpty ? nil : problems.failure() }
}
