import Foundation
import Logging
import TariffCore
import Testing

@testable import TariffStore

extension DeckImporterTests {
    // MARK: Where the database is

    @Test("--database wins over TARIFF_DATABASE, which wins over ./tariff.sqlite")
    func locationPrecedence() throws {
        let environment = ["TARIFF_DATABASE": "/srv/env.sqlite"]
        #expect(
            try StoreLocation(option: "/srv/option.sqlite", environment: environment) == StoreLocation(option: "/srv/option.sqlite", environment: [:])
        )
        let option = try StoreLocation(option: "/srv/option.sqlite", environment: environment)
        #expect(option.sqlitePath == "/srv/option.sqlite")
        #expect(!option.isDefault)
        let fromEnvironment = try StoreLocation(option: nil, environment: environment)
        #expect(fromEnvironment.sqlitePath == "/srv/env.sqlite")
        #expect(!fromEnvironment.isDefault)
        #expect(try StoreLocation(option: "", environment: environment).sqlitePath == "/srv/env.sqlite")
        let fallback = try StoreLocation(option: nil, environment: [:])
        #expect(fallback.sqlitePath == StoreLocation.defaultPath)
        #expect(fallback.sqlitePath == "./tariff.sqlite")
        #expect(fallback.isDefault)
        #expect(try StoreLocation(option: nil, environment: ["TARIFF_DATABASE": ""]).isDefault)
        #expect(try StoreLocation(option: "", environment: [:]).isDefault)
    }

    @Test("a database named explicitly starts with reference data and no prices")
    func explicitDatabaseHasNoDemo() async throws {
        try await withTemporaryDirectory { directory in
            let paths = [
                try StoreLocation(option: directory.appendingPathComponent("option.sqlite").path, environment: [:]),
                try StoreLocation(option: nil, environment: ["TARIFF_DATABASE": directory.appendingPathComponent("env.sqlite").path]),
            ]
            for location in paths {
                #expect(!location.isDefault)
                let store = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
                do {
                    #expect(FileManager.default.fileExists(atPath: try #require(location.sqlitePath)))
                    #expect(try await store.reference.isLoaded())
                    #expect(try await store.decks.versions(deck: "base").isEmpty)
                    #expect(try await store.decks.numberPrices(deck: "base").isEmpty)
                    #expect(try await store.exchangeRates.all().isEmpty)
                    try await store.close()
                } catch {
                    try? await store.close()
                    throw error
                }
            }
        }
    }

    @Test("reopening a database keeps its data and loads nothing twice")
    func reopenKeepsData() async throws {
        try await withTemporaryDirectory { directory in
            let location = try StoreLocation(option: directory.appendingPathComponent("t.sqlite").path, environment: [:])
            let store = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
            let version: DeckVersion
            let reference: ReferenceTables
            do {
                let compiled = try await store.reference.tables().compile()
                let path = directory.appendingPathComponent("deck.csv")
                try Data(Self.deck.utf8).write(to: path)
                let outcome = try await DeckImporter(store: store, reference: compiled, logger: ImportFixture.logger)
                    .importFile(path: path.path, options: DeckOptions(now: ImportFixture.now))
                version = try #require(outcome.version)
                reference = try await store.reference.tables()
                try await store.close()
            } catch {
                try? await store.close()
                throw error
            }
            let again = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
            do {
                #expect(try await again.decks.versions(deck: "base") == [version])
                #expect(try await again.reference.tables().ranges.count == reference.ranges.count)
                try await again.close()
            } catch {
                try? await again.close()
                throw error
            }
        }
    }

    @Test("the demo deck, which only the default database gets, loads as demo versions")
    func demoDeckLoads() async throws {
        try await withImportFixture { fixture in
            try await DemoDeck.load(into: fixture.store, logger: ImportFixture.logger, now: ImportFixture.now)
            let versions = try await fixture.store.decks.versions(deck: "base")
            #expect(versions.count == (try DemoDeck.files()).count)
            #expect(versions.allSatisfy { $0.isDemo })
            #expect(!(try await fixture.store.exchangeRates.all()).isEmpty)
            let book = try await fixture.book()
            let quote = try book.quote(number("+34612345678"), product: .voiceOutbound, at: ImportFixture.now)
            #expect(quote.price.amount > .zero)
            #expect(quote.destination.country?.iso2 == "ES")
        }
    }

    @Test("a PostgreSQL URL is parsed once into its parts; the password is never shown")
    func postgresURL() throws {
        let location = try StoreLocation(option: "postgres://tariff:s%40cret@db.example:6543/billing?sslmode=require", environment: [:])
        let expected = try PostgresAddress(parsing: "postgresql://tariff:s%40cret@db.example:6543/billing?sslmode=require")
        #expect(location.engine == .postgres(expected))
        #expect(!location.isDefault)
        #expect(location.sqlitePath == nil)
        #expect(
            (expected.user, expected.password, expected.host, expected.port, expected.database) == ("tariff", "s@cret", "db.example", 6543, "billing")
        )
        #expect(expected.tls == .require)
        #expect(location.description == "postgres://tariff:***@db.example:6543/billing?sslmode=require")
        // libpq's defaults: port 5432, the user's own database, TLS if the server offers it.
        let short = try PostgresAddress(parsing: "postgres://ops@localhost")
        #expect((short.port, short.database, short.tls, short.password) == (5432, "ops", .prefer, nil))
        #expect(short.description == "postgres://ops@localhost:5432/ops")
        // From the environment too.
        let fromEnvironment = try StoreLocation(option: nil, environment: ["TARIFF_DATABASE": "postgres://ops@localhost/t"])
        #expect(fromEnvironment.engine == .postgres(try PostgresAddress(parsing: "postgres://ops@localhost/t")))
    }

    @Test(
        "a bad database URL is one line saying what to fix, without the password",
        arguments: [
            ("postgres://u:hunter2@/db", "names no host"),
            ("postgres://:hunter2@host/db", "names no user"),
            ("postgres://u:hunter2@host:0/db", "a port is 1 to 65535"),
            ("postgres://u:hunter2@host/db/extra", "one database name"),
            ("postgres://u:hunter2@host/db?sslmode=verify-sometimes", "use disable, prefer or require"),
            ("postgres://u:hunter2@host/db?application=x", "only sslmode"),
            ("mysql://u:hunter2@host/db", "unsupported database 'mysql://…'"),
        ]
    )
    func badURL(url: String, says: String) {
        do {
            _ = try StoreLocation(option: url, environment: [:])
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description.contains(says), "\(error.description)")
            #expect(!error.description.contains("hunter2"), "\(error.description)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test("a PostgreSQL server that is not there is one line naming it, at once, without the password")
    func postgresUnreachable() async throws {
        // Port 1 on the loopback: nothing listens there, so the connection is refused.
        let location = try StoreLocation(option: "postgres://u:hunter2@127.0.0.1:1/tariff?sslmode=disable", environment: [:])
        do {
            _ = try await location.open(logger: ImportFixture.logger, now: ImportFixture.now)
            Issue.record("a store was opened on a port nothing listens on")
        } catch {
            let message = String(describing: error)
            #expect(message.hasPrefix("cannot reach PostgreSQL at 127.0.0.1:1"), "\(message)")
            #expect(!message.contains("hunter2") && !message.contains("\n"), "\(message)")
        }
    }

    @Test(
        "a wrong password or a missing database is one line naming what to fix",
        .enabled(if: StoreEngine.postgresURL != nil, "PostgreSQL only: TARIFF_TEST_POSTGRES is not set")
    )
    func postgresRefusals() async throws {
        let address = try StoreEngine.postgresAddress()
        let password = "\(address.password ?? "")-wrong"
        let wrongPassword = "postgres://\(address.user):\(password)@\(address.host):\(address.port)/\(address.database)?sslmode=disable"
        let noDatabase = "postgres://\(address.user):\(address.password ?? "")@\(address.host):\(address.port)/no_such_db_here?sslmode=disable"
        for (url, says) in [(wrongPassword, "refused user '\(address.user)'"), (noDatabase, "has no database 'no_such_db_here'")] {
            do {
                _ = try await StoreLocation(option: url, environment: [:]).open(logger: ImportFixture.logger, now: ImportFixture.now)
                Issue.record("\(url) was opened")
            } catch {
                let message = String(describing: error)
                #expect(message.contains(says), "\(message)")
                #expect(!message.contains(password) && !message.contains("\n"), "\(message)")
            }
        }
    }
}
