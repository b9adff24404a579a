import Foundation

/// A PostgreSQL server and database, from a `postgres://user:password@host:port/database` URL.
/// The password is kept out of every description: logs and errors show `***`.
public struct PostgresAddress: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected, as libpq's `sslmode` names it.
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
    }

    public let user: String
    public let password: String?
    public let host: String
    public let port: Int
    public let database: String
    public let tls: TLSMode

    public static let defaultPort = 5432

    /// Parses `text`; every refusal is one line saying what to fix, without the password.
    public init(parsing text: String) throws(LocationError) {
        let shape = "postgres://USER:PASSWORD@HOST:PORT/DATABASE"
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else {
            throw LocationError("the database URL \(Self.redacted(text)) is not a PostgreSQL URL: write it as \(shape)")
        }
        let shown = Self.redacted(text)
        guard let host = components.host, !host.isEmpty else {
            throw LocationError("the database URL \(shown) names no host: write it as \(shape)")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else {
            throw LocationError("the database URL \(shown) names no user: write it as \(shape)")
        }
        // URLComponents takes ports up to Int's range; PostgreSQL listens on a TCP port.
        let port = components.port ?? Self.defaultPort
        guard (1...65_535).contains(port) else {
            throw LocationError("the database URL \(shown) has port \(port): a port is 1 to 65535")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let database = path.removingPercentEncoding ?? path
        guard !database.contains("/") else {
            throw LocationError("the database URL \(shown) has a path of several parts: give one database name after the host")
        }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw LocationError(
                    "the database URL \(shown) has the parameter '\(item.name)': only sslmode (disable, prefer, require) is understood"
                )
            }
            guard let mode = item.value.flatMap(TLSMode.init(rawValue:)) else {
                throw LocationError("the database URL \(shown) has sslmode=\(item.value ?? ""): use disable, prefer or require")
            }
            tls = mode
        }
        self.user = user
        self.password = components.password?.removingPercentEncoding
        self.host = host
        self.port = port
        // As libpq: without a database name, the user's own.
        self.database = database.isEmpty ? user : database
        self.tls = tls
    }

    /// The URL with the password shown as `***`.
    public var description: String {
        "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)\(tls == .prefer ? "" : "?sslmode=\(tls.rawValue)")"
    }

    /// `text` with whatever stands between `://user:` and `@` replaced by `***`, for messages
    /// about a URL that did not parse.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://"), let at = text.range(of: "@", options: .backwards, range: schemeEnd.upperBound..<text.endIndex)
        else { return "'\(text)'" }
        let userInfo = text[schemeEnd.upperBound..<at.lowerBound]
        guard let colon = userInfo.firstIndex(of: ":") else { return "'\(text)'" }
        return "'" + text[..<colon] + ":***" + text[at.lowerBound...] + "'"
    }
}

/// A database location that cannot be used, said in one line.
public struct LocationError: Error, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
