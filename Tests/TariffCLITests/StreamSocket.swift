#if canImport(Glibc)
import Glibc
/// `socket` takes SOCK_STREAM as an Int32: Glibc declares it as an enum, Darwin as a constant.
let streamSocketType = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
import Darwin
let streamSocketType = SOCK_STREAM
#endif
