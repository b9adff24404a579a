import Hummingbird
import NIOCore
import TariffCore

/// Voximplant's platform API in the forms its SDKs and docs use: `POST /platform_api` with
/// `cmd=Method` (Python), multipart `POST /platform_api` (Node), `POST /platform_api/Method`
/// (Go), `GET /platform_api/Method/?…` (the old docs). Every answer is JSON with HTTP 200,
/// errors included.
struct VoximplantController<Context: RequestContext> {
    let platform: VoximplantPlatform

    /// The methods served, by wire name.
    enum Method: String, CaseIterable {
        case getResourcePrice = "GetResourcePrice"
        case getSubscriptionPrice = "GetSubscriptionPrice"
        case getPhoneNumberCategories = "GetPhoneNumberCategories"
        case getPhoneNumberRegions = "GetPhoneNumberRegions"
        case getCurrencyRate = "GetCurrencyRate"
        case getAccountInfo = "GetAccountInfo"
        case getTransactionHistory = "GetTransactionHistory"
        case getNewPhoneNumbers = "GetNewPhoneNumbers"
        case attachPhoneNumber = "AttachPhoneNumber"
        case getPhoneNumbers = "GetPhoneNumbers"
        case deactivatePhoneNumber = "DeactivatePhoneNumber"
        case getMoneyAmountToCharge = "GetMoneyAmountToCharge"
        case createSipRegistration = "CreateSipRegistration"
        case getSipRegistrations = "GetSipRegistrations"
        case deleteSipRegistration = "DeleteSipRegistration"
        case changeAccountPlan = "ChangeAccountPlan"
        case getAccountPlans = "GetAccountPlans"

        /// Method names are matched without regard to case, as a convenience for hand-written calls.
        init?(name: String) {
            guard let method = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
            self = method
        }
    }

    func addRoutes(to router: Router<Context>) {
        let api = router.group("platform_api").add(middleware: ErrorMappingMiddleware.voximplant.counting(into: platform.state.metrics))
        for method in [HTTPRequest.Method.get, .post] {
            api.on("", method: method) { request, _ in try await call(request, pathMethod: nil) }
            api.on(":method", method: method) { request, context in
                try await call(request, pathMethod: try context.parameters.require("method"))
            }
        }
    }

    func call(_ request: Request, pathMethod: String?) async throws -> Response {
        let parameters = try await PlatformParameters.read(request)
        guard let name = pathMethod ?? parameters.string("cmd") else { throw VoximplantError.missingCommand() }
        if let output = parameters.string("output"), output.lowercased() != "json" { throw VoximplantError.outputFormatNotSupported(output) }
        let account = try await platform.authenticate(request, parameters: parameters)
        guard let method = Method(name: name) else { throw VoximplantError.unknownCommand(name) }
        let body: ByteBuffer
        switch method {
        case .getResourcePrice: body = try platform.resourcePrice(parameters, account: account)
        case .getSubscriptionPrice: body = try platform.subscriptionPrice(parameters, account: account)
        case .getPhoneNumberCategories: body = try await platform.phoneNumberCategories(parameters, account: account)
        case .getPhoneNumberRegions: body = try await platform.phoneNumberRegions(parameters, account: account)
        case .getCurrencyRate: body = try platform.currencyRate(parameters)
        case .getAccountInfo: body = try await platform.accountInfo(parameters, account: account, request: request)
        case .getTransactionHistory: body = try await platform.transactionHistory(parameters, account: account)
        case .getNewPhoneNumbers: body = try await platform.newPhoneNumbers(parameters, account: account)
        case .attachPhoneNumber: body = try await platform.attachPhoneNumber(parameters, account: account)
        case .getPhoneNumbers: body = try await platform.phoneNumbers(parameters, account: account)
        case .deactivatePhoneNumber: body = try await platform.deactivatePhoneNumber(parameters, account: account)
        case .getMoneyAmountToCharge: body = try await platform.moneyAmountToCharge(parameters, account: account)
        case .createSipRegistration: body = try await platform.createSipRegistration(parameters, account: account)
        case .getSipRegistrations: body = try await platform.sipRegistrations(parameters, account: account)
        case .deleteSipRegistration: body = try await platform.deleteSipRegistration(parameters, account: account)
        case .changeAccountPlan: body = try await platform.changeAccountPlan(parameters, account: account)
        case .getAccountPlans: body = try await platform.accountPlans(parameters, account: account)
        }
        return VoximplantEncoding.response(body)
    }
}
