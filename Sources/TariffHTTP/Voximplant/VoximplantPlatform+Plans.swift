import Foundation
import NIOCore
import TariffCore
import TariffStore

/// SIP registrations and account plans: subscriptions that are not numbers, priced by the
/// deck's templates and charged as numbers are (installation fee and first month at once,
/// then every month by the renewal service).
extension VoximplantPlatform {
    /// CreateSipRegistration: subscribes the account to the deck's SIP registration template
    /// (`subscription_template_id` picks one when the deck has several; else `sip-registration`,
    /// else the first by name). The registration's details are kept; a password never is.
    func createSipRegistration(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let username = try parameters.required("sip_username")
        let proxy = try parameters.required("proxy")
        for (name, value) in [("sip_username", username), ("proxy", proxy)] where value.isEmpty || value.utf8.count > 255 {
            throw VoximplantError.invalidArgument(name, "1 to 255 characters")
        }
        var attributes = ["proxy": proxy]
        for name in ["auth_user", "outbound_proxy", "application_id", "application_name", "rule_id", "rule_name", "user_id", "user_name"] {
            if let value = parameters.string(name) {
                guard value.utf8.count <= 255 else { throw VoximplantError.invalidArgument(name, "at most 255 characters") }
                attributes[name] = value
            }
        }
        attributes["is_persistent"] = String(try parameters.bool("is_persistent") ?? true)
        let catalog = try numberCatalog(for: account)
        let sip = catalog.templates.filter { $0.terms.isSIPRegistration }
        let chosen: NumberCatalog.TemplateOffer?
        if let ids = try parameters.ids("subscription_template_id") {
            chosen = sip.first { ids.contains($0.id) }
        } else {
            chosen = sip.first { $0.price.key.name == "sip-registration" } ?? sip.first
        }
        guard let chosen else {
            throw VoximplantError(code: 101, message: "Invalid arguments: no SIP registration is offered (the deck has no SIP_REGISTRATION template)")
        }
        let made: RentedServiceSubscription
        do {
            made = try await state.subscribe(account, template: chosen.price.key.name, label: username, attributes: attributes) {
                $0 == chosen.terms.type
            }
        } catch let error as NumberError {
            throw VoximplantError(error)
        }
        return try VoximplantEncoding.json(
            SipRegistrationCreatedBody(result: 1, sipRegistrationId: made.subscription.id, accountInfo: try await shortInfo(account))
        )
    }

    /// GetSipRegistrations: the account's registrations (deleted ones are not listed), paged.
    func sipRegistrations(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        var all = try await state.store.serviceSubscriptions.subscriptions(
            ServiceSubscriptionQuery(accountID: account.id, types: [TemplateTerms.sipRegistration], states: [.active, .suspended])
        )
        if let id = try parameters.int("sip_registration_id", in: 1...Int(Int64.max)) { all = all.filter { $0.id == Int64(id) } }
        if let username = parameters.string("sip_username") { all = all.filter { $0.label == username } }
        if let deactivated = try parameters.bool("deactivated") { all = all.filter { ($0.state == .suspended) == deactivated } }
        if let persistent = try parameters.bool("is_persistent") {
            all = all.filter { ($0.attributes["is_persistent"] ?? "true") == String(persistent) }
        }
        if let proxies = parameters.list("proxy") { all = all.filter { proxies.contains($0.attributes["proxy"] ?? "") } }
        let count = try parameters.int("count", in: 1...1000) ?? 20
        let offset = try parameters.int("offset") ?? 0
        let page = all.dropFirst(offset).prefix(count).map { subscription in
            let attributes = subscription.attributes
            return SipRegistrationBody(
                sipRegistrationId: subscription.id,
                sipUsername: subscription.label,
                proxy: attributes["proxy"] ?? "",
                lastUpdated: subscription.startedAt.secondsSince1970,
                authUser: attributes["auth_user"],
                outboundProxy: attributes["outbound_proxy"],
                successful: subscription.state == .active,
                statusCode: subscription.state == .active ? 200 : nil,
                deactivated: subscription.state == .suspended,
                nextSubscriptionRenewal: subscription.paidUntil.date,
                purchaseDate: subscription.startedAt.spaceSeparated,
                subscriptionPrice: subscription.monthly.decimal.description,
                isPersistent: (attributes["is_persistent"] ?? "true") == "true",
                userId: attributes["user_id"].flatMap { Int64($0) },
                userName: attributes["user_name"],
                applicationId: attributes["application_id"].flatMap { Int64($0) },
                applicationName: attributes["application_name"],
                ruleId: attributes["rule_id"].flatMap { Int64($0) },
                ruleName: attributes["rule_name"]
            )
        }
        return try VoximplantEncoding.json(ListBody(result: Array(page), totalCount: all.count, count: page.count))
    }

    /// DeleteSipRegistration: no renewal from now; no refund of the month paid.
    func deleteSipRegistration(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        guard let id = try parameters.int("sip_registration_id", in: 1...Int(Int64.max)) else {
            throw VoximplantError(code: 101, message: "Invalid arguments: sip_registration_id is required")
        }
        let held = try await state.store.serviceSubscriptions.subscriptions(
            ServiceSubscriptionQuery(accountID: account.id, ids: [Int64(id)], types: [TemplateTerms.sipRegistration], states: [.active, .suspended])
        )
        guard !held.isEmpty else {
            throw VoximplantError.invalidArgument("sip_registration_id", "\(id) is not a SIP registration of this account")
        }
        _ = try await state.store.serviceSubscriptions.cancel(accountID: account.id, ids: [Int64(id)], now: state.now())
        return try VoximplantEncoding.json(ResultBody(result: 1))
    }

