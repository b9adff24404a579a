import Foundation
import NIOCore
import TariffCore
import TariffStore

extension VoximplantPlatform {
    /// GetPhoneNumberCategories: per country the categories of numbers on offer, each with its
    /// NRC (`phone_installation_price`), MRC (`phone_price`) and the resource that prices calls to it.
    func phoneNumberCategories(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let countries = try parameters.list("country_code").map { try $0.map { code throws(VoximplantError) in try country(code, "country_code") } }
        if let sandbox = parameters.string("sandbox"), sandbox != "all" { _ = try parameters.bool("sandbox") }
        let catalog = try numberCatalog(for: account)
        let reference = state.reference
        let stock = try await state.store.numbers.stockCounts()
        let stocked = Set(stock.filter { $0.value > 0 }.keys.map(\.country))
        let result = (countries?.map(\.iso2) ?? catalog.countries).compactMap { iso -> PhoneNumberCountryBody? in
            let categories = catalog.categories(of: iso)
            guard !categories.isEmpty, let country = reference.country(iso) else { return nil }
            return PhoneNumberCountryBody(
                countryCode: iso,
                localizedCountryName: country.name,
                phonePrefix: country.callingCode ?? "",
                canListPhoneNumbers: stocked.contains(iso),
                emergencyCallsToBeEnabled: false,
                phoneCategories: categories.map { category in
                    .init(
                        phoneCategoryName: category.name,
                        countryHasStates: false,
                        localizedCountryName: country.name,
                        localizedPhoneCategoryName: NumberCatalog.displayName(category: category.name),
                        localizedPhoneRegionName: category.headline.key.regionCode == nil ? "" : regionName(category.headline, country),
                        phoneInstallationPrice: category.headline.installation.decimal,
                        phonePrice: category.headline.monthly.decimal,
                        incomingCallsResourceName: category.headline.incomingResource
                    )
                }
            )
        }
        return try VoximplantEncoding.json(ResultBody(result: result))
    }

    /// GetPhoneNumberRegions: the regions of one country and category with their prices, in the
    /// price list's currency (`local_*`), the account's (`account_*`) and under the older names.
    func phoneNumberRegions(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let country = try country(try parameters.required("country_code"), "country_code")
        let categoryName = try parameters.required("phone_category_name").uppercased()
        _ = try parameters.bool("omit_empty")
        let regionID = try parameters.int("phone_region_id")
        let regionName = parameters.string("phone_region_name").map(NamePattern.init)
        let regionCode = parameters.string("phone_region_code")
        let catalog = try numberCatalog(for: account)
        let category = catalog.categories(of: country.iso2).first { $0.name == categoryName }
        let stock = try await state.store.numbers.stockCounts()
        var result: [PhoneNumberRegionBody] = []
        for offer in category?.regions ?? [] {
            let name = self.regionName(offer, country)
            if let regionID, offer.id != regionID { continue }
            if let regionName, !regionName.matches(name) { continue }
            if let regionCode, offer.key.regionCode != regionCode { continue }
            result.append(
                PhoneNumberRegionBody(
                    phoneRegionId: offer.id,
                    phoneRegionName: name,
                    phoneRegionCode: offer.key.regionCode ?? "",
                    // A region priced for the whole country counts every number of the category.
                    phoneCount: offer.key.regionCode == nil
                        ? stock.filter { $0.key.country == offer.key.country && $0.key.category == offer.key.category }.values.reduce(0, +)
                        : stock[offer.key] ?? 0,
                    phonePeriod: Self.monthly,
                    isSmsSupported: categoryName == "MOBILE",
                    isNeedRegulationAddress: false,
                    verificationStatus: "NOT_REQUIRED",
                    requiredVerification: nil,
                    multipleNumbersPrice: [],
                    localizedCountryName: country.name,
                    localizedPhoneCategoryName: NumberCatalog.displayName(category: categoryName),
                    localizedPhoneRegionName: name,
                    phoneInstallationTaxReserve: 0,
                    phoneTaxReserve: 0,
                    localPrice: offer.terms.monthly.decimal,
                    localInstallationPrice: offer.terms.installation.decimal,
                    localCurrency: offer.terms.currency.rawValue,
                    accountPrice: offer.monthly.decimal,
                    accountInstallationPrice: offer.installation.decimal,
                    accountCurrency: catalog.currency.rawValue,
                    phonePrice: offer.monthly.decimal,
                    phoneInstallationPrice: offer.installation.decimal
                )
            )
        }
        return try VoximplantEncoding.json(ResultBody(result: result))
    }

