import ArgumentParser

@main
struct Tariff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tariff",
        abstract: "Telecom pricing and billing: rate decks, prices for any number, exact charges.",
        version: TariffVersion.current,
        subcommands: [
            ServeCommand.self, ImportCommand.self, PriceCommand.self, DecksCommand.self, ExportCommand.self, FXCommand.self,
            AccountCommand.self, UsageCommand.self, OperatorCommand.self, NumbersCommand.self, MigrateCommand.self, CopyCommand.self,
            AuditCommand.self, ChangesCommand.self, PlanCommand.self, ReportCommand.self,
        ]
    )
}

/// The release this binary is; `tariff --version` prints it.
enum TariffVersion {
    static let current = "0.4.0"
}
