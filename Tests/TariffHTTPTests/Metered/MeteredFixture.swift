import Foundation
import TariffCore
import TariffStore

extension HTTPFixture {
    /// Metered products beside the fixture's calls and messages: synthesis per million
    /// characters with a dearer variant, recognition per minute in 15-second blocks with a
    /// 15-second minimum (cheaper in RU), and a request-priced product with a setup fee.
    static let metered = """
        product,variant,country,unit,price,per,minimum,increment,connect_fee,currency,description,resource,effective_from
        speech-synthesis,,,character,4,1000000,,,,USD,Synthesis,TTS_TEXT_GOOGLE,2026-01-01
        speech-synthesis,neural,,character,16,1000000,,,,USD,Synthesis neural,TTS_TEXT_GOOGLE,2026-01-01
        speech-recognition,,,second,0.016,60,15,15/15,,EUR,Recognition,ASR,2026-01-01
        speech-recognition,,RU,second,0.01,60,15,15/15,,EUR,Recognition RU,ASR,2026-01-01
        nlu,,,request,1.5,1000,,,0.001,EUR,,,2026-01-01

        """

    static func withMetered(_ body: (HTTPFixture) async throws -> Void) async throws {
        try await with { fixture in
            let reference = try await fixture.store.reference.tables().compile()
            _ = try await DeckImporter(store: fixture.store, reference: reference, logger: logger)
                .importFile(path: try fixture.write("metered.csv", metered), options: DeckOptions(now: Instant.now()))
            try await body(fixture)
        }
    }
}
