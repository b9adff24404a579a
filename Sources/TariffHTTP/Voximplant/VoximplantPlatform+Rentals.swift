import Foundation
import NIOCore
import TariffCore
import TariffStore

/// Renting numbers as Voximplant's SDKs do: GetNewPhoneNumbers, AttachPhoneNumber,
/// GetPhoneNumbers, DeactivatePhoneNumber and GetMoneyAmountToCharge. `phone_id` is the
/// number's id in Tariff's stock, the same in every method.
extension VoximplantPlatform {
    /// The region code a `phone_region_id` names (GetPhoneNumberRegions' ids); nil for 0 or none.
    func regionCode(_ parameters: PlatformParameters, country: String, category: String, account: Account) throws -> String?? {
        guard let id = try parameters.int("phone_region_id"), id != 0 else { return .some(nil) }
        let offer = try numberCatalog(for: account).offers.first { $0.id == id && $0.key.country == country && $0.key.category == category }
        guard let offer else { return nil }
        return .some(offer.key.regionCode)
    }

    /// GetNewPhoneNumbers: numbers in stock, with their fees in the account's currency.
    func newPhoneNumbers(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let country = try parameters.string("country_code").map { try self.country($0, "country_code").iso2 }
        let category = parameters.string("phone_category_name")?.uppercased()
        var regionCode: String?
        if let country, let category {
            guard let code = try self.regionCode(parameters, country: country, category: category, account: account) else {
                throw VoximplantError(code: 242, message: "Invalid argument 'phone_region_id': no such region of \(country) \(category)")
            }
            regionCode = code
        }
        let count = try parameters.int("count", in: 1...1000) ?? 20
        let offset = try parameters.int("offset") ?? 0
        var prefix: String?
        if let mask = parameters.string("phone_number_mask") {
            // `123*`: numbers starting with 123 (the form the docs show); other masks are refused
            // rather than answered wrongly.
            let digits = mask.hasSuffix("*") ? String(mask.dropLast()) : mask
            guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw VoximplantError.invalidArgument("phone_number_mask", "only digits followed by '*' are supported")
            }
            prefix = digits
        }
        let (numbers, total) = try await state.store.numbers.available(
            StockFilter(country: country, category: category, regionCode: regionCode, prefix: prefix, limit: count, offset: offset)
        )
        let catalog = try numberCatalog(for: account)
        let result = numbers.compactMap { number -> NewPhoneInfoBody? in
            guard let fees = try? state.subscriptionFees(for: number, account: account) else { return nil }
            let offer =
                catalog.offers.first { $0.key == number.priceKey }
                ?? catalog.offers.first { $0.key.country == number.country && $0.key.category == number.category && $0.key.regionCode == nil }
            let countryInfo = state.reference.country(number.country)
            return NewPhoneInfoBody(
                phoneId: number.id,
                phoneNumber: number.number.digits,
                phonePrice: fees.monthly.decimal,
                phoneInstallationPrice: fees.installation.decimal,
                phoneCountryCode: number.country,
                phonePeriod: Self.monthly,
                phoneCategoryName: number.category,
                phoneRegionName: offer.flatMap { offer in countryInfo.map { regionName(offer, $0) } } ?? "",
                phoneInstallationTaxReserve: 0,
                phoneTaxReserve: 0
            )
        }
        return try VoximplantEncoding.json(ListBody(result: result, totalCount: total, count: result.count))
    }

    /// AttachPhoneNumber: rents the numbers named (`phone_number`) or `phone_count` numbers of a
    /// country, category and region, charging each one's installation fee and first month.
    func attachPhoneNumber(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let numbers = parameters.list("phone_number")
        let count = try parameters.int("phone_count", in: 0...RentalRequest.maxCount)
        let selection: RentalRequest.Selection
        switch (numbers, count) {
        case (.some, .some(let count)) where count > 0:
            throw VoximplantError(code: 101, message: "Invalid arguments: phone_count or phone_number, not both")
        case (.some(let numbers), _):
            guard numbers.count <= RentalRequest.maxCount else {
                throw VoximplantError(code: 243, message: "Invalid argument 'phone_number': too many")
            }
            selection = .numbers(
                try numbers.map { text in
                    do { return try PhoneNumber(parsing: text.hasPrefix("+") ? text : "+" + text) } catch {
                        throw VoximplantError(code: 121, message: "Invalid phone number '\(text)'")
                    }
                }
            )
        case (nil, .some(let count)) where count > 0:
            let country = try self.country(try parameters.required("country_code"), "country_code").iso2
            let category = try parameters.required("phone_category_name").uppercased()
            guard let regionCode = try self.regionCode(parameters, country: country, category: category, account: account) else {
                throw VoximplantError(code: 242, message: "Invalid argument 'phone_region_id': no such region of \(country) \(category)")
            }
            selection = .count(count, country: country, category: category, regionCode: regionCode)
        default:
            throw VoximplantError(
                code: 101,
                message: "Invalid arguments: phone_count (with country_code, phone_category_name, phone_region_id) or phone_number is required"
            )
        }
        do {
            let rented = try await state.rent(selection, for: account)
            return try VoximplantEncoding.json(
                AttachBody(
                    result: 1,
                    phoneNumbers: rented.map { .init(phoneId: $0.subscription.number.id, phoneNumber: $0.subscription.number.number.digits) }
                )
            )
        } catch let error as NumberError {
            throw VoximplantError(error)
        }
    }

    /// GetPhoneNumbers: the account's numbers (given-back ones until their paid period ends).
    func phoneNumbers(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        var query = SubscriptionQuery(accountID: account.id, states: [.active, .suspended, .cancelled])
        query.numberIDs = try parameters.ids("phone_id").map { $0.map(Int64.init).sorted() }
        query.numbers = parameters.list("phone_number").map { $0.map { $0.hasPrefix("+") ? String($0.dropFirst()) : $0 } }
        query.country = parameters.list("country_code")?.first?.uppercased()
        query.category = parameters.list("phone_category_name")?.first?.uppercased()
        if let deactivated = try parameters.bool("deactivated") {
            query.states = deactivated ? [.suspended] : [.active, .cancelled]
        }
        if let canceled = try parameters.bool("canceled") {
            query.states = (query.states ?? []).intersection(canceled ? [.cancelled] : [.active, .suspended])
        }
        if let autoCharge = try parameters.bool("auto_charge"), !autoCharge { query.states = [] }
        query.renewalFrom = try Self.day(parameters, "from_phone_next_renewal")
        query.renewalUntil = try Self.day(parameters, "to_phone_next_renewal")?.adding(seconds: 86_400)
        query.limit = try parameters.int("count", in: 1...1000) ?? 20
        query.offset = try parameters.int("offset") ?? 0
        let (subscriptions, total) = try await state.store.numbers.subscriptions(query)
        let catalog = try numberCatalog(for: account)
        let result = subscriptions.map { subscription in
            let number = subscription.number
            let offer = catalog.offers.first { $0.key == number.priceKey }
            return AttachedPhoneInfoBody(
                phoneId: number.id,
                phoneNumber: number.number.digits,
                phonePrice: subscription.monthly.decimal,
                phoneCountryCode: number.country,
                activationStatus: subscription.state == .suspended ? "DEACTIVATED" : "ACTIVE",
                phoneNextRenewal: subscription.paidUntil.date,
                phonePurchaseDate: subscription.startedAt.spaceSeparated,
                deactivated: subscription.state == .suspended,
                canceled: subscription.state == .cancelled,
                autoCharge: true,
                categoryName: number.category,
                canBeUsed: subscription.state != .suspended,
                isSmsSupported: number.category == "MOBILE",
                isSmsEnabled: false,
                emergencyCallsToBeEnabled: false,
                emergencyCallsEnabled: false,
                subscriptionId: subscription.id,
                phoneRegionName: offer.flatMap { offer in state.reference.country(number.country).map { regionName(offer, $0) } },
                modified: subscription.startedAt.spaceSeparated,
                verificationStatus: "VERIFIED"
            )
        }
        return try VoximplantEncoding.json(ListBody(result: result, totalCount: total, count: result.count))
    }

    /// DeactivatePhoneNumber: gives numbers back; no refund, kept until the paid period ends.
    func deactivatePhoneNumber(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let ids = parameters.list("phone_id")
        let numbers = parameters.list("phone_number")
        var query = SubscriptionQuery(accountID: account.id, states: [.active, .suspended], limit: RentalRequest.maxCount)
        switch (ids, numbers) {
        case (.some, .some), (nil, nil):
            throw VoximplantError(code: 101, message: "Invalid arguments: phone_id or phone_number, one of them")
        case (.some(let ids), nil):
            if ids != ["all"] {
                query.numberIDs = try ids.map { text in
                    guard let id = Int64(text), id > 0 else {
                        throw VoximplantError(code: 181, message: "The 'phone_id' parameter is invalid: '\(text)'")
                    }
                    return id
                }
            }
        case (nil, .some(let numbers)):
            query.numbers = numbers.map { $0.hasPrefix("+") ? String($0.dropFirst()) : $0 }
        }
        let (subscriptions, _) = try await state.store.numbers.subscriptions(query)
        let asked = query.numberIDs.map(Set.init) ?? []
        let found = Set(subscriptions.map(\.number.id))
        if let missing = asked.subtracting(found).first {
            throw VoximplantError(code: 181, message: "The 'phone_id' parameter is invalid: \(missing) is not a number of this account")
        }
        if let wanted = query.numbers, let missing = Set(wanted).subtracting(subscriptions.map(\.number.number.digits)).first {
            throw VoximplantError(code: 121, message: "Invalid phone number '\(missing)': not a number of this account")
        }
        do {
            _ = try await state.store.numbers.cancel(accountID: account.id, subscriptionIDs: subscriptions.map(\.id), now: state.now())
        } catch let error as NumberError {
            throw VoximplantError(error)
        }
        return try VoximplantEncoding.json(ResultBody(result: 1))
    }

    /// GetMoneyAmountToCharge: what the account needs for the renewals due by `charge_date`
    /// (today by default), and to clear a negative balance.
    func moneyAmountToCharge(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let currency =
            try parameters.string("currency").map { text in
                guard let code = CurrencyCode(text.uppercased() == "RUR" ? "RUB" : text.uppercased()) else {
                    throw VoximplantError(code: 210, message: "Invalid argument 'currency': '\(text)'")
                }
                return code
            } ?? account.currency
        let day = try Self.day(parameters, "charge_date") ?? Instant(secondsSince1970: state.now().secondsSince1970 / 86_400 * 86_400)
        let (due, _) = try await state.store.numbers.subscriptions(
            SubscriptionQuery(accountID: account.id, states: [.active, .suspended], renewalUntil: day.adding(seconds: 86_400), limit: 10_000)
        )
        // SIP registrations and plans renew as numbers do.
        let dueServices = try await state.store.serviceSubscriptions.subscriptions(
            ServiceSubscriptionQuery(accountID: account.id, states: [.active, .suspended])
        ).filter { $0.paidUntil < day.adding(seconds: 86_400) }
        guard let money = try await state.store.ledger.balance(accountID: account.id) else { throw VoximplantError.internalError() }
        var needed = LedgerTotal.zero
        for subscription in due { needed = needed.adding(subscription.monthly) ?? needed }
        for subscription in dueServices { needed = needed.adding(subscription.monthly) ?? needed }
        if money.balance.units < 0 { needed = LedgerTotal(units: needed.units - money.balance.units) }
        let minimum = LedgerTotal(units: max(0, needed.units - max(0, money.balance.units)))
        let table = state.exchangeRates
        func converted(_ total: LedgerTotal) throws -> Decimal {
            guard currency != account.currency else { return total.decimal }
            guard let amount = Int64(exactly: total.units) else { throw VoximplantError.internalError() }
            do { return try table.convert(Money(Amount(units: amount), account.currency), to: currency).amount.decimal } catch {
                throw VoximplantError(
                    code: 210,
                    message: "Invalid argument 'currency': no exchange rate from \(account.currency.rawValue) to \(currency.rawValue)"
                )
            }
        }
        let body = MoneyToChargeBody(
            amount: try converted(needed),
            minAmount: try converted(minimum),
            subscriptions: try due.map { subscription in
                .init(
                    subscriptionAmount: try converted(LedgerTotal(subscription.monthly)),
                    subscriptionType: "PHONE_NUM",
                    subscriptionDescription: subscription.number.number.digits,
                    subscriptionAutoCharge: true,
                    subscriptionNextRenewal: subscription.paidUntil.date
                )
            }
                + dueServices.map { subscription in
                    .init(
                        subscriptionAmount: try converted(LedgerTotal(subscription.monthly)),
                        subscriptionType: subscription.type,
                        subscriptionDescription: subscription.label,
                        subscriptionAutoCharge: true,
                        subscriptionNextRenewal: subscription.paidUntil.date
                    )
                }
        )
        return try VoximplantEncoding.json(ResultBody(result: body))
    }

    /// A date parameter in any of the forms the SDKs send (`2025-02-01`, `2025-02-01 10:00:00`,
    /// with fractions or an offset): its day, at midnight UTC.
    static func day(_ parameters: PlatformParameters, _ name: String) throws(VoximplantError) -> Instant? {
        guard let text = parameters.string(name) else { return nil }
        guard text.count >= 10, let instant = try? Instant(parsing: text.prefix(10)), PlatformParameters.isPlatformDate(String(text.prefix(10)))
        else {
            throw .invalidDate(name, text)
        }
        return instant
    }
}

