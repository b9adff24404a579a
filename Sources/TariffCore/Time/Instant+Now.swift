#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension Instant {
    /// The current time, to the second.
    public static func now() -> Instant { Instant(secondsSince1970: Int64(time(nil))) }
}
