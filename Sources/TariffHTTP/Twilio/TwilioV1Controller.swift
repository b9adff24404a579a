import Foundation
import Hummingbird
import NIOCore
import TariffCore

/// Twilio Pricing v1 (`pricing.twilio.com/v1`): outbound and inbound SMS per country, voice per
/// country and per number, and monthly number prices per country, with the container resources
/// that link them (wire-formats §3).
struct TwilioV1Controller<Context: RequestContext> {
    let pricing: TwilioPricing

    func addRoutes(to router: Router<Context>) {
        let middleware = ErrorMappingMiddleware<Context>.twilio.counting(into: pricing.state.metrics)
        let messaging = router.group("v1/Messaging").add(middleware: middleware)
        messaging.get { request, _ in try await container(request, name: "messaging", path: "/v1/Messaging", links: ["countries"]) }
        messaging.get("Countries") { request, _ in try await countries(request, path: "/v1/Messaging/Countries") { $0.messagingCountries } }
        messaging.get("Countries/:iso") { request, context in try await messagingCountry(request, iso: try context.parameters.require("iso")) }
        messaging.answerTwilioNotFound(besides: ["", "Countries", "Countries/:iso"])

        let voice = router.group("v1/Voice").add(middleware: middleware)
        voice.get { request, _ in try await container(request, name: "voice", path: "/v1/Voice", links: ["countries", "numbers"]) }
        voice.get("Countries") { request, _ in try await countries(request, path: "/v1/Voice/Countries") { $0.voiceCountries } }
        voice.get("Countries/:iso") { request, context in try await voiceCountry(request, iso: try context.parameters.require("iso")) }
        voice.get("Numbers/:number") { request, context in try await voiceNumber(request, text: try context.parameters.require("number")) }
        voice.answerTwilioNotFound(besides: ["", "Countries", "Countries/:iso", "Numbers/:number"])

        let numbers = router.group("v1/PhoneNumbers").add(middleware: middleware)
        numbers.get { request, _ in try await container(request, name: "phone_numbers", path: "/v1/PhoneNumbers", links: ["countries"]) }
        numbers.get("Countries") { request, _ in try await countries(request, path: "/v1/PhoneNumbers/Countries") { $0.phoneNumberCountries } }
        numbers.get("Countries/:iso") { request, context in try await phoneNumberCountry(request, iso: try context.parameters.require("iso")) }
        numbers.answerTwilioNotFound(besides: ["", "Countries", "Countries/:iso"])
    }

    func container(_ request: Request, name: String, path: String, links: [String]) async throws -> Response {
        _ = try await pricing.authorize(request)
        let url = pricing.url(request, path)
        return try TwilioEncoding.response(
            TwilioContainerBody(name: name, url: url, links: Dictionary(uniqueKeysWithValues: links.map { ($0, url + "/" + $0.capitalized) }))
        )
    }

    func countries(_ request: Request, path: String, listed: (TwilioCatalog) -> [Country]) async throws -> Response {
        let account = try await pricing.authorize(request)
        let paging = try TwilioPaging(request)
        let all = listed(try pricing.catalog(for: account).rendered.catalog)
        let base = pricing.url(request, path)
        let (slice, meta) = paging.slice(all, id: \.iso2, base: base, key: "countries")
        let items = slice.map { TwilioCountryItem(country: $0.name, isoCountry: $0.iso2, url: base + "/" + $0.iso2) }
        return try TwilioEncoding.response(TwilioCountryPage(countries: items, meta: meta))
    }

    /// A country's prices of one kind (`path`: its list), rendered once per catalog and URL;
    /// Twilio's 404 when the catalog has none of that kind for it.
    func country<Prices>(
        _ request: Request,
        iso: String,
        path: String,
        prices: (TwilioCatalog) -> [String: Prices],
        render: (_ country: Country, _ prices: Prices, _ catalog: TwilioCatalog, _ url: String) throws -> ByteBuffer
    ) async throws -> Response {
        let account = try await pricing.authorize(request)
        let rendered = try pricing.catalog(for: account).rendered
        let catalog = rendered.catalog
        guard let country = catalog.reference.country(iso), let found = prices(catalog)[country.iso2] else {
            throw TwilioError.notFound(request.uri.path)
        }
        let url = pricing.url(request, "\(path)/\(country.iso2)")
        return TwilioEncoding.response(try rendered.body(url) { try render(country, found, catalog, url) })
    }

    func messagingCountry(_ request: Request, iso: String) async throws -> Response {
        try await country(request, iso: iso, path: "/v1/Messaging/Countries", prices: \.messaging) { country, prices, catalog, url in
            try TwilioEncoding.json(
                TwilioMessagingCountryBody(
                    country: country.name,
                    isoCountry: country.iso2,
                    outboundSmsPrices: prices.outbound.map {
                        .init(carrier: $0.name, mcc: $0.mcc, mnc: $0.mnc, prices: $0.prices.map(TwilioTypedPriceBody.init))
                    },
                    inboundSmsPrices: prices.inbound.map(TwilioTypedPriceBody.init),
                    priceUnit: catalog.currency.rawValue,
                    url: url
                )
            )
        }
    }

    func voiceCountry(_ request: Request, iso: String, v2: Bool = false) async throws -> Response {
        try await country(request, iso: iso, path: v2 ? "/v2/Voice/Countries" : "/v1/Voice/Countries", prices: \.voice) {
            country,
            prices,
            catalog,
            url in
            TwilioVoiceCountryBody.render(
                country: country,
                voice: prices,
                currency: catalog.currency,
                url: url,
                originations: v2 ? { pricing.originationPrefixes($0, destination: country) } : nil
            )
        }
    }

    func voiceNumber(_ request: Request, text: String) async throws -> Response {
        let account = try await pricing.authorize(request)
        let number = try pricing.number(text, request: request)
        let (rendered, book, exchange) = try pricing.catalog(for: account)
        let catalog = rendered.catalog
        let quote: PriceQuote
        do { quote = try book.quote(number, product: .voiceOutbound, at: pricing.state.now(), nextChange: false) } catch {
            throw TwilioError.notFound(request.uri.path, because: error.description)
        }
        guard let country = quote.destination.country else { throw TwilioError.notFound(request.uri.path) }
        return try TwilioEncoding.response(
            TwilioVoiceNumberV1Body(
                number: number.e164,
                country: country.name,
                isoCountry: country.iso2,
                outboundCallPrice: TwilioPriceBody(try pricing.price(quote, in: catalog.currency, exchange: exchange)),
                inboundCallPrice: TwilioNullable(pricing.inboundPrice(for: quote.destination, in: catalog).map(TwilioTypedPriceBody.init)),
                priceUnit: catalog.currency.rawValue,
                url: pricing.url(request, "/v1/Voice/Numbers/\(number.e164)")
            )
        )
    }

    func phoneNumberCountry(_ request: Request, iso: String) async throws -> Response {
        try await country(request, iso: iso, path: "/v1/PhoneNumbers/Countries", prices: \.phoneNumbers) { country, prices, catalog, url in
            try TwilioEncoding.json(
                TwilioPhoneNumberCountryBody(
                    country: country.name,
                    isoCountry: country.iso2,
                    phoneNumberPrices: prices.map(TwilioTypedPriceBody.init),
                    priceUnit: catalog.currency.rawValue,
                    url: url
                )
            )
        }
    }
}
