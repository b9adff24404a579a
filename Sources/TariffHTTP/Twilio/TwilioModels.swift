import TariffCore

// Twilio's bodies, in Swift's names: the encoder writes them in snake case. Prices are strings,
// and members Twilio sends as null are written as null, not left out.

/// A member written as `null` when absent (a synthesized encoding leaves an optional out).
struct TwilioNullable<Value: Encodable>: Encodable {
    let value: Value?

    init(_ value: Value?) { self.value = value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

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
    let previousPageUrl: TwilioNullable<String>
    let url: String
    let nextPageUrl: TwilioNullable<String>
    let key: String
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
    let inboundCallPrice: TwilioNullable<TwilioTypedPriceBody>
    let priceUnit: String
    let url: String
}

struct TwilioVoiceNumberV2Body: Encodable {
    struct CallPrice: Encodable {
        let originationPrefixes: [String]
        let basePrice: String
        let currentPrice: String
    }

    let destinationNumber: String
    let originationNumber: TwilioNullable<String>
    let country: String
    let isoCountry: String
    let outboundCallPrices: [CallPrice]
    let inboundCallPrice: TwilioNullable<TwilioTypedPriceBody>
    let priceUnit: String
    let url: String
}
