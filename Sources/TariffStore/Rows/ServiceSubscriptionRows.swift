import Foundation
import TariffCore

/// SIP registrations and plans, and the units plans include, as both engines store them.
enum ServiceSubscriptionRows {
    static let columns = """
        SELECT id, account_id, template, type, label, attributes, state, started_at, anchor, paid_until, installation, monthly, includes,
        ended_at, monthly_explanation FROM service_subscriptions
        """

    /// The account's live plans of a type (a request's values: the account, the type).
    static let heldPlans = columns + " WHERE account_id = ? AND type = ? AND state IN ('active', 'suspended') ORDER BY id"

    /// A plan replaced now: ended, and its units with it (values: now, the id, now).
    static let endPlan = [
        "UPDATE service_subscriptions SET state = 'ended', ended_at = ? WHERE id = ?",
        "UPDATE allowances SET period_end = ? WHERE subscription_id = ? AND period_end > ?",
    ]

    static func endPlanValues(id: Int64, now: Instant) -> [[StoredValue]] {
        [[.int(now.secondsSince1970), .int(id)], [.int(now.secondsSince1970), .int(id), .int(now.secondsSince1970)]]
    }

    static let insertColumns = [
        "account_id", "template", "type", "label", "attributes", "state", "started_at", "anchor", "paid_until", "installation", "monthly",
        "includes", "monthly_explanation",
    ]

    /// The statement that stores a new subscription and answers its id.
    static let insert =
        "INSERT INTO service_subscriptions (\(insertColumns.joined(separator: ", "))) VALUES ("
        + Array(repeating: "?", count: insertColumns.count).joined(separator: ", ") + ") RETURNING id"

    /// A new subscription's row for `insertColumns`: active, anchored now, paid until `paidUntil`.
    static func insertValues(_ request: ServiceSubscriptionRequest, fees: SubscriptionFees, now: Instant, paidUntil: Instant) -> [StoredValue] {
        [
            .int(request.accountID), .text(request.template), .text(request.terms.type), .text(request.label),
            .text(attributesText(request.attributes)), .text(Subscription.State.active.rawValue), .int(now.secondsSince1970),
            .int(now.secondsSince1970), .int(paidUntil.secondsSince1970), .int(fees.installation.units), .int(fees.monthly.units),
            .text(request.terms.includes.map(\.description).joined(separator: ";")), .optional(fees.monthlyExplanation?.jsonText),
        ]
    }

    /// A subscription just stored as `id`, and its charges: the installation fee (when there is
    /// one) and the first month.
    static func subscribed(
        id: Int64,
        _ request: ServiceSubscriptionRequest,
        fees: SubscriptionFees,
        now: Instant,
        paidUntil: Instant
    ) -> (subscription: ServiceSubscription, postings: [LedgerPosting]) {
        let subscription = ServiceSubscription(
            id: id,
            accountID: request.accountID,
            template: request.template,
            type: request.terms.type,
            label: request.label,
            attributes: request.attributes,
            state: .active,
            startedAt: now,
            paidUntil: paidUntil,
            installation: fees.installation,
            monthly: fees.monthly,
            includes: request.terms.includes,
            endedAt: nil
        )
        var postings: [LedgerPosting] = []
        if fees.installation.units != 0 {
            postings.append(
                LedgerPosting(
                    accountID: request.accountID,
                    type: .subscriptionInstallationCharge,
                    amount: Amount(units: -fees.installation.units),
                    performedAt: now,
                    description: "installation fee \(name(of: subscription)) (\(fees.note))",
                    reference: "service-subscription:\(id):installation",
                    explanation: fees.installationExplanation
                )
            )
        }
        postings.append(monthlyCharge(subscription, start: now, end: paidUntil, note: fees.note, explanation: fees.monthlyExplanation))
        for index in postings.indices { postings[index].pricedIn = fees.currency }
        return (subscription, postings)
    }

