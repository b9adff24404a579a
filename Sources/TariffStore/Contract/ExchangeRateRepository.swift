public import TariffCore

/// Exchange rates with their dates and sources.
public protocol ExchangeRateRepository: Sendable {
    /// Stores rates; a rate for the same day and pair replaces the one stored. Returns how many were written.
    func store(_ rates: [ExchangeRate], importedAt: Instant) async throws -> Int
    /// Every stored rate, by date, then base and quote currency.
    func all() async throws -> [ExchangeRate]
    /// Changes whenever rates are stored: cheap, for polling.
    func stamp() async throws -> String
}
