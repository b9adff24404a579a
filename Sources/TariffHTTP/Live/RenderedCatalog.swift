import NIOCore
import Synchronization

/// A dialect's catalog (one account currency's and plan's prices) and the response bodies
/// already rendered from it: a carrier's country runs to a million rows, whose body is written
/// once per catalog, not once per request.
final class RenderedCatalog<Catalog: Sendable>: Sendable {
    let catalog: Catalog
    private let bodies = Mutex<[String: ByteBuffer]>([:])

    init(_ catalog: Catalog) { self.catalog = catalog }

    /// The body cached under `key`, if it was rendered.
    func cachedBody(_ key: String) -> ByteBuffer? { bodies.withLock { $0[key] } }

    /// The body cached under `key`, rendered by `render` the first time.
    func body(_ key: String, render: () throws -> ByteBuffer) rethrows -> ByteBuffer {
        if let body = bodies.withLock({ $0[key] }) { return body }
        let body = try render()
        bodies.withLock { $0[key] = body }
        return body
    }
}
