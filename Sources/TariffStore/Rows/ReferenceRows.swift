import TariffCore

/// Reference data as both engines store it.
enum ReferenceRows {
    static let tables = ["currencies", "countries", "networks", "number_ranges"]
    static let currencyColumns = "SELECT code, numeric, name, minor_units FROM currencies ORDER BY code"
    static let countryColumns = "SELECT iso2, name, calling_code, eea, currency FROM countries ORDER BY iso2"
    static let networkColumns = "SELECT mcc, mnc, country_iso2, name, status FROM networks ORDER BY mccmnc, country_iso2"
    static let rangeColumns = "SELECT prefix, country_iso2, number_type, network_mccmnc, network_name FROM number_ranges ORDER BY prefix"

    /// Each table's columns and its rows' values, in the order `tables` names them.
    static func inserts(_ tables: ReferenceTables) -> [(table: String, columns: [String], rows: [[StoredValue]])] {
        [
            (
                "currencies", ["code", "numeric", "name", "minor_units"],
                tables.currencies.map { [.text($0.code.rawValue), .text($0.numeric), .text($0.name), .optional($0.minorUnits.map(Int64.init))] }
            ),
            (
                "countries", ["iso2", "name", "calling_code", "eea", "currency"],
                tables.countries.map {
                    [.text($0.iso2), .text($0.name), .optional($0.callingCode), .int($0.isEEA ? 1 : 0), .optional($0.currency?.rawValue)]
                }
            ),
            (
                "networks", ["mccmnc", "country_iso2", "mcc", "mnc", "name", "status"],
                tables.networks.map {
                    [.text($0.mccmnc), .text($0.countryISO2 ?? ""), .text($0.mcc), .text($0.mnc), .text($0.name), .text($0.status)]
                }
            ),
            (
                "number_ranges", ["prefix", "country_iso2", "number_type", "network_mccmnc", "network_name"],
                tables.ranges.map {
                    [.text($0.prefix), .optional($0.countryISO2), .text($0.referenceType), .optional($0.networkMCCMNC), .optional($0.networkName)]
                }
            ),
        ]
    }

    static func currency(_ row: some StoredRow) throws -> Currency {
        guard let code = CurrencyCode(try row.text("code")) else { throw StoreError.corrupt("currency code") }
        return Currency(
            code: code,
            numeric: try row.text("numeric"),
            name: try row.text("name"),
            minorUnits: try row.optionalInt("minor_units").map(Int.init)
        )
    }

    static func country(_ row: some StoredRow) throws -> Country {
        Country(
            iso2: try row.text("iso2"),
            name: try row.text("name"),
            callingCode: try row.optionalText("calling_code"),
            isEEA: try row.int("eea") == 1,
            currency: try row.optionalText("currency").flatMap { CurrencyCode($0) }
        )
    }

    static func network(_ row: some StoredRow) throws -> MobileNetwork {
        let country = try row.text("country_iso2")
        return MobileNetwork(
            mcc: try row.text("mcc"),
            mnc: try row.text("mnc"),
            countryISO2: country.isEmpty ? nil : country,
            name: try row.text("name"),
            status: try row.text("status")
        )
    }

    static func range(_ row: some StoredRow) throws -> NumberRange {
        NumberRange(
            prefix: try row.text("prefix"),
            countryISO2: try row.optionalText("country_iso2"),
            referenceType: try row.text("number_type"),
            networkMCCMNC: try row.optionalText("network_mccmnc"),
            networkName: try row.optionalText("network_name")
        )
    }
}
