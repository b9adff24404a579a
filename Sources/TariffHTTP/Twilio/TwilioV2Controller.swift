import Hummingbird
import TariffCore

/// Twilio Pricing v2 voice: prices by where a call comes from as well as where it goes, which
/// is what Tariff's origin lists are (domestic, EEA, international, any origin).
struct TwilioV2Controller<Context: RequestContext> {
    let pricing: TwilioPricing
    let v1: TwilioV1Controller<Context>

    init(pricing: TwilioPricing) {
        self.pricing = pricing
        v1 = TwilioV1Controller(pricing: pricing)
    }

    func addRoutes(to router: Router<Context>) {
        let middleware = ErrorMappingMiddleware<Context>.twilio.counting(into: pricing.state.metrics)
        let voice = router.group("v2/Voice").add(middleware: middleware)
        voice.get { request, _ in try await v1.container(request, name: "voice", path: "/v2/Voice", links: ["countries", "numbers"]) }
        voice.get("Countries") { request, _ in try await v1.countries(request, path: "/v2/Voice/Countries") { $0.voiceCountries } }
        voice.get("Countries/:iso") { request, context in try await v1.voiceCountry(request, iso: try context.parameters.require("iso"), v2: true) }
        voice.get("Numbers/:number") { request, context in try await number(request, text: try context.parameters.require("number")) }
        voice.answerTwilioNotFound(besides: ["", "Countries", "Countries/:iso", "Numbers/:number"])
        // Elastic SIP trunking has no product in Tariff's decks: its routes answer Twilio's 404.
        router.group("v2/Trunking").add(middleware: middleware).answerTwilioNotFound(besides: [])
    }

    /// One price for the list a call from `OriginationNumber` takes, or without it one per
    /// list that prices the number (domestic, EEA, international, any origin).
    func number(_ request: Request, text: String) async throws -> Response {
        let account = try await pricing.authorize(request)
        let destination = try pricing.number(text, request: request)
        var origin: PhoneNumber?
        if let given = request.uri.queryParameters["OriginationNumber"] {
            guard let parsed = TwilioPricing.phoneNumber(String(given)) else {
                throw TwilioError.invalidParameter("OriginationNumber must be a phone number in E.164 form")
            }
            origin = parsed
        }
        let (rendered, book, exchange) = try pricing.catalog(for: account)
        let catalog = rendered.catalog
        let now = pricing.state.now()
        let info = book.reference.classify(destination.key)
        guard let country = info.country else { throw TwilioError.notFound(request.uri.path, because: "no country has this number") }
        // The lists are read one by one below, without the quote's check: a number its country
        // cannot have gets v1's answer here too.
        guard book.reference.hasPossibleLength(destination, info: info) else {
            throw TwilioError.notFound(request.uri.path, because: "\(destination.e164) is not a possible number of \(country.iso2)")
        }
        var prices: [TwilioVoiceNumberV2Body.CallPrice] = []
        func add(_ scope: OriginScope, _ price: TwilioCatalog.Price) {
            prices.append(
                .init(
                    originationPrefixes: pricing.originationPrefixes(scope, destination: country),
                    basePrice: price.base.plainText,
                    currentPrice: price.current.plainText
                )
            )
        }
        if let origin {
            let quote: PriceQuote
            do {
                quote = try book.quote(destination, product: .voiceOutbound, from: .number(origin), at: now, nextChange: false)
            } catch .unknownOrigin {
                throw TwilioError.invalidParameter("OriginationNumber \(origin.e164) is not a number of a known country")
            } catch {
                throw TwilioError.notFound(request.uri.path, because: error.description)
            }
            add(quote.list, try pricing.price(quote, in: catalog.currency, exchange: exchange))
        } else {
            for scope in [OriginScope.domestic, .eea, .international, .any] {
                guard let current = book.rate(for: destination, product: .voiceOutbound, list: scope, at: now)?.terms,
                    let base = book.book.rate(for: destination, product: .voiceOutbound, list: scope, at: now)?.terms
                else { continue }
                add(
                    scope,
                    try pricing.price(
                        base: Money(base.price, base.currency),
                        current: Money(current.price, current.currency),
                        in: catalog.currency,
                        exchange: exchange
                    )
                )
            }
        }
        guard !prices.isEmpty else { throw TwilioError.notFound(request.uri.path, because: "no voice price for \(destination.e164)") }
        return try TwilioEncoding.response(
            TwilioVoiceNumberV2Body(
                destinationNumber: destination.e164,
                originationNumber: TwilioNullable(origin?.e164),
                country: country.name,
                isoCountry: country.iso2,
                outboundCallPrices: prices,
                inboundCallPrice: TwilioNullable(pricing.inboundPrice(for: info, in: catalog).map(TwilioTypedPriceBody.init)),
                priceUnit: catalog.currency.rawValue,
                url: pricing.url(request, "/v2/Voice/Numbers/\(destination.e164)")
            )
        )
    }
}
