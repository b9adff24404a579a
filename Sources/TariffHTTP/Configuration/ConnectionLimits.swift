/// What keeps idle, slow or too many clients from taking the server's connections.
public struct ConnectionLimits: Sendable, Equatable {
    /// A connection with no request under way is closed after this long without a new request head.
    public var idleTimeout: Duration
    /// Once the first byte of a request arrives, its whole head must arrive within this.
    public var headTimeout: Duration
    /// Open connections at most; further clients wait in the listen backlog. Nil: derived from
    /// the process's file-descriptor limit at start.
    public var maxConnections: Int?

    public init(idleTimeout: Duration = .seconds(60), headTimeout: Duration = .seconds(10), maxConnections: Int? = nil) {
        self.idleTimeout = idleTimeout
        self.headTimeout = headTimeout
        self.maxConnections = maxConnections
    }
}
