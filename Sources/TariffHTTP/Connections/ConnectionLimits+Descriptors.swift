#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ConnectionLimits {
    /// Descriptors kept back from clients: the database, its journal, the listening socket,
    /// log files, and room to accept and close a connection.
    static let reservedDescriptors = 64

    /// The configured maximum, or what the process's descriptor limit leaves once the reserve
    /// is kept, so that accepting never runs out of descriptors.
    public var effectiveMaxConnections: Int {
        if let maxConnections { return maxConnections }
        return Self.descriptorBound(softLimit: Self.descriptorLimit())
    }

    static func descriptorBound(softLimit: Int?) -> Int {
        guard let softLimit else { return 10_000 }
        return min(100_000, max(16, softLimit - reservedDescriptors))
    }

    static func descriptorLimit() -> Int? {
        var limit = rlimit()
        #if os(Linux)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        #endif
        guard getrlimit(resource, &limit) == 0 else { return nil }
        // RLIM_INFINITY is the largest value: clamping keeps it "no limit" for the bound above.
        return Int(clamping: limit.rlim_cur)
    }
}
