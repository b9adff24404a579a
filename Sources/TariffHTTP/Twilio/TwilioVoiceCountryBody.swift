import NIOCore
import TariffCore

/// A country's voice prices, v1 and v2, written straight into bytes: a carrier's deck gives a
/// country a million prefix rows, which JSONEncoder took six seconds to write. The members are
/// in the order JSONEncoder's `sortedKeys` gives the other Twilio bodies.
struct TwilioVoiceCountryBody {
    private var bytes: [UInt8] = []

    /// The v1 body: prefixes without origins. `originations` is nil for it; for v2 it gives
    /// each row's `origination_prefixes`.
    static func render(
        country: Country,
        voice: TwilioCatalog.Voice,
        currency: CurrencyCode,
        url: String,
        originations: ((OriginScope) -> [String])?
    ) -> ByteBuffer {
        var body = TwilioVoiceCountryBody()
        let rows = originations == nil ? voice.v1 : voice.v2
        body.bytes.reserveCapacity(256 + rows.count * 96)
        body.raw("{\"country\":")
        body.string(country.name)
        body.raw(",\"inbound_call_prices\":[")
        for (index, typed) in voice.inbound.enumerated() {
            if index > 0 { body.raw(",") }
            body.prices(typed.price)
            body.raw(",\"number_type\":")
            body.string(typed.numberType)
            body.raw("}")
        }
        body.raw("],\"iso_country\":")
        body.string(country.iso2)
        body.raw(",\"outbound_prefix_prices\":[")
        // Rows of one list share their origination prefixes: written once per list.
        var origination: (scope: OriginScope, text: [UInt8])?
        for (index, row) in rows.enumerated() {
            if index > 0 { body.raw(",") }
            body.prices(row.price)
            if let originations {
                body.raw(",\"destination_prefixes\":")
                body.strings(row.destinations)
                body.raw(",\"friendly_name\":")
                body.string(row.friendlyName)
                if origination?.scope != row.origin {
                    var list = TwilioVoiceCountryBody()
                    list.strings(originations(row.origin))
                    origination = (row.origin, list.bytes)
                }
                body.raw(",\"origination_prefixes\":")
                body.bytes.append(contentsOf: origination!.text)
            } else {
                body.raw(",\"friendly_name\":")
                body.string(row.friendlyName)
                body.raw(",\"prefixes\":")
                body.strings(row.destinations)
            }
            body.raw("}")
        }
        body.raw("],\"price_unit\":")
        body.string(currency.rawValue)
        body.raw(",\"url\":")
        body.string(url)
        body.raw("}")
        return ByteBuffer(bytes: body.bytes)
    }

    /// Opens an object with its `base_price` and `current_price`.
    private mutating func prices(_ price: TwilioCatalog.Price) {
        raw("{\"base_price\":\"")
        bytes.append(contentsOf: price.base.plainText.utf8)
        raw("\",\"current_price\":\"")
        bytes.append(contentsOf: price.current.plainText.utf8)
        raw("\"")
    }

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func string(_ text: String) {
        if JSONText.needsEscape(text) {
            bytes.append(contentsOf: JSONText.quoted(text).utf8)
        } else {
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: text.utf8)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    private mutating func strings(_ list: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, text) in list.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(text)
        }
        bytes.append(UInt8(ascii: "]"))
    }
}