    /// GetSubscriptionPrice: every subscription price as a template (`PHONE_NUM` for numbers,
    /// then the deck's SIP registrations and plans by their own types), paged by
    /// `count` and `offset`; amounts in the account's currency and in the price list's.
    func subscriptionPrice(_ parameters: PlatformParameters, account: Account) throws -> ByteBuffer {
        let ids = try parameters.ids("subscription_template_id")
        let type = parameters.string("subscription_template_type")?.uppercased()
        let pattern = parameters.string("subscription_template_name").map(NamePattern.init)
        let count = try parameters.int("count", in: 1...Int(Int32.max))
        let offset = try parameters.int("offset") ?? 0
        let catalog = try numberCatalog(for: account)
        var templates: [SubscriptionTemplateBody] = []
        for offer in catalog.offers where type == nil || type == "PHONE_NUM" {
            let name = "Phone \(offer.key.country) \(offer.key.category)" + (offer.key.regionCode.map { " \($0)" } ?? "")
            if let ids, !ids.contains(offer.id) { continue }
            if let pattern, !pattern.matches(name) { continue }
            templates.append(
                SubscriptionTemplateBody(
                    subscriptionTemplateId: offer.id,
                    subscriptionTemplateType: "PHONE_NUM",
                    subscriptionTemplateName: name,
                    currency: offer.terms.currency.rawValue,
                    currencyId: state.reference.currencies.all[offer.terms.currency].flatMap { Int($0.numeric) },
                    installationPrice: offer.installation.decimal,
                    price: offer.monthly.decimal,
                    installationPriceInCurrency: offer.terms.installation.decimal,
                    priceInCurrency: offer.terms.monthly.decimal,
                    period: Self.monthly,
                    requiredVerification: "NOT_REQUIRED",
                    verificationStatus: "NOT_REQUIRED",
                    installationTaxReserve: 0,
                    taxReserve: 0
                )
            )
        }
        for offer in catalog.templates where type == nil || type == offer.terms.type {
            if let ids, !ids.contains(offer.id) { continue }
            if let pattern, !pattern.matches(offer.terms.displayName) { continue }
            templates.append(
                SubscriptionTemplateBody(
                    subscriptionTemplateId: offer.id,
                    subscriptionTemplateType: offer.terms.type,
                    subscriptionTemplateName: offer.terms.displayName,
                    currency: offer.terms.currency.rawValue,
                    currencyId: state.reference.currencies.all[offer.terms.currency].flatMap { Int($0.numeric) },
                    installationPrice: offer.installation.decimal,
                    price: offer.monthly.decimal,
                    installationPriceInCurrency: offer.terms.installation.decimal,
                    priceInCurrency: offer.terms.monthly.decimal,
                    period: Self.monthly,
                    requiredVerification: "NOT_REQUIRED",
                    verificationStatus: "NOT_REQUIRED",
                    installationTaxReserve: 0,
                    taxReserve: 0
                )
            )
        }
        let page = Array(templates.dropFirst(offset).prefix(count ?? templates.count))
        return try VoximplantEncoding.json(SubscriptionPriceBody(result: page, totalCount: templates.count, count: page.count))
    }

    /// Voximplant's period notation: one month.
    static let monthly = "0-1-0 0:0:0"

    func regionName(_ offer: NumberCatalog.Offer, _ country: Country) -> String {
        if let name = offer.terms.regionName, !name.isEmpty { return name }
        return offer.key.regionCode.map { "\(country.name) \($0)" } ?? country.name
    }

    /// An ISO 3166-1 alpha-2 code the reference data knows.
    func country(_ code: String, _ parameter: String) throws(VoximplantError) -> Country {
        guard code.count == 2, let country = state.reference.country(code) else {
            throw .invalidArgument(parameter, "'\(code)' is not an ISO 3166-1 alpha-2 country code")
        }
        return country
    }
}
