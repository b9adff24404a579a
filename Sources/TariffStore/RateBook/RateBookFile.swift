import Foundation
import Logging
public import TariffCore

/// A compiled book kept in a file beside the database (``RateBookSnapshot``'s bytes), so that
/// a start-up or a CLI command reads it instead of compiling every stored version. The file is
/// a cache: whatever is wrong with it (missing, damaged, of another database, behind) costs a
/// rebuild from the store, never a wrong price.
public enum RateBookFile {
    /// What identifies a stored deck version beyond its number: a new database numbers its
    /// versions from 1 again.
    public static func stamp(of version: DeckVersion?) -> String {
        guard let version else { return "empty" }
        return "\(version.id)|\(version.createdAt.secondsSince1970)|\(version.kind)|\(version.rowCount)|\(version.additions)|\(version.source)"
    }

    /// A sound file that is not of this store's deck.
    public enum Mismatch: Error, CustomStringConvertible {
        case otherDeck(String)
        case otherDatabase

        public var description: String {
            switch self {
            case .otherDeck(let deck): "the book file is of deck \(deck)"
            case .otherDatabase: "the book file was made from another database"
            }
        }
    }

    /// The book in the file at `path`, after every check of ``RateBookSnapshot/decode(_:reference:)``
    /// and a check that it was made from `deck` as stored (`versions`: the deck's versions);
    /// throws ``Mismatch`` when it was not.
    public static func read(path: String, deck: String, versions: [DeckVersion], reference: ReferenceData) throws -> RateBook {
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        let (header, book) = try data.withUnsafeBytes { bytes in try RateBookSnapshot.decode(bytes, reference: reference) }
        guard header.deck == deck else { throw Mismatch.otherDeck(header.deck) }
        // A new database numbers its versions again: the stamp tells its version from ours.
        let version = versions.first { $0.id == header.version }
        guard header.version == 0 || version != nil, header.stamp == stamp(of: version) else { throw Mismatch.otherDatabase }
        return book
    }

    /// Writes `book` to `path` whole or not at all: into a file of its own, then renamed over
    /// the old one, so a reader (another process) sees one complete file or the other.
    public static func write(_ book: RateBook, stamp: String, path: String) throws {
        let temporary = "\(path).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: temporary])
        }
        do {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            defer { try? handle.close() }
            let descriptor = handle.fileDescriptor
            // Straight from the book's memory: a copy of a million rows would double the peak.
            let checksum = try RateBookSnapshot.write(book, stamp: stamp) { chunk in try writeAll(descriptor, chunk, at: nil) }
            try withUnsafeBytes(of: checksum.littleEndian) { try writeAll(descriptor, $0, at: RateBookSnapshot.checksumOffset) }
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Writes every byte, at the file's position or at `offset`, going on after short writes.
    private static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int?) throws {
        var done = 0
        while done < bytes.count {
            let pointer = bytes.baseAddress! + done
            let count = bytes.count - done
            let written = offset.map { pwrite(descriptor, pointer, count, off_t($0 + done)) } ?? Foundation.write(descriptor, pointer, count)
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            done += written
        }
    }
}
