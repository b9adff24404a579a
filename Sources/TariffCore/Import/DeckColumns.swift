/// The columns a kind of file may have, and the header names each is known by.
struct DeckColumns: Sendable {
    let required: [String]
    /// Normalised header name → canonical column.
    let aliases: [String: String]

    var canonical: [String] { Array(Set(aliases.values)).sorted() }

    static func normalise(_ header: String) -> String {
        header.trimmingSpaces.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    static let rates = DeckColumns(
        required: ["price"],
        aliases: Dictionary(
            uniqueKeysWithValues: [
                "product", "country", "network", "prefix", "number_type", "origin", "price", "currency",
                "increment", "connect_fee", "effective_from", "description", "resource", "unit", "per", "minimum", "variant",
            ].map { ($0, $0) }
        )
    )

    static let carrier = DeckColumns(
        required: ["prefix", "price"],
        aliases: [
            "code": "prefix", "prefix": "prefix", "dial code": "prefix", "dialcode": "prefix", "destination code": "prefix",
            "destination": "description", "description": "description", "name": "description", "country/destination": "description",
            "rate": "price", "price": "price", "rate/min": "price", "rate per minute": "price",
            "effective date": "effective_from", "effective_date": "effective_from", "eff. date": "effective_from",
            "effective": "effective_from", "effective_from": "effective_from",
            "increment": "increment", "billing increment": "increment", "pulse": "increment", "billing": "increment",
            "change": "change", "status": "change", "change flag": "change",
        ]
    )

    static let numbers = DeckColumns(
        required: ["country", "category", "installation_price", "monthly_price"],
        aliases: Dictionary(
            uniqueKeysWithValues: [
                "country", "category", "region_code", "region_name", "installation_price", "monthly_price",
                "currency", "incoming_resource", "effective_from",
            ].map { ($0, $0) }
        )
    )
}

extension DeckColumns {
    static let templates = DeckColumns(
        required: ["template", "type", "installation_price", "monthly_price"],
        aliases: Dictionary(
            uniqueKeysWithValues: ["template", "type", "name", "installation_price", "monthly_price", "currency", "includes", "effective_from"]
                .map { ($0, $0) }
        )
    )
}

/// Every canonical column of the deck formats; a record finds its fields by slot, not by name.
enum DeckColumn: Int, CaseIterable, Sendable {
    case product, country, network, prefix, numberType, origin, price, currency, increment
    case connectFee, effectiveFrom, description, resource, change
    case category, regionCode, regionName, installationPrice, monthlyPrice, incomingResource
    case unit, per, minimum, variant
    case template, type, name, includes

    /// The column's name in files and messages.
    var name: String {
        switch self {
        case .numberType: "number_type"
        case .connectFee: "connect_fee"
        case .effectiveFrom: "effective_from"
        case .regionCode: "region_code"
        case .regionName: "region_name"
        case .installationPrice: "installation_price"
        case .monthlyPrice: "monthly_price"
        case .incomingResource: "incoming_resource"
        default: "\(self)"
        }
    }

    static let byName: [String: DeckColumn] = Dictionary(uniqueKeysWithValues: allCases.map { ($0.name, $0) })
}

/// Where each canonical column sits in a file's records (-1: absent), resolved once per file.
struct ColumnPositions: Sendable {
    private var positions: [Int]

    init(_ byName: [String: Int]) {
        positions = Array(repeating: -1, count: DeckColumn.allCases.count)
        for (name, index) in byName { if let column = DeckColumn.byName[name] { positions[column.rawValue] = index } }
    }

    subscript(_ column: DeckColumn) -> Int { positions[column.rawValue] }
    func has(_ column: DeckColumn) -> Bool { positions[column.rawValue] >= 0 }
}

/// One data record with its columns resolved.
struct DeckRecord {
    let record: CSVRecord
    let columns: ColumnPositions

    var line: Int { record.line }

    /// The field's text, nil when the column is absent or the field empty.
    subscript(_ column: DeckColumn) -> String? {
        let index = columns[column]
        guard index >= 0, index < record.fields.count else { return nil }
        let value = record.fields[index]
        return value.isEmpty ? nil : value
    }
}
