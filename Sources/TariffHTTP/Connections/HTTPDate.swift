import Synchronization
import TariffCore

/// The `Date` field (RFC 9110 IMF-fixdate, `Tue, 01 Dec 2026 08:38:29 GMT`) for answers written
/// outside the router, formatted once a second like Hummingbird's own for the router's.
final class HTTPDate: Sendable {
    private let cached = Mutex<(second: Int64, text: String)>((.min, ""))
    private let clock: @Sendable () -> Instant

    init(clock: @escaping @Sendable () -> Instant = { .now() }) { self.clock = clock }

    var current: String {
        let now = clock()
        return cached.withLock { cached in
            if cached.second != now.secondsSince1970 { cached = (now.secondsSince1970, Self.format(now)) }
            return cached.text
        }
    }

    static func format(_ instant: Instant) -> String {
        let days = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]  // 1970-01-01 was a Thursday
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let c = instant.components
        let seconds = instant.secondsSince1970
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let weekday = Int(((day % 7) + 7) % 7)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) GMT"
    }
}
