import Synchronization

/// The rate book requests read: published whole, swapped in one step.
///
/// Readers copy a reference under the lock (a few nanoseconds, never while a book is being
/// compiled), so a request sees one deck version from start to end, and a new version is
/// compiled elsewhere and only then published.
public final class RateBookCell: Sendable {
    private let current: Mutex<RateBook>

    public init(_ book: RateBook) { current = Mutex(book) }

    /// The book in force now.
    public var book: RateBook { current.withLock { $0 } }

    /// Publishes `book` if it is newer than the one held; returns whether it was.
    @discardableResult
    public func publish(_ book: RateBook) -> Bool {
        current.withLock { held in
            guard book.version > held.version || book.deck != held.deck else { return false }
            held = book
            return true
        }
    }
}