    /// ChangeAccountPlan: the plan template with this id (`plan_type`, when given, must be its
    /// type) replaces the account's plan of that type now; the same plan again changes nothing.
    func changeAccountPlan(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        guard let id = try parameters.int("plan_subscription_template_id", in: 1...Int(Int32.max)) else {
            throw VoximplantError(code: 101, message: "Invalid arguments: plan_subscription_template_id is required")
        }
        let type = parameters.string("plan_type")?.uppercased()
        let catalog = try numberCatalog(for: account)
        guard let plan = catalog.templates.first(where: { $0.id == id && !$0.terms.isSIPRegistration && (type == nil || $0.terms.type == type) })
        else {
            throw VoximplantError.invalidArgument("plan_subscription_template_id", "\(id) is not a plan offered now")
        }
        do {
            _ = try await state.subscribe(account, template: plan.price.key.name, label: plan.terms.displayName, attributes: [:]) {
                $0 == plan.terms.type
            }
        } catch let error as NumberError {
            throw VoximplantError(error)
        }
        return try VoximplantEncoding.json(PlanChangedBody(result: 1, accountInfo: try await shortInfo(account)))
    }

    /// GetAccountPlans: the account's plans with their packages: the units included this
    /// period and left, and what more costs.
    func accountPlans(_ parameters: PlatformParameters, account: Account) async throws -> ByteBuffer {
        let types = parameters.list("plan_type").map { Set($0.map { $0.uppercased() }) }
        let ids = try parameters.ids("plan_subscription_template_id")
        let now = state.now()
        let plans = try await state.store.serviceSubscriptions.subscriptions(
            ServiceSubscriptionQuery(accountID: account.id, types: types, plansOnly: true, states: [.active, .suspended, .cancelled])
        )
        let allowances = try await state.store.serviceSubscriptions.allowances(accountID: account.id, at: now)
        let catalog = try numberCatalog(for: account)
        let resources = try resourceCatalog(for: account)
        let groups = resources.resources.flatMap(\.groups).filter { $0.service != nil }
        var result: [AccountPlanBody] = []
        for plan in plans {
            let templateID = catalog.templates.first { $0.price.key.name == plan.template }?.id ?? StableID.of("template|\(plan.template)")
            if let ids, !ids.contains(templateID) { continue }
            let packages = plan.includes.map { allowance in
                let mine = allowances.filter { $0.subscriptionID == plan.id && $0.product == allowance.product && $0.variant == allowance.variant }
                let covered = groups.filter { group in
                    group.service?.product == allowance.product && (allowance.variant == nil || group.service?.variant == allowance.variant)
                }
                // Beyond the package, the product's own row prices the use.
                let overrun = covered.first { $0.service?.variant == allowance.variant && $0.service?.country == nil } ?? covered.first
                return AccountPlanBody.Package(
                    priceGroupId: covered.map(\.id),
                    packageName: allowance.description,
                    mayOverrun: true,
                    overrunPrice: overrun?.price.decimal ?? 0,
                    overrunResources: overrun?.unitsPerPrice ?? 1,
                    resourceLeft: mine.reduce(0) { $0 + $1.left },
                    packageSize: allowance.units,
                    origPackageSize: allowance.units
                )
            }
            result.append(
                AccountPlanBody(
                    planSubscriptionTemplateId: templateID,
                    nextCharge: plan.paidUntil.date,
                    planType: plan.type,
                    planName: plan.label,
                    periodicCharge: plan.monthly.decimal,
                    packages: packages
                )
            )
        }
        return try VoximplantEncoding.json(ResultBody(result: result))
    }

    /// `account_info` as the subscribing methods answer it: id, frozen, balance, currency.
    func shortInfo(_ account: Account) async throws -> ShortAccountInfoBody {
        guard let money = try await state.store.ledger.balance(accountID: account.id) else { throw VoximplantError.internalError() }
        return ShortAccountInfoBody(accountId: account.id, frozen: false, balance: money.balance.decimal, currency: account.currency.rawValue)
    }
}

struct ShortAccountInfoBody: Encodable {
    let accountId: Int64
    let frozen: Bool
    let balance: Decimal
    let currency: String
}

struct SipRegistrationCreatedBody: Encodable {
    let result: Int
    let sipRegistrationId: Int64
    let accountInfo: ShortAccountInfoBody
}

struct PlanChangedBody: Encodable {
    let result: Int
    let accountInfo: ShortAccountInfoBody
}

struct SipRegistrationBody: Encodable {
    let sipRegistrationId: Int64
    let sipUsername: String
    let proxy: String
    let lastUpdated: Int64
    let authUser: String?
    let outboundProxy: String?
    let successful: Bool
    let statusCode: Int?
    let deactivated: Bool
    /// `YYYY-MM-DD` and `YYYY-MM-DD HH:mm:ss` (UTC): the forms the Python SDK parses.
    let nextSubscriptionRenewal: String
    let purchaseDate: String
    /// A string in every SDK's type.
    let subscriptionPrice: String
    let isPersistent: Bool
    let userId: Int64?
    let userName: String?
    let applicationId: Int64?
    let applicationName: String?
    let ruleId: Int64?
    let ruleName: String?
}

struct AccountPlanBody: Encodable {
    struct Package: Encodable {
        let priceGroupId: [Int]
        let packageName: String
        let mayOverrun: Bool
        let overrunPrice: Decimal
        let overrunResources: Int
        let resourceLeft: Int
        let packageSize: Int
        let origPackageSize: Int
    }

    let planSubscriptionTemplateId: Int
    let nextCharge: String
    let planType: String
    let planName: String
    let periodicCharge: Decimal
    let packages: [Package]
}
