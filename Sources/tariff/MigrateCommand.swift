import ArgumentParser
import TariffStore

/// Every command migrates the database it opens; this one does only that, so that an operator
/// can upgrade the schema once before starting the nodes of a cluster on a new release.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring the database's schema to this release's (refused if the database is newer than this tariff)."
    )

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let location = try global.location()
        let version = try await withStore(global) { store in try await store.schemaVersion() }
        print("\(location): schema version \(version)")
    }
}
