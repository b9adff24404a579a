import TariffCore

// Twilio's bodies, in Swift's names: the encoder writes them in snake case. Prices are strings,
// and members Twilio sends as null are written as null, not left out.

struct TwilioPriceBody: Encodable {
    let basePrice: String
    let currentPrice: String

    init(_ price: TwilioCatalog.Price) {
        basePrice = price.base.plainText
        currentPrice = price.current.plainText
    }
}

struct TwilioTypedPriceBody: Encodable {
    let numberType: String
    let basePrice: String
    let currentPrice: String

    init(_ typed: TwilioCatalog.TypedPrice) {
        numberType = typed.numberType
        basePrice = typed.price.base.plainText
        currentPrice = typed.price.current.plainText
    }
}

/// `/v1/Messaging` and its siblings: what is below them.
struct TwilioContainerBody: Encodable {
    let name: String
    let url: String
    let links: [String: String]
}

struct TwilioCountryItem: Encodable {
    let country: String
    let isoCountry: String
    let url: String
}

struct TwilioCountryPage: Encodable {
    let countries: [TwilioCountryItem]
    let meta: TwilioPageMeta
}

struct TwilioPageMeta: Encodable {
    let page: Int
    let pageSize: Int
    let firstPageUrl: String
    let previousPageUrl: String?
    let url: String
    let nextPageUrl: String?
    let key: String

    enum CodingKeys: String, CodingKey {
        case page, pageSize, firstPageUrl, previousPageUrl, url, nextPageUrl, key
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(page, forKey: .page)
        try container.encode(pageSize, forKey: .pageSize)
        try container.encode(firstPageUrl, forKey: .firstPageUrl)
        try container.encode(previousPageUrl, forKey: .previousPageUrl)
        try container.encode(url, forKey: .url)
        try container.encode(nextPageUrl, forKey: .nextPageUrl)
        try container.encode(key, forKey: .key)
    }
}

struct TwilioMessagingCountryBody: Encodable {
    struct Carrier: Encodable {
        let carrier: String
        let mcc: String
        let mnc: String
        let prices: [TwilioTypedPriceBody]
    }

    let country: String
    let isoCountry: String
    let outboundSmsPrices: [Carrier]
    let inboundSmsPrices: [TwilioTypedPriceBody]
    let priceUnit: String
    let url: String
}

struct TwilioPhoneNumberCountryBody: Encodable {
    let country: String
    let isoCountry: String
    let phoneNumberPrices: [TwilioTypedPriceBody]
    let priceUnit: String
    let url: String
}

struct TwilioVoiceNumberV1Body: Encodable {
    let number: String
    let country: String
    let isoCountry: String
    let outboundCallPrice: TwilioPriceBody
    let inboundCallPrice: TwilioTypedPriceBody?
    let priceUnit: String
    let url: String

    enum CodingKeys: String, CodingKey {
        case number, country, isoCountry, outboundCallPrice, inboundCallPrice, priceUnit, url
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(number, forKey: .number)
        try container.encode(country, forKey: .country)
        try container.encode(isoCountry, forKey: .isoCountry)
        try container.encode(outboundCallPrice, forKey: .outboundCallPrice)
        try container.encode(inboundCallPrice, forKey: .inboundCallPrice)
        try container.encode(priceUnit, forKey: .priceUnit)
        try container.encode(url, forKey: .url)
    }
}

struct TwilioVoiceNumberV2Body: Encodable {
    struct CallPrice: Encodable {
        let originationPrefixes: [String]
        let basePrice: String
        let currentPrice: String
    }

    let destinationNumber: String
    let originationNumber: String?
    let country: String
    let isoCountry: String
    let outboundCallPrices: [CallPrice]
    let inboundCallPrice: TwilioTypedPriceBody?
    let priceUnit: String
    let url: String

    enum CodingKeys: String, CodingKey {
        case destinationNumber, originationNumber, country, isoCountry, outboundCallPrices, inboundCallPrice, priceUnit, url
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(destinationNumber, forKey: .destinationNumber)
        try container.encode(originationNumber, forKey: .originationNumber)
        try container.encode(country, forKey: .country)
        try container.encode(isoCountry, forKey: .isoCountry)
        try container.encode(outboundCallPrices, forKey: .outboundCallPrices)
        try container.encode(inboundCallPrice, forKey: .inboundCallPrice)
        try container.encode(priceUnit, forKey: .priceUnit)
        try container.encode(url, forKey: .url)
    }
}
