import TariffCore

/// Included units of packages that a batch of charges may draw on, read once for the batch and
/// drawn in memory, in posting order, then written back with the charges in their transaction.
///
/// Engine-neutral: each engine reads the rows (`query`, `row`) and writes `draws` back in its
/// own way, so that both draw the same units for the same charges.
struct AllowancePool {
    struct Taken {
        let id: Int64
        let units: Int
    }

    struct Row {
        let id: Int64
        let account: Int64
        let product: String
        let variant: String
        let start: Int64
        let end: Int64
        var left: Int
    }

    private var rows: [Row]
    private var drawn: [Int64: Int] = [:]

    init(rows: [Row]) { self.rows = rows }

    /// The allowances with units left, in periods that end after the bound instant, of the
    /// accounts listed after `IN`. `remaining`, not `left`: `LEFT` is a keyword on both engines.
    static let query = """
        SELECT id, account_id, product, variant, period_start, period_end, included - used AS remaining FROM allowances
        WHERE used < included AND period_end > ? AND account_id IN
        """

    /// What a batch needs read: the accounts that `postings` draw for, sorted, and the earliest
    /// instant they draw at (no period that ended before it can cover any of them); nil for a
    /// batch without metered charges, which reads nothing.
    static func scope(of postings: [LedgerPosting]) -> (accounts: [Int64], earliest: Instant)? {
        let drawing = postings.filter { $0.draw != nil }
        guard let earliest = drawing.map(\.performedAt).min() else { return nil }
        return (Set(drawing.map(\.accountID)).sorted(), earliest)
    }

    static func row(_ row: some StoredRow) throws -> Row {
        Row(
            id: try row.int("id"),
            account: try row.int("account_id"),
            product: try row.text("product"),
            variant: try row.text("variant"),
            start: try row.int("period_start"),
            end: try row.int("period_end"),
            left: Int(try row.int("remaining"))
        )
    }

    /// `posting` with the included units of its account at its instant taken off: a variant's
    /// own units first, then those for any variant, the soonest to end first. What it would
    /// take is returned, not taken: `take` does that once the charge is accepted.
    func cover(_ posting: LedgerPosting, draw: AllowanceDraw) -> (LedgerPosting, [Taken]) {
        guard draw.units > 0 else { return (posting, []) }
        let at = Int64(posting.performedAt.secondsSince1970)
        let candidates = rows.filter { row in
            row.account == posting.accountID && row.product == draw.product && row.left > 0 && row.start <= at && at < row.end
                && (row.variant.isEmpty || row.variant == draw.variant)
        }
        .sorted { ($0.variant.isEmpty ? 1 : 0, $0.end, $0.id) < ($1.variant.isEmpty ? 1 : 0, $1.end, $1.id) }
        var needed = draw.units
        var taken: [Taken] = []
        for row in candidates where needed > 0 {
            let units = min(row.left, needed)
            taken.append(Taken(id: row.id, units: units))
            needed -= units
        }
        let covered = draw.units - needed
        guard covered > 0, let repriced = draw.repriced(covered) else { return (posting, []) }
        var covering = posting
        covering.amount = Amount(units: -repriced.amount.units)
        covering.explanation = repriced.explanation
        covering.description = repriced.description
        covering.draw = nil
        return (covering, taken)
    }

    mutating func take(_ taken: [Taken]) {
        for item in taken {
            guard let index = rows.firstIndex(where: { $0.id == item.id }) else { continue }
            rows[index].left -= item.units
            drawn[item.id, default: 0] += item.units
        }
    }

    /// What the batch drew from each allowance, by allowance id: what `save` adds to `used`.
    var draws: [(id: Int64, units: Int)] { drawn.sorted { $0.key < $1.key }.map { (id: $0.key, units: $0.value) } }
}
