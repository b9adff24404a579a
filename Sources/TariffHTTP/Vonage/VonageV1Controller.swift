import Foundation
import Hummingbird
import NIOCore
import TariffCore
import TariffStore

/// Vonage Pricing API v1 and the account balance, in all the forms the SDKs still call:
/// typed and untyped paths, credentials in the query, a Basic header or the path.
struct VonageV1Controller<Context: RequestContext> {
    let pricing: VonagePricing
    var hot: VonageHotRoutes { VonageHotRoutes(pricing: pricing) }

    func addRoutes(to router: Router<Context>) {
        // The router needs one parameter name per position: `p1`... stand for whatever the
        // form puts there (a product, a key, a secret, a country, a prefix, a number).
        let account = router.group("account").add(middleware: ErrorMappingMiddleware.vonageV1.counting(into: pricing.state.metrics))
        var paths: [RouterPath] = []
        func get(_ path: RouterPath, use handler: @escaping @Sendable (Request, Context) async throws -> Response) {
            account.get(path, use: handler)
            paths.append(path)
        }
        // Country pricing: typed; untyped with credentials in the query or the path; typed with them in the path.
        get("get-pricing/outbound/:p1") { request, context in
            try await countryPricing(request, type: try Self.segments(context, 1)[0])
        }
        get("get-pricing/outbound") { request, _ in try await legacyCountryPricing(request) }
        get("get-pricing/outbound/:p1/:p2/:p3") { request, context in
            let p = try Self.segments(context, 3)
            return try await legacyCountryPricing(request, path: (p[0], p[1], p[2]))
        }
        get("get-pricing/outbound/:p1/:p2/:p3/:p4") { request, context in
            let p = try Self.segments(context, 4)
            return try await countryPricing(request, type: p[0], path: (p[1], p[2]), country: p[3])
        }
        // All countries.
        get("get-full-pricing/outbound/:p1") { request, context in
            try await fullPricing(request, type: try Self.segments(context, 1)[0])
        }
        // Prefix pricing.
        get("get-prefix-pricing/outbound/:p1") { request, context in
            try await prefixPricing(request, type: try Self.segments(context, 1)[0])
        }
        get("get-prefix-pricing/outbound") { request, _ in try await legacyPrefixPricing(request) }
        get("get-prefix-pricing/outbound/:p1/:p2/:p3") { request, context in
            let p = try Self.segments(context, 3)
            return try await legacyPrefixPricing(request, path: (p[0], p[1], p[2]))
        }
        // Phone-number pricing.
        get("get-phone-pricing/outbound/:p1") { request, context in
            try await phonePricing(request, type: try Self.segments(context, 1)[0])
        }
        get("get-phone-pricing/outbound/:p1/:p2/:p3/:p4") { request, context in
            let p = try Self.segments(context, 4)
            return try await phonePricing(request, type: p[0], path: (p[1], p[2]), phone: p[3])
        }
        // Balance.
        get("get-balance") { request, _ in try await balance(request) }
        get("get-balance/:p1/:p2") { request, context in
            let p = try Self.segments(context, 2)
            return try await balance(request, path: (p[0], p[1]))
        }
        account.answerVonageNotFound(besides: paths)
    }

    /// The first `count` positional path parameters.
    static func segments(_ context: Context, _ count: Int) throws -> [String] {
        try (1...count).map { try context.parameters.require("p\($0)") }
    }

    // MARK: Handlers

    func countryPricing(_ request: Request, type: String, path: (String, String)? = nil, country: String? = nil) async throws -> Response {
        let query = VonageHotRoutes.Query(
            route: .country,
            type: type,
            head: request.head,
            uri: request.uri,
            pathCredentials: path,
            pathValue: country
        )
        return try await hot.respond(query)
    }

    func fullPricing(_ request: Request, type: String) async throws -> Response {
        guard let product = VonageCatalog.product(v1: type) else { throw VonageError.notFound }
        let account = try await pricing.authorize(.from(request), group: .pricing)
        let catalog = try pricing.catalog(product, for: account)
        let xml = VonageFormat.wantsXML(request)
        let body = try catalog.body("full|\(xml)") {
            try Self.list(catalog.catalog.countries, currency: account.currency, xml: xml)
        }
        return VonageEncoding.response(body, xml: xml)
    }

    func prefixPricing(_ request: Request, type: String) async throws -> Response {
        guard let product = VonageCatalog.product(v1: type) else { throw VonageError.notFound }
        let account = try await pricing.authorize(.from(request), group: .pricing)
        let prefix = try Self.prefix(Self.required(request, "prefix"))
        let catalog = try pricing.catalog(product, for: account)
        let xml = VonageFormat.wantsXML(request)
        let body = try catalog.body("prefix|\(prefix)|\(xml)") {
            try Self.list(catalog.catalog.countries(callingCode: prefix), currency: account.currency, xml: xml)
        }
        return VonageEncoding.response(body, xml: xml)
    }