    /// A WHERE clause (with its values, empty when nothing is asked) of the subscriptions that
    /// `query` asks for, or nil when an empty list of ids, types or states leaves none; `among`
    /// says how its engine matches a list.
    static func filter(_ query: ServiceSubscriptionQuery, among: SubscriptionBilling.Among) -> (sql: String, binds: [StoredValue])? {
        var conditions: [String] = []
        var binds: [StoredValue] = []
        func add(_ condition: (sql: String, binds: [StoredValue])) {
            conditions.append(condition.sql)
            binds += condition.binds
        }
        if let account = query.accountID { add(("account_id = ?", [.int(account)])) }
        if let ids = query.ids {
            guard !ids.isEmpty else { return nil }
            add(among("id", ids.map { .int($0) }))
        }
        if let types = query.types {
            guard !types.isEmpty else { return nil }
            add(among("type", types.sorted().map { .text($0) }))
        }
        if query.plansOnly { conditions.append("type <> '\(TemplateTerms.sipRegistration)'") }
        if let states = query.states {
            guard !states.isEmpty else { return nil }
            add(among("state", states.map(\.rawValue).sorted().map { .text($0) }))
        }
        return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), binds)
    }

    static let allowanceInsertColumns = ["subscription_id", "account_id", "product", "variant", "period_start", "period_end", "included"]

    /// A period's included units, one row each for `allowanceInsertColumns`. A variant for any
    /// is stored as '' rather than NULL, so that the unique key finds a second grant of it.
    static func allowanceValues(
        subscriptionID: Int64,
        accountID: Int64,
        includes: [Allowance],
        periodStart: Instant,
        periodEnd: Instant
    ) -> [[StoredValue]] {
        includes.map { allowance in
            [
                .int(subscriptionID), .int(accountID), .text(allowance.product), .text(allowance.variant ?? ""),
                .int(periodStart.secondsSince1970), .int(periodEnd.secondsSince1970), .int(Int64(allowance.units)),
            ]
        }
    }

    /// The account's units in periods that hold an instant (values: the account, the instant
    /// twice), to be ordered by subscription, product and variant.
    static let allowances = """
        SELECT allowances.subscription_id, service_subscriptions.template, product, variant, period_start, period_end, included, used
        FROM allowances JOIN service_subscriptions ON service_subscriptions.id = allowances.subscription_id
        WHERE allowances.account_id = ? AND period_start <= ? AND period_end > ?
        """

    static func allowance(_ row: some StoredRow) throws -> AllowanceBalance {
        let variant = try row.text("variant")
        return AllowanceBalance(
            subscriptionID: try row.int("subscription_id"),
            template: try row.text("template"),
            product: try row.text("product"),
            variant: variant.isEmpty ? nil : variant,
            periodStart: Instant(secondsSince1970: try row.int("period_start")),
            periodEnd: Instant(secondsSince1970: try row.int("period_end")),
            included: Int(try row.int("included")),
            used: Int(try row.int("used"))
        )
    }

    static func name(of subscription: ServiceSubscription) -> String {
        subscription.isSIPRegistration ? "SIP registration \(subscription.label)" : "plan \(subscription.label)"
    }

    static func monthlyCharge(
        _ subscription: ServiceSubscription,
        start: Instant,
        end: Instant,
        note: String,
        explanation: ChargeExplanation?
    )
        -> LedgerPosting
    {
        SubscriptionBilling.monthlyCharge(
            accountID: subscription.accountID,
            subscriptionID: subscription.id,
            monthly: subscription.monthly,
            label: name(of: subscription),
            reference: ServiceSubscription.chargeReference(subscription: subscription.id, periodStart: start),
            start: start,
            end: end,
            note: note,
            explanation: explanation
        )
    }

    /// A row of `columns` as its renewal sees it: each paid period grants the units it includes.
    static func renewal(_ row: some StoredRow) throws -> SubscriptionRenewal.Target {
        let (subscription, anchor) = try Self.subscription(row)
        let explanation = try row.optionalText("monthly_explanation").map(LedgerRows.explanation)
        return SubscriptionRenewal.Target(
            table: "service_subscriptions",
            id: subscription.id,
            accountID: subscription.accountID,
            state: subscription.state,
            anchor: anchor,
            paidUntil: subscription.paidUntil,
            includes: subscription.includes,
            charge: { start, end, note in monthlyCharge(subscription, start: start, end: end, note: note, explanation: explanation) }
        )
    }

    static func attributesText(_ attributes: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? String(decoding: encoder.encode(attributes), as: UTF8.self)) ?? "{}"
    }

    static func subscription(_ row: some StoredRow) throws -> (subscription: ServiceSubscription, anchor: Instant) {
        guard let state = Subscription.State(rawValue: try row.text("state")),
            let includes = Allowance.list(parsing: try row.text("includes")),
            let attributes = try? JSONDecoder().decode([String: String].self, from: Data(try row.text("attributes").utf8))
        else { throw StoreError.corrupt("service subscription row") }
        let subscription = ServiceSubscription(
            id: try row.int("id"),
            accountID: try row.int("account_id"),
            template: try row.text("template"),
            type: try row.text("type"),
            label: try row.text("label"),
            attributes: attributes,
            state: state,
            startedAt: Instant(secondsSince1970: try row.int("started_at")),
            paidUntil: Instant(secondsSince1970: try row.int("paid_until")),
            installation: Amount(units: try row.int("installation")),
            monthly: Amount(units: try row.int("monthly")),
            includes: includes,
            endedAt: try row.optionalInt("ended_at").map { Instant(secondsSince1970: $0) }
        )
        return (subscription, Instant(secondsSince1970: try row.int("anchor")))
    }
}
