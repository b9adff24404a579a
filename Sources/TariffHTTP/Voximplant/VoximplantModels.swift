import Foundation
import TariffCore

// The bodies of the platform API (wire-formats.md §2.5 and 7(b)). Property names become
// snake_case on the wire; money is a JSON number, exact.

struct ResultBody<Result: Encodable>: Encodable {
    let result: Result
}

struct ResourcePriceBody: Encodable {
    let resourceType: String
    let priceGroups: [PriceGroupBody]
}

struct PriceGroupBody: Encodable {
    let priceGroupName: String
    let priceGroupId: Int
    let price: Decimal
    let numResourcesPerPrice: Int
    let quantum: Int
    let params: Params
    /// Not in any SDK structure, but the seed's guide reads it; Node and Go ignore it.
    let countryCode: String
    /// Tariff's own: charged once per answered call, on top of `price` (absent when none).
    let connectFee: Decimal?

    struct Params: Encodable {
        let allowed: [String]
        let requested: [String]?
    }
}

struct PhoneNumberCountryBody: Encodable {
    let countryCode: String
    let localizedCountryName: String
    let phonePrefix: String
    let canListPhoneNumbers: Bool
    let emergencyCallsToBeEnabled: Bool
    let phoneCategories: [Category]

    struct Category: Encodable {
        let phoneCategoryName: String
        let countryHasStates: Bool
        let localizedCountryName: String
        let localizedPhoneCategoryName: String
        let localizedPhoneRegionName: String
        // Read by the official billing guide and the seed, though no SDK type declares them.
        let phoneInstallationPrice: Decimal
        let phonePrice: Decimal
        let incomingCallsResourceName: String
    }
}

struct PhoneNumberRegionBody: Encodable {
    let phoneRegionId: Int
    let phoneRegionName: String
    let phoneRegionCode: String
    /// Numbers in stock: Tariff keeps prices, not numbers.
    let phoneCount: Int
    let phonePeriod: String
    let isSmsSupported: Bool
    let isNeedRegulationAddress: Bool
    let verificationStatus: String
    let requiredVerification: String?
    let multipleNumbersPrice: [String]
    let localizedCountryName: String
    let localizedPhoneCategoryName: String
    let localizedPhoneRegionName: String
    let phoneInstallationTaxReserve: Decimal
    let phoneTaxReserve: Decimal
    // In the price list's currency, then in the account's.
    let localPrice: Decimal
    let localInstallationPrice: Decimal
    let localCurrency: String
    let accountPrice: Decimal
    let accountInstallationPrice: Decimal
    let accountCurrency: String
    // The names before December 2023, in the account's currency.
    let phonePrice: Decimal
    let phoneInstallationPrice: Decimal
}

struct SubscriptionTemplateBody: Encodable {
    let subscriptionTemplateId: Int
    let subscriptionTemplateType: String
    let subscriptionTemplateName: String
    /// The price list's currency, and its ISO 4217 number for the Go SDK's `currency_id`.
    let currency: String
    let currencyId: Int?
    // In the account's currency, then in `currency`.
    let installationPrice: Decimal
    let price: Decimal
    let installationPriceInCurrency: Decimal
    let priceInCurrency: Decimal
    let period: String
    let requiredVerification: String
    let verificationStatus: String
    let installationTaxReserve: Decimal
    let taxReserve: Decimal
}

struct SubscriptionPriceBody: Encodable {
    let result: [SubscriptionTemplateBody]
    let totalCount: Int
    let count: Int
}

struct AccountInfoBody: Encodable {
    let result: Info
    let apiAddress: String

    struct Info: Encodable {
        let accountId: Int64
        let accountName: String
        let accountEmail: String
        let created: String
        let languageCode: String
        let location: String
        let active: Bool
        let frozen: Bool
        let balance: Decimal
        let creditLimit: Decimal
        let currency: String
        let minBalanceToNotify: Decimal
        let accountNotifications: Bool
        let tariffChangingNotifications: Bool
        let newsNotifications: Bool
        let supportRobokassa: Bool
        let supportBankCard: Bool
        let supportInvoice: Bool
        let sendJsError: Bool
    }
}

struct TransactionHistoryBody: Encodable {
    struct Transaction: Encodable {
        let transactionId: Int64
        let accountId: String
        let performedAt: String
        let amount: Decimal
        let currency: String
        let transactionType: String
        let transactionDescription: String?
    }

    let result: [Transaction]
    let totalCount: Int
    let count: Int
    let timezone: String
}

extension Amount {
    /// The exact value as a JSON number.
    var decimal: Decimal { Decimal(string: plainText) ?? 0 }
}
