public import TariffCore

/// Countries, currencies, networks and number ranges.
public protocol ReferenceRepository: Sendable {
    /// Whether reference data has been loaded.
    func isLoaded() async throws -> Bool
    /// Loads the tables in one transaction (replacing any loaded before).
    func load(_ tables: ReferenceTables) async throws
    /// The tables as stored.
    func tables() async throws -> ReferenceTables
}

/// The reference tables as plain rows.
public struct ReferenceTables: Sendable {
    public var countries: [Country]
    public var currencies: [Currency]
    public var networks: [MobileNetwork]
    public var ranges: [NumberRange]

    public init(countries: [Country], currencies: [Currency], networks: [MobileNetwork], ranges: [NumberRange]) {
        self.countries = countries
        self.currencies = currencies
        self.networks = networks
        self.ranges = ranges
    }

    /// Compiles the tables for lookups.
    /// Compiles the tables for lookups, with the possible number lengths this build ships
    /// (they are not stored: a database made by an older build gets them too).
    public func compile() throws -> ReferenceData {
        try ReferenceData(
            countries: countries,
            currencies: currencies,
            networks: networks,
            ranges: ranges,
            possibleLengths: try ShippedReferenceData.possibleLengths()
        )
    }
}
