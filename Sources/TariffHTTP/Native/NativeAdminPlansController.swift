import Foundation
import Hummingbird
import TariffCore
import TariffStore

/// Price plans, behind an operator token:
/// - `GET /v1/admin/plans`: every plan, its versions and the accounts on it.
/// - `GET /v1/admin/plans/{name}`: one plan, with each version's rules.
/// - `POST /v1/admin/plans/{name}/versions?effective_from=&minimum_price=&minimum_margin=&rounding=`
///   with the rules CSV as the body: makes the plan, or adds a version; 201.
/// - `PUT /v1/admin/accounts/{id}/plan` `{"plan": "gold"}` (or `null`): the account's plan.
/// A change is published to this node at once (and on PostgreSQL to the others).
struct NativeAdminPlansController<Context: RequestContext> {
    let state: LiveState
    /// A plan has a rule per country and product at most: a few hundred kilobytes.
    static var maxRulesBytes: Int { 1 << 20 }

    func addRoutes(to group: RouterGroup<Context>) {
        let plans = group.group("admin/plans")
        plans.get { request, _ in try await list(request) }
        plans.get(":name") { request, context in try await show(request, context: context) }
        plans.post(":name/versions") { request, context in try await add(request, context: context) }
        group.put("admin/accounts/:id/plan") { request, context in try await assign(request, context: context) }
    }

    struct RuleBody: Encodable {
        let line: Int
        let product: String?
        let country: String?
        let origin: String?
        let numberType: String?
        let markupPercent: String
        let markupFixed: String
        let label: String

        init(_ rule: PlanRule) {
            line = rule.line
            product = rule.product?.rawValue
            country = rule.country
            origin = rule.origin?.rawValue
            numberType = rule.numberType
            markupPercent = rule.markupPercent.plainText
            markupFixed = rule.markupFixed.plainText
            label = rule.label
        }
    }

    struct VersionBody: Encodable {
        let version: Int64
        let effectiveFrom: String
        let createdAt: String
        let minimumPrice: String
        let minimumMargin: String
        let rounding: String?
        let overrideDeck: String?
        let rules: [RuleBody]

        init(_ version: PlanVersion) {
            self.version = version.id
            effectiveFrom = version.effectiveFrom.iso8601
            createdAt = version.createdAt.iso8601
            minimumPrice = version.plan.minimumPrice.plainText
            minimumMargin = version.plan.minimumMargin.plainText
            rounding = version.plan.rounding.map { "\($0.decimals)/\($0.mode.rawValue)" }
            overrideDeck = version.plan.overrideDeck
            rules = version.plan.rules.map(RuleBody.init)
        }
    }

    struct PlanBody: Encodable {
        let name: String
        let accounts: [Int64]
        let versions: [VersionBody]
    }

    struct ListBody: Encodable { let plans: [PlanBody] }

    /// The plans as this node prices them, brought up to the store's first (one stamp read when
    /// nothing changed), so that an answer never lags a change made elsewhere.
    func plans() async throws -> [PlanBody] {
        try await state.refreshPlans()
        let directory = state.plans
        return directory.schedules.keys.sorted().map { name in
            PlanBody(
                name: name,
                accounts: directory.assignments.filter { $0.value == name }.keys.sorted(),
                versions: directory.schedules[name]!.versions.map(VersionBody.init)
            )
        }
    }

    func list(_ request: Request) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        return try NativeEncoding.json(ListBody(plans: try await plans()))
    }

    func show(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let name = try context.parameters.require("name")
        guard let plan = try await plans().first(where: { $0.name == name }) else { throw NativeError.notFound("no plan '\(name)'") }
        return try NativeEncoding.json(plan)
    }

    func add(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let name = try context.parameters.require("name")
        let query = request.uri.queryParameters
        let body = try await NativeEncoding.body(request, upTo: Self.maxRulesBytes)
        guard let rules = String(validating: body.readableBytesView, as: UTF8.self) else {
            throw NativeError.badRequest("the body is the plan's rules as UTF-8 CSV")
        }
        let upload = PlanUpload(
            name: name,
            rules: rules,
            file: "plan.csv",
            effectiveFrom: query.get("effective_from"),
            minimumPrice: query.get("minimum_price"),
            minimumMargin: query.get("minimum_margin"),
            rounding: query.get("rounding"),
            overrideDeck: query.get("override_deck")
        )
        let version: NewPlanVersion
        do { version = try upload.version(reference: state.reference, now: state.now()) } catch let failure as ImportFailure {
            throw NativeError.importRefused(failure)
        } catch let invalid as PlanUpload.Invalid {
            throw NativeError.badRequest(invalid.description)
        }
        if let invalid = try await PlanUpload.missingDeck(version, store: state.store) { throw NativeError.badRequest(invalid.description) }
        let stored = try await state.store.plans.add(version, now: state.now())
        await state.audit(token, "plan.version", target: "plan:\(name)", detail: "version \(stored.id) from \(version.effectiveFrom.iso8601)")
        guard let plan = try await plans().first(where: { $0.name == name }) else { throw NativeError.notFound("no plan '\(name)'") }
        return try NativeEncoding.json(plan, status: .created)
    }

    struct AssignBody: Decodable {
        let plan: String?
    }

    func assign(_ request: Request, context: Context) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let id = try NativeAdminController<Context>.accountID(context)
        let body = try await NativeEncoding.decode(AssignBody.self, request, upTo: NativeAdminController<Context>.maxBodyBytes)
        switch try await state.store.plans.assign(plan: body.plan, accountID: id, now: state.now()) {
        case .changed:
            await state.audit(token, "plan.assign", target: "account:\(id)", detail: body.plan.map { "plan \($0)" } ?? "no plan")
        case .unknownAccount: throw NativeError.notFound("no such account")
        case .refused(let reason): throw NativeError.conflict(reason)
        }
        try await state.refreshPlans()
        return try NativeEncoding.json(AssignedBody(accountId: id, plan: body.plan))
    }

    struct AssignedBody: Encodable {
        let accountId: Int64
        let plan: String?

        enum CodingKeys: String, CodingKey { case accountId, plan }

        // The plan is written as null when there is none: the answer says so rather than omit it.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(accountId, forKey: .accountId)
            try container.encode(plan, forKey: .plan)
        }
    }
}
