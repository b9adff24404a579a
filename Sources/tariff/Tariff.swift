import ArgumentParser

@main
struct Tariff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tariff",
        abstract: "Telecom pricing and billing: rate decks, prices for any number, exact charges.",
        subcommands: [
            ServeCommand.self, ImportCommand.self, PriceCommand.self, DecksCommand.self, ExportCommand.self, FXCommand.self,
            AccountCommand.self,
        ]
    )
}
