import Logging
import NIOSSL
import PostgresNIO
import TariffCore

/// A pool of connections to one PostgreSQL database (postgres-nio's `PostgresClient`, run by
/// this engine for as long as the store is open).
///
/// Statements are written with `?` placeholders, as for SQLite, and numbered here: the same
/// text serves both engines wherever their SQL agrees.
final class PostgresEngine: Sendable {
    let client: PostgresClient
    let logger: Logger
    let address: PostgresAddress
    /// Where this database's changes are announced: `tariff_changes`, or one channel per schema
    /// when the store is confined to one (tests share a database; their announcements must not).
    let channel: String
    private let running: Task<Void, Never>
    private let watch = ConnectionWatch()
    /// The pool's size: enough for group commit, the renewals and the readers of one node
    /// without crowding a server that several nodes share.
    static let maximumConnections = 16
    /// Leases of the pool's connections (the change listener's own is not counted).
    let connectionUse = ConnectionUse(capacity: maximumConnections)

    init(address: PostgresAddress, schema: String? = nil, logger: Logger) async throws {
        self.address = address
        self.logger = logger
        // A channel name is an identifier: 63 bytes at most, hence the short prefix.
        channel = schema.map { "tc_\($0)" } ?? "tariff_changes"
        // One connection first, outside the pool: a wrong password, a missing database or a
        // server that is down is then one clear error now. The pool would retry it for minutes
        // before giving up with a message about its circuit breaker.
        var probe = PostgresConnection.Configuration(
            host: address.host,
            port: address.port,
            username: address.user,
            password: address.password,
            database: address.database,
            tls: try Self.connectionTLS(address.tls)
        )
        probe.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
            try? await connection.close()
        } catch {
            throw PostgresFailure(error, address: address)
        }
        var configuration = PostgresClient.Configuration(
            host: address.host,
            port: address.port,
            username: address.user,
            password: address.password,
            database: address.database,
            tls: Self.tls(address.tls)
        )
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = Self.maximumConnections
        if let schema { configuration.options.additionalStartupParameters = [("search_path", schema)] }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.client = client
        // Started at once, so that the pool is running before the first query asks it for a
        // connection (postgres-nio warns of a lease before `run()` otherwise).
        if #available(macOS 26, *) {
            running = Task.immediate { await client.run() }
        } else {
            running = Task { await client.run() }
        }
    }

    private static func connectionTLS(_ mode: PostgresAddress.TLSMode) throws -> PostgresConnection.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
    }

    private static func tls(_ mode: PostgresAddress.TLSMode) -> PostgresClient.Configuration.TLS {
        switch mode {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }

    func close() async {
        running.cancel()
        await running.value
    }

    /// Calls `changed` once listening has begun (changes made before could not be heard), then
    /// for each announcement, until the task is cancelled. A lost connection (a server
    /// restart) is logged and listened to again a second later, with `changed` called again.
    func listen(_ changed: @escaping @Sendable () -> Void) async throws {
        let channel = channel
        while !Task.isCancelled {
            do {
                let logger = logger
                try await client.withConnection { connection in
                    try await connection.listen(on: channel) { notifications in
                        // A statement after LISTEN on the same connection completes only once
                        // the server has taken the LISTEN: from then on nothing is missed.
                        try await connection.query("SELECT 1", logger: logger).drain()
                        changed()
                        for try await _ in notifications { changed() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.warning("listening for changes failed; polling meanwhile", metadata: ["error": "\(String(reflecting: error))"])
            }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// The rows of one statement, decoded as they arrive.
    func select<T: Sendable>(
        _ sql: String,
        _ binds: [StoredValue] = [],
        decode: @escaping @Sendable (PostgresRandomAccessRow) throws -> T
    ) async throws -> [T] {
        let query = try Self.query(sql, binds)
        let logger = logger
        return try await guarded { connection in
            let rows = try await connection.query(query, logger: logger)
            var decoded: [T] = []
            for try await row in rows { decoded.append(try decode(row.makeRandomAccess())) }
            return decoded
        }
    }

    /// Runs one statement that changes data.
    func execute(_ sql: String, _ binds: [StoredValue] = []) async throws {
        let query = try Self.query(sql, binds)
        let logger = logger
        try await guarded { connection in try await connection.query(query, logger: logger).drain() }
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresTransaction) async throws -> T) async throws -> T {
        let logger = logger
        let channel = channel
        return try await guarded { connection in
            let transaction = PostgresTransaction(connection: connection, logger: logger, channel: channel)
            try await transaction.execute("BEGIN")
            do {
                let result = try await body(transaction)
                try await transaction.execute("COMMIT")
                return result
            } catch {
                // On a lost connection the server rolls back by itself; a ROLLBACK sent there
                // could wait for an answer that never comes.
                if !connection.isClosed { try? await transaction.execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs `operation` on a connection of the pool, failing as `StoreError.unavailable` when
    /// the server cannot be reached or the connection is lost (see `ConnectionWatch`).
    func guarded<T: Sendable>(_ operation: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        connectionUse.asked()
        var held = false
        defer { if held { connectionUse.released() } else { connectionUse.gaveUp() } }
        do {
            return try await client.withConnection { connection in
                held = true
                connectionUse.got()
                return try await watch.run(on: connection) { try await operation(connection) }
            }
        } catch {
            throw Self.classified(error)
        }
    }

    /// `sql` with each `?` outside quotes numbered `$1`, `$2`, …, and `binds` bound to them.
    static func query(_ sql: String, _ binds: [StoredValue]) throws -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + binds.count * 2)
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?", !quoted {
                number += 1
                text += "$\(number)"
            } else {
                text.append(character)
            }
        }
        guard number == binds.count else { throw StoreError.corrupt("a statement has \(number) placeholders and \(binds.count) values") }
        var bindings = PostgresBindings(capacity: binds.count)
        for value in binds {
            switch value {
            case .int(let int): bindings.append(int)
            case .text(let string): bindings.append(string)
            case .null: bindings.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: bindings)
    }
}

/// One connection inside a transaction.
struct PostgresTransaction {
    let connection: PostgresConnection
    let logger: Logger
    let channel: String

    /// Tells every listening node, when this transaction commits, that `topic` changed (a
    /// rolled-back transaction tells no one).
    func notify(_ topic: String) async throws {
        try await execute("SELECT pg_notify(?, ?)", [.text(channel), .text(topic)])
    }

    func select<T>(_ sql: String, _ binds: [StoredValue] = [], decode: (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        let rows = try await connection.query(try PostgresEngine.query(sql, binds), logger: logger)
        var decoded: [T] = []
        for try await row in rows { decoded.append(try decode(row.makeRandomAccess())) }
        return decoded
    }

    func execute(_ sql: String, _ binds: [StoredValue] = []) async throws {
        try await connection.query(try PostgresEngine.query(sql, binds), logger: logger).drain()
    }

    /// Inserts many rows with as few statements as PostgreSQL's limit of 65,535 values allows.
    func insert(into table: String, columns: [String], rows: [[StoredValue]], onConflict: String? = nil) async throws {
        guard !rows.isEmpty else { return }
        let tail = onConflict.map { " ON CONFLICT " + $0 } ?? ""
        let rowsPerStatement = max(1, 30_000 / columns.count)
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let slice = rows[start..<min(rows.count, start + rowsPerStatement)]
            try await execute(head + Array(repeating: tuple, count: slice.count).joined(separator: ", ") + tail, slice.flatMap { $0 })
        }
    }
}

extension PostgresRandomAccessRow {
    func text(_ column: String) throws -> String {
        guard let value = try self[column].decode(String?.self) else { throw StoreError.corrupt("\(column) is not text") }
        return value
    }

    func optionalText(_ column: String) throws -> String? { try self[column].decode(String?.self) }

    func int(_ column: String) throws -> Int64 {
        guard let value = try self[column].decode(Int64?.self) else { throw StoreError.corrupt("\(column) is not an integer") }
        return value
    }

    func optionalInt(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
}

extension PostgresRowSequence {
    /// Reads and drops what a statement answered, so that its errors surface here.
    func drain() async throws {
        for try await _ in self {}
    }
}

/// A PostgreSQL server that cannot be used, said in one line that names what to fix.
struct PostgresFailure: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error, address: PostgresAddress) {
        let server = "\(address.host):\(address.port)"
        if let psql = error as? PSQLError {
            if let code = psql.serverInfo?[.sqlState], let message = psql.serverInfo?[.message] {
                switch code {
                case "28P01", "28000":
                    description = "PostgreSQL at \(server) refused user '\(address.user)': \(message); check the user and password in the URL"
                case "3D000":
                    description =
                        "PostgreSQL at \(server) has no database '\(address.database)': create it (createdb \(address.database)) or name another"
                default:
                    description = "PostgreSQL at \(server) answered: \(message) (\(code))"
                }
            } else {
                description = "cannot reach PostgreSQL at \(server) (\(psql.code)): check that it runs and that the host and port are right"
            }
        } else {
            description = "cannot reach PostgreSQL at \(server): \(error)"
        }
    }
}
