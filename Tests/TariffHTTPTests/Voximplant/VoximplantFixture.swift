import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import TariffCore
import TariffStore
import Testing

@testable import TariffHTTP

/// HTTPFixture's deck plus voice rows per origin list, inbound toll-free rows and phone-number
/// prices, for the platform API. The EUR account is id 1 (`s-eur`), the USD account id 2 (`s-usd`);
/// 1 EUR = 1.17 USD.
extension HTTPFixture {
    static let voximplantRates = """
        product,country,network,prefix,number_type,origin,price,currency,increment,connect_fee,description,resource,effective_from
        voice-outbound,MX,,,,domestic,0.01,EUR,60/60,0,Mexico Fixed,,2026-01-01
        voice-outbound,MX,,,mobile,domestic,0.03,EUR,60/60,0,Mexico Mobile,,2026-01-01
        voice-outbound,MX,,,,international,0.05,EUR,60/60,0,Mexico Fixed,,2026-01-01
        voice-outbound,DE,,,,eea,0.02,EUR,30/6,0,Germany Fixed,,2026-01-01
        voice-outbound,DE,,,,international,0.04,EUR,30/6,0,Germany Fixed,,2026-01-01
        voice-outbound,DE,,49900,,international,1.5,EUR,1/1,0.1,Germany Premium,,2026-01-01
        voice-inbound,CO,,,toll_free,any,0.07,USD,60/60,0,Colombia Toll-free,PSTN_IN_TOLLFREE_CO,2026-01-01
        voice-inbound,CO,,573,toll_free,any,0.29,USD,60/60,0,Colombia Toll-free from mobile,PSTN_IN_TOLLFREE_CO,2026-01-01

        """
    static let voximplantNumbers = """
        country,category,region_code,region_name,installation_price,monthly_price,currency,incoming_resource,effective_from
        MX,GEOGRAPHIC,,,10,5,EUR,,2026-01-01
        MX,GEOGRAPHIC,55,Mexico City,12,6,EUR,,2026-01-01
        MX,TOLLFREE,,,20,15,EUR,,2026-01-01
        CO,TOLLFREE,,,3.36,15.79,USD,PSTN_IN_TOLLFREE_CO,2026-01-01

        """

    static func withVoximplant(_ body: (HTTPFixture) async throws -> Void) async throws {
        try await with { fixture in
            let reference = try await fixture.store.reference.tables().compile()
            let importer = DeckImporter(store: fixture.store, reference: reference, logger: logger)
            let now = Instant.now()
            _ = try await importer.importFile(
                path: try fixture.write("vox-rates.csv", voximplantRates),
                options: DeckOptions(partial: true, now: now)
            )
            _ = try await importer.importFile(
                path: try fixture.write("vox-numbers.csv", voximplantNumbers),
                options: DeckOptions(kind: .numbers, now: now)
            )
            try await body(fixture)
        }
    }
}

extension TestClientProtocol {
    /// Calls a platform API method the way the Python SDK does: a url-encoded POST to /platform_api with `cmd`.
    func platform(
        _ method: String,
        _ parameters: [String: String] = [:],
        account: (id: Int, secret: String) = (1, "s-eur")
    ) async throws -> [String: Any] {
        var fields = parameters
        fields["cmd"] = method
        fields["account_id"] = String(account.id)
        fields["api_key"] = account.secret
        let body = fields.sorted { $0.key < $1.key }.map { "\(formEscape($0.key))=\(formEscape($0.value))" }.joined(separator: "&")
        let response = try await execute(
            uri: "/platform_api",
            method: .post,
            headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body)
        )
        #expect(response.status == .ok)
        #expect(response.headers[.contentType] == "application/json")
        return try response.json()
    }
}

func formEscape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

/// The error a platform API body carries, as (code, message).
func platformError(_ body: [String: Any]) -> (code: Int, message: String)? {
    guard let error = body["error"] as? [String: Any], let code = error["code"] as? Int, let message = error["msg"] as? String else { return nil }
    return (code, message)
}

/// A JSON number as its shortest decimal text (`0.0117`, `12`): what the body says, to compare with a literal.
func decimalText(_ value: Any?) -> String? {
    if let whole = value as? Int { return String(whole) }
    return (value as? Double).map { "\($0)" }
}
