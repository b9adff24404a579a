import ArgumentParser
import TariffCore
import TariffHTTP
import TariffStore

struct DecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decks", abstract: "List deck versions with their sizes and dates.")

    @Flag(help: "Print as JSON.")
    var json = false

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let versions = try await withStore(global) { try await $0.decks.versions(deck: "base") }
        if json {
            printJSON(versions.map(DeckVersionRecord.init))
            return
        }
        guard !versions.isEmpty else {
            print("no deck imported yet: tariff import FILE")
            return
        }
        print(
            table(
                versions.map { version in
                    [
                        String(version.id), version.createdAt.iso8601, version.kind, String(version.rowCount), String(version.additions),
                        version.summary.description, version.source.split(separator: "/").last.map(String.init) ?? version.source,
                        version.isDemo ? "DEMO" : "",
                    ]
                },
                header: ["version", "imported", "kind", "rows", "added", "changes", "file", ""]
            )
        )
    }
}