extension VoximplantError {
    /// A rental or cancellation refused, under Voximplant's codes.
    init(_ error: NumberError) {
        switch error {
        case .insufficientFunds: self.init(code: 127, message: "Insufficient money: \(error)")
        case .notInStock(let number): self.init(code: 182, message: "Occupied phone number: \(number) is not available")
        case .notEnoughInStock(_, let available) where available == 0: self.init(code: 331, message: "No phones in the stock")
        case .notEnoughInStock(_, let available): self.init(code: 332, message: "Insufficient phones in the stock, available \(available)")
        case .invalidCount: self.init(code: 243, message: "Invalid argument 'phone_count': \(error)")
        case .noPrice: self.init(code: 101, message: "Invalid arguments: \(error)")
        case .unknownAccount: self = .internalError()
        case .notFound: self.init(code: 181, message: "The 'phone_id' parameter is invalid: \(error)")
        }
    }
}

struct ListBody<Item: Encodable>: Encodable {
    let result: [Item]
    let totalCount: Int
    let count: Int
}

struct NewPhoneInfoBody: Encodable {
    let phoneId: Int64
    let phoneNumber: String
    let phonePrice: Decimal
    let phoneInstallationPrice: Decimal
    let phoneCountryCode: String
    let phonePeriod: String
    let phoneCategoryName: String
    let phoneRegionName: String
    let phoneInstallationTaxReserve: Int
    let phoneTaxReserve: Int
}

