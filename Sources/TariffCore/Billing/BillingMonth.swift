/// Monthly periods of a subscription: each starts on the day of the month the subscription
/// started, at the same time of day, or on the month's last day when it is shorter (a number
/// rented on 31 January renews on 28 or 29 February, then on 31 March).
public enum BillingMonth {
    /// The start of period `index` (0: the first) of a subscription anchored at `anchor`.
    public static func start(anchor: Instant, index: Int) -> Instant {
        let c = anchor.components
        let months = c.year * 12 + (c.month - 1) + index
        let year = months / 12
        let month = months % 12 + 1
        let day = min(c.day, CivilCalendar.daysIn(month: month, year: year))
        let days = CivilCalendar.daysSince1970(year: year, month: month, day: day)
        return Instant(secondsSince1970: days * 86_400 + Int64(c.hour * 3600 + c.minute * 60 + c.second))
    }

    /// The index of the period that holds `instant` (nil before the first one starts).
    public static func index(anchor: Instant, containing instant: Instant) -> Int? {
        guard instant >= anchor else { return nil }
        let a = anchor.components
        let b = instant.components
        var index = (b.year - a.year) * 12 + (b.month - a.month)
        // The month difference is right or one too many, never more.
        if index > 0, start(anchor: anchor, index: index) > instant { index -= 1 }
        return index
    }
}
