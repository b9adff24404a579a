import SQLiteNIO
import TariffCore

struct SQLiteReferenceRepository: ReferenceRepository {
    let engine: SQLiteEngine

    func isLoaded() async throws -> Bool {
        let rows = try await engine.select("SELECT COUNT(*) AS n FROM number_ranges") { try $0.int("n") }
        return (rows.first ?? 0) > 0
    }

    func load(_ tables: ReferenceTables) async throws {
        try await engine.transaction { connection in
            for table in ["currencies", "countries", "networks", "number_ranges"] {
                _ = try await connection.query("DELETE FROM \(table)")
            }
            try await connection.insert(
                into: "currencies",
                columns: ["code", "numeric", "name", "minor_units"],
                rows: tables.currencies.map {
                    [.text($0.code.rawValue), .text($0.numeric), .text($0.name), .optional($0.minorUnits.map(Int64.init))]
                }
            )
            try await connection.insert(
                into: "countries",
                columns: ["iso2", "name", "calling_code", "eea", "currency"],
                rows: tables.countries.map {
                    [.text($0.iso2), .text($0.name), .optional($0.callingCode), .int($0.isEEA ? 1 : 0), .optional($0.currency?.rawValue)]
                }
            )
            try await connection.insert(
                into: "networks",
                columns: ["mccmnc", "country_iso2", "mcc", "mnc", "name", "status"],
                rows: tables.networks.map {
                    [.text($0.mccmnc), .text($0.countryISO2 ?? ""), .text($0.mcc), .text($0.mnc), .text($0.name), .text($0.status)]
                }
            )
            try await connection.insert(
                into: "number_ranges",
                columns: ["prefix", "country_iso2", "number_type", "network_mccmnc", "network_name"],
                rows: tables.ranges.map {
                    [.text($0.prefix), .optional($0.countryISO2), .text($0.referenceType), .optional($0.networkMCCMNC), .optional($0.networkName)]
                }
            )
        }
    }

    func tables() async throws -> ReferenceTables {
        let currencies = try await engine.select("SELECT code, numeric, name, minor_units FROM currencies ORDER BY code") { row in
            guard let code = CurrencyCode(try row.text("code")) else { throw StoreError.corrupt("currency code") }
            return Currency(
                code: code,
                numeric: try row.text("numeric"),
                name: try row.text("name"),
                minorUnits: row.optionalInt("minor_units").map(Int.init)
            )
        }
        let countries = try await engine.select("SELECT iso2, name, calling_code, eea, currency FROM countries ORDER BY iso2") { row in
            Country(
                iso2: try row.text("iso2"),
                name: try row.text("name"),
                callingCode: row.optionalText("calling_code"),
                isEEA: try row.int("eea") == 1,
                currency: row.optionalText("currency").flatMap { CurrencyCode($0) }
            )
        }
        let networks = try await engine.select("SELECT mcc, mnc, country_iso2, name, status FROM networks ORDER BY mccmnc, country_iso2") { row in
            let country = try row.text("country_iso2")
            return MobileNetwork(
                mcc: try row.text("mcc"),
                mnc: try row.text("mnc"),
                countryISO2: country.isEmpty ? nil : country,
                name: try row.text("name"),
                status: try row.text("status")
            )
        }
        let ranges = try await engine.select(
            "SELECT prefix, country_iso2, number_type, network_mccmnc, network_name FROM number_ranges ORDER BY prefix"
        ) { row in
            NumberRange(
                prefix: try row.text("prefix"),
                countryISO2: row.optionalText("country_iso2"),
                referenceType: try row.text("number_type"),
                networkMCCMNC: row.optionalText("network_mccmnc"),
                networkName: row.optionalText("network_name")
            )
        }
        return ReferenceTables(countries: countries, currencies: currencies, networks: networks, ranges: ranges)
    }
}