struct AttachBody: Encodable {
    struct Attached: Encodable {
        let phoneId: Int64
        let phoneNumber: String
    }
    let result: Int
    let phoneNumbers: [Attached]
}

struct AttachedPhoneInfoBody: Encodable {
    let phoneId: Int64
    let phoneNumber: String
    let phonePrice: Decimal
    let phoneCountryCode: String
    let activationStatus: String
    let phoneNextRenewal: String
    let phonePurchaseDate: String
    let deactivated: Bool
    let canceled: Bool
    let autoCharge: Bool
    let categoryName: String
    let canBeUsed: Bool
    let isSmsSupported: Bool
    let isSmsEnabled: Bool
    let emergencyCallsToBeEnabled: Bool
    let emergencyCallsEnabled: Bool
    let subscriptionId: Int64
    /// Left out when unknown: the SDKs cannot read a null or empty string where they expect a value.
    let phoneRegionName: String?
    let modified: String
    let verificationStatus: String
}

struct MoneyToChargeBody: Encodable {
    struct Due: Encodable {
        let subscriptionAmount: Decimal
        let subscriptionType: String
        let subscriptionDescription: String
        let subscriptionAutoCharge: Bool
        let subscriptionNextRenewal: String
    }
    let amount: Decimal
    let minAmount: Decimal
    let subscriptions: [Due]
}
