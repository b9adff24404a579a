#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An open file. A class so the descriptor is closed exactly once, when the last
/// reader copy goes away; immutable, so safe to share.
final class CSVFileInput: Sendable {
    let path: String
    let fd: Int32
    /// Size of a regular file; nil for pipes and devices.
    let size: Int?
    /// Pipes cannot `pread`; they are read sequentially instead.
    let seekable: Bool

    init(path: String) throws(CSVError) {
        let fd = path.withCString { open($0, O_RDONLY | O_CLOEXEC) }
        if fd < 0 { throw .cannotOpen(path: path, reason: Self.lastError()) }
        var info = stat()
        if fstat(fd, &info) != 0 {
            let reason = Self.lastError()
            close(fd)
            throw .cannotOpen(path: path, reason: reason)
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR {
            close(fd)
            throw .cannotOpen(path: path, reason: "is a directory")
        }
        self.path = path
        self.fd = fd
        self.seekable = kind == S_IFREG
        self.size = seekable ? Int(info.st_size) : nil
    }

    deinit { close(fd) }

    /// Appends up to `count` bytes read at `offset`; returns how many (0 at end).
    func readChunk(appendingTo buffer: inout [UInt8], at offset: Int, count: Int) throws(CSVError) -> Int {
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: count))
        var got = -1
        while true {
            got = buffer.withUnsafeMutableBufferPointer { whole -> Int in
                guard let base = whole.baseAddress else { return 0 }
                let target = UnsafeMutableRawPointer(base + old)
                return seekable
                    ? pread(fd, target, count, off_t(offset))
                    : read(fd, target, count)
            }
            if got >= 0 || errno != EINTR { break }
        }
        if got < 0 {
            let reason = Self.lastError()
            buffer.removeLast(count)
            throw .readFailed(path: path, reason: reason)
        }
        buffer.removeLast(count - got)
        return got
    }

    private static func lastError() -> String {
        let code = errno
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }
}
