import Foundation
public import TariffCore

/// The reference data shipped inside Tariff (Resources/world, see its README for sources and
/// licences): read from the bundle once, when a database is created.
public enum ShippedReferenceData {
    public static func tables() throws -> ReferenceTables {
        let currencies = try rows("currencies").compactMap { row -> Currency? in
            guard let code = CurrencyCode(row["code"] ?? "") else { return nil }
            return Currency(code: code, numeric: row["numeric"] ?? "", name: row["name"] ?? "", minorUnits: row["minor_units"].flatMap { Int($0) })
        }
        let countries = try rows("countries").map { row in
            Country(
                iso2: row["iso2"] ?? "",
                name: row["name"] ?? "",
                callingCode: row["calling_code"].flatMap { $0.isEmpty ? nil : $0 },
                isEEA: row["eea"] == "1",
                currency: row["currency"].flatMap { CurrencyCode($0) }
            )
        }
        let networks = try rows("networks").map { row in
            MobileNetwork(
                mcc: row["mcc"] ?? "",
                mnc: row["mnc"] ?? "",
                countryISO2: row["country_iso2"].flatMap { $0.isEmpty ? nil : $0 },
                name: row["network_name"] ?? "",
                status: row["status"] ?? ""
            )
        }
        let ranges = try rows("ranges").map { row in
            NumberRange(
                prefix: row["prefix"] ?? "",
                countryISO2: row["country_iso2"].flatMap { $0.isEmpty ? nil : $0 },
                referenceType: row["number_type"] ?? "",
                networkMCCMNC: row["network_mccmnc"].flatMap { $0.isEmpty ? nil : $0 },
                networkName: row["network_name"].flatMap { $0.isEmpty ? nil : $0 }
            )
        }
        return ReferenceTables(countries: countries, currencies: currencies, networks: networks, ranges: ranges)
    }

    /// Possible national number lengths (made by scripts/make_possible_lengths.py), read once.
    public static func possibleLengths() throws -> PossibleLengths {
        try shippedLengths.get()
    }

    private static let shippedLengths = Result<PossibleLengths, any Error> {
        PossibleLengths(
            rows: try rows("possible-lengths").map { row in
                PossibleLengths.Row(
                    region: row["country_iso2"] ?? "",
                    callingCode: row["calling_code"] ?? "",
                    type: row["number_type"] ?? "",
                    lengths: (row["lengths"] ?? "").split(separator: "|").compactMap { Int($0) }
                )
            }
        )
    }

    /// The shipped file's path (for tools that read the CSV directly, such as the benchmark).
    public static func path(of name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "world") else {
            throw StoreError.missingResource("world/\(name).csv")
        }
        return url.path
    }

    private static func rows(_ name: String) throws -> [[String: String]] {
        var reader = try CSVReader(path: try path(of: name))
        guard let header = try reader.next() else { return [] }
        var result: [[String: String]] = []
        while let record = try reader.next() {
            var row: [String: String] = [:]
            for (index, column) in header.fields.enumerated() where index < record.fields.count {
                row[column] = record.fields[index]
            }
            result.append(row)
        }
        return result
    }
}

/// The demo deck shipped in Resources/demo (made by scripts/make_demo_deck.py).
public enum DemoDeck {
    public struct File: Sendable {
        public let path: String
        public let kind: DeckKind
    }

    public static func files() throws -> [File] {
        let names: [(String, DeckKind)] = [
            ("sms-outbound", .rates), ("voice-outbound", .rates), ("voice-inbound", .rates), ("services", .rates),
            ("numbers", .numbers), ("templates", .templates),
        ]
        return try names.map { name, kind in
            guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "demo") else {
                throw StoreError.missingResource("demo/\(name).csv")
            }
            return File(path: url.path, kind: kind)
        }
    }

    /// Demo exchange rates (ECB format), so that accounts in other currencies work out of the box.
    public static func exchangeRatesPath() -> String? {
        Bundle.module.url(forResource: "fx-rates", withExtension: "xml", subdirectory: "demo")?.path
    }
}
