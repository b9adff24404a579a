import Foundation
import TariffCore

/// Vonage Pricing v1 bodies, JSON and XML, as the official SDKs read them (wire-formats §1.3–1.6).
enum VonageV1 {
    // MARK: Typed country pricing (get-pricing/{type}, get-full-pricing, get-prefix-pricing/{type})

    struct Country: Encodable {
        let dialingPrefix: String
        let defaultPrice: String?
        let currency: String
        let countryDisplayName: String
        let countryCode: String
        let countryName: String
        let networks: [Network]?

        init(_ prices: VonageCatalog.CountryPrices, currency: CurrencyCode) {
            dialingPrefix = prices.country.callingCode ?? ""
            defaultPrice = prices.defaultPrice?.formatted()
            self.currency = currency.rawValue
            countryDisplayName = prices.country.name
            countryCode = prices.country.iso2
            countryName = prices.country.name
            // A country with no price carries neither a default nor networks (as Vonage's fixtures show).
            networks = prices.defaultPrice == nil && prices.networks.isEmpty ? nil : prices.networks.map { Network($0, currency: currency) }
        }
    }

    struct Network: Encodable {
        let type: String
        let price: String
        let currency: String
        let mcc: String?
        let mnc: String?
        let networkCode: String
        let networkName: String
        let ranges: [Int]

        init(_ network: VonageCatalog.Network, currency: CurrencyCode) {
            type = network.type
            price = network.price.formatted()
            self.currency = currency.rawValue
            mcc = network.mcc
            mnc = network.mnc
            networkCode = network.code
            networkName = network.name
            ranges = network.ranges
        }
    }

    struct CountryList: Encodable {
        let count: Int
        let countries: [Country]
    }

    // MARK: Legacy untyped shapes (get-pricing/outbound?country=, get-prefix-pricing/outbound?prefix=)

    struct LegacyCountry: Encodable {
        let country: String
        let name: String
        let prefix: String
        let mt: String?
        let networks: [LegacyNetwork]
        let countryDisplayName: String

        init(_ prices: VonageCatalog.CountryPrices) {
            country = prices.country.iso2
            name = prices.country.name
            prefix = prices.country.callingCode ?? ""
            mt = prices.defaultPrice?.formatted()
            networks = prices.networks.map { LegacyNetwork(code: $0.code, network: $0.name, mtPrice: $0.price.formatted()) }
            countryDisplayName = prices.country.name
        }
    }

    struct LegacyNetwork: Encodable {
        let code: String
        let network: String
        let mtPrice: String
    }

    struct LegacyPrefixList: Encodable {
        let count: Int
        let prices: [LegacyCountry]
    }

    // MARK: Phone pricing and balance

    struct PhonePrice: Encodable {
        let countryCode: String
        let networkCode: String
        let network: String
        let phone: String
        let price: String
        let currency: String

        enum CodingKeys: String, CodingKey {
            case countryCode = "country-code"
            case networkCode = "network-code"
            case network
            case phone
            case price
            case currency
        }
    }

    struct Balance: Encodable {
        /// A JSON number (Vonage sends one), exact: Foundation's Decimal is decimal, not binary.
        let value: Decimal
        let autoReload: Bool
    }
}

/// The XML forms: element names in kebab case, lists wrapped (`<networks><network>…`), as the
/// seed document shows.
enum VonageV1XML {
    struct Country: Encodable {
        let countryCode: String
        let countryName: String
        let countryDisplayName: String
        let dialingPrefix: String
        let defaultPrice: String?
        let currency: String
        let networks: Networks?

        enum CodingKeys: String, CodingKey {
            case countryCode = "country-code"
            case countryName = "country-name"
            case countryDisplayName = "country-display-name"
            case dialingPrefix = "dialing-prefix"
            case defaultPrice = "default-price"
            case currency
            case networks
        }

        init(_ json: VonageV1.Country) {
            countryCode = json.countryCode
            countryName = json.countryName
            countryDisplayName = json.countryDisplayName
            dialingPrefix = json.dialingPrefix
            defaultPrice = json.defaultPrice
            currency = json.currency
            networks = json.networks.map { Networks(network: $0.map(Network.init)) }
        }
    }

    struct Networks: Encodable { let network: [Network] }
    struct Ranges: Encodable { let range: [Int] }

    struct Network: Encodable {
        let networkCode: String
        let networkName: String
        let type: String
        let price: String
        let currency: String
        let ranges: Ranges
        let mcc: String?
        let mnc: String?

        enum CodingKeys: String, CodingKey {
            case networkCode = "network-code"
            case networkName = "network-name"
            case type
            case price
            case currency
            case ranges
            case mcc
            case mnc
        }

        init(_ json: VonageV1.Network) {
            networkCode = json.networkCode
            networkName = json.networkName
            type = json.type
            price = json.price
            currency = json.currency
            ranges = Ranges(range: json.ranges)
            mcc = json.mcc
            mnc = json.mnc
        }
    }

    struct CountryList: Encodable {
        let count: Int
        let countries: Countries
        struct Countries: Encodable { let country: [Country] }
    }

    struct LegacyCountry: Encodable {
        let country: String
        let name: String
        let prefix: String
        let mt: String?
        let networks: LegacyNetworks

        init(_ json: VonageV1.LegacyCountry) {
            country = json.country
            name = json.name
            prefix = json.prefix
            mt = json.mt
            networks = LegacyNetworks(network: json.networks.map { LegacyNetwork(code: $0.code, name: $0.network, mtPrice: $0.mtPrice) })
        }
    }

    struct LegacyNetworks: Encodable { let network: [LegacyNetwork] }
    /// In XML the network's name is `<name>`; in JSON it is `network`.
    struct LegacyNetwork: Encodable {
        let code: String
        let name: String
        let mtPrice: String
    }

    struct LegacyPrefixList: Encodable {
        let count: Int
        let prices: [LegacyCountry]
    }

    struct Balance: Encodable {
        let value: String
        let autoReload: Bool
    }
}