    /// The untyped country form: SMS prices in the legacy shape.
    func legacyCountryPricing(_ request: Request, path: (String, String, String)? = nil) async throws -> Response {
        let account = try await pricing.authorize(.from(request, pathKey: path?.0, pathSecret: path?.1), group: .pricing)
        let iso = try path?.2 ?? Self.required(request, "country")
        let catalog = try pricing.catalog(.smsOutbound, for: account)
        guard let prices = catalog.catalog.country(iso) else {
            throw VonageError.badRequest(parameter: "country", message: "Is not a valid ISO 3166-1 alpha-2 country code")
        }
        let xml = VonageFormat.wantsXML(request)
        let body = try catalog.body("legacy-country|\(prices.country.iso2)|\(xml)") {
            let json = VonageV1.LegacyCountry(prices)
            return xml ? try VonageEncoding.xml(VonageV1XML.LegacyCountry(json), root: "outbound-country-pricing") : try VonageEncoding.json(json)
        }
        return VonageEncoding.response(body, xml: xml)
    }

    /// The untyped prefix form: `{"count": n, "prices": [legacy countries]}`.
    func legacyPrefixPricing(_ request: Request, path: (String, String, String)? = nil) async throws -> Response {
        let account = try await pricing.authorize(.from(request, pathKey: path?.0, pathSecret: path?.1), group: .pricing)
        let prefix = try Self.prefix(path?.2 ?? Self.required(request, "prefix"))
        let catalog = try pricing.catalog(.smsOutbound, for: account)
        let xml = VonageFormat.wantsXML(request)
        let body = try catalog.body("legacy-prefix|\(prefix)|\(xml)") {
            let countries = catalog.catalog.countries(callingCode: prefix).map(VonageV1.LegacyCountry.init)
            let json = VonageV1.LegacyPrefixList(count: countries.count, prices: countries)
            return xml
                ? try VonageEncoding.xml(
                    VonageV1XML.LegacyPrefixList(count: json.count, prices: json.prices.map(VonageV1XML.LegacyCountry.init)),
                    root: "outbound-pricing"
                )
                : try VonageEncoding.json(json)
        }
        return VonageEncoding.response(body, xml: xml)
    }

    func phonePricing(_ request: Request, type: String, path: (String, String)? = nil, phone: String? = nil) async throws -> Response {
        let query = VonageHotRoutes.Query(route: .phone, type: type, head: request.head, uri: request.uri, pathCredentials: path, pathValue: phone)
        return try await hot.respond(query)
    }

    /// The balance: zero until billing keeps one. `value` is a JSON number.
    func balance(_ request: Request, path: (String, String)? = nil) async throws -> Response {
        let account = try await pricing.authorize(.from(request, pathKey: path?.0, pathSecret: path?.1), balance: true, group: .balance)
        // The ledger's balance, in the account's currency, written as Vonage writes money.
        guard let money = try await pricing.state.store.ledger.balance(accountID: account.id) else { throw VonageError.unknownError }
        let value = money.balance.fixedText
        if VonageFormat.wantsXML(request) {
            return VonageEncoding.response(
                try VonageEncoding.xml(VonageV1XML.Balance(value: value, autoReload: false), root: "accountBalance"),
                xml: true
            )
        }
        return VonageEncoding.response(ByteBuffer(string: "{\"value\":\(value),\"autoReload\":false}"), xml: false)
    }

    // MARK: Helpers

    static func list(_ countries: [VonageCatalog.CountryPrices], currency: CurrencyCode, xml: Bool) throws -> ByteBuffer {
        let json = VonageV1.CountryList(count: countries.count, countries: countries.map { VonageV1.Country($0, currency: currency) })
        guard xml else { return try VonageEncoding.json(json) }
        return try VonageEncoding.xml(
            VonageV1XML.CountryList(count: json.count, countries: .init(country: json.countries.map(VonageV1XML.Country.init))),
            root: "outbound-pricing"
        )
    }

    static func required(_ request: Request, _ name: String) throws -> String {
        guard let value = request.uri.queryParameters.get(name), !value.isEmpty else {
            throw VonageError.badRequest(parameter: name, message: "Is required")
        }
        return value
    }

    static func prefix(_ text: String) throws -> String {
        let digits = text.hasPrefix("+") ? String(text.dropFirst()) : text
        guard !digits.isEmpty, digits.count <= 4, digits.allSatisfy(\.isNumber) else {
            throw VonageError.badRequest(parameter: "prefix", message: "Is not a valid dialing prefix")
        }
        return digits
    }

    /// The MCCMNC that priced a number, or a pseudo-network code (`GB-FIXED`).
    static func networkCode(_ quote: PriceQuote) -> String {
        if case .network(let code, _) = quote.match { return code }
        if let network = quote.rate.key.network { return network }
        if let network = quote.destination.network { return network.mccmnc }
        let iso = quote.destination.country?.iso2 ?? ""
        return iso + "-" + (quote.destination.numberType ?? .landline).pseudoNetworkSuffix
    }
}
