import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file holding a secret (a private key), written beside its destination and moved there in
/// one step: it is mode 0600 from the moment it exists, and the destination never holds half a
/// file.
struct SecretFile {
    let stagedPath: String

    enum Failure: Error, CustomStringConvertible {
        case exists(String)
        case system(String, path: String, errno: Int32)

        var description: String {
            switch self {
            case .exists(let path): "\(path) already exists: give --force to overwrite it"
            case .system(let call, let path, let code): "\(call) \(path): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Writes `data` to a new file in the directory of `destination`, readable by the owner only.
    static func stage(_ data: Data, beside destination: String) throws -> SecretFile {
        let directory = (destination as NSString).deletingLastPathComponent
        let staged = (directory.isEmpty ? "." : directory) + "/.\(UUID().uuidString.lowercased()).tmp"
        // O_EXCL: never reuse (or follow a link at) a path someone else prepared.
        let descriptor = open(staged, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure.system("create", path: staged, errno: errno) }
        let file = SecretFile(stagedPath: staged)
        do {
            defer { close(descriptor) }
            // The umask can only take bits away, but say exactly what the file is.
            guard fchmod(descriptor, 0o600) == 0 else { throw Failure.system("chmod", path: staged, errno: errno) }
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw Failure.system("write", path: staged, errno: errno)
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw Failure.system("fsync", path: staged, errno: errno) }
        } catch {
            file.discard()
            throw error
        }
        return file
    }

    /// Moves the staged file to `destination`. Without `replacing`, an existing destination is
    /// left alone and `Failure.exists` thrown, even if it appeared after an earlier check.
    func place(at destination: String, replacing: Bool) throws {
        if replacing {
            guard rename(stagedPath, destination) == 0 else { throw Failure.system("rename", path: destination, errno: errno) }
            return
        }
        // link(2) fails when the destination exists, where rename(2) would replace it.
        guard link(stagedPath, destination) == 0 else {
            let code = errno
            throw code == EEXIST ? Failure.exists(destination) : Failure.system("link", path: destination, errno: code)
        }
        discard()
    }

    func discard() { unlink(stagedPath) }
}
