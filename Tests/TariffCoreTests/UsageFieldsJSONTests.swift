import Foundation
import TariffCore
import Testing

/// The plain reader of usage records must read nothing differently from Foundation's decoder:
/// what it takes, the decoder reads to the same fields; what it leaves, the decoder decides.
@Suite("Usage records read from JSON")
struct UsageFieldsJSONTests {
    static func general(_ text: [UInt8]) -> UsageFields? { try? JSONDecoder().decode(UsageFields.self, from: Data(text)) }
    static func plain(_ text: [UInt8]) -> UsageFields? { text.withUnsafeBytes { UsageFields(plainJSON: $0) } }

    static let typical = [
        #"{"id":"c1","product":"voice","to":"+34911234567","seconds":61,"occurred_at":"2026-11-20T10:00:00Z"}"#,
        #" { "product" : "sms", "messages" : 2 , "to":"+447700900123", "id":"x-9", "occurred_at":"2026-11-20 10:00:00" } "# + "\r\n",
        #"{"id":"c2","product":"voice-inbound","to":"+525512345678","from":"ES","seconds":0,"occurred_at":"2026-11-20"}"#,
        #"{"id":"c3","seconds":-5}"#, "{}", "{\n\t\"id\": \"tab\"\n}",
        #"{"id":"t1","product":"speech-synthesis","units":2500,"variant":"en-US-Neural2","country":"ES","occurred_at":"2026-11-20"}"#,
    ]

    @Test("the records clients write are read by the plain reader, to exactly what the decoder reads")
    func typicalRecords() {
        for text in Self.typical {
            let bytes = Array(text.utf8)
            #expect(Self.plain(bytes) != nil, "\(text)")
            #expect(Self.plain(bytes) == Self.general(bytes), "\(text)")
        }
    }

    @Test("whatever it is given, the plain reader either leaves it or reads what the decoder reads")
    func neverDiffers() {
        var random = SplitMix64(state: 0x7A41FF)
        let keys = [
            "id", "product", "to", "from", "seconds", "messages", "occurred_at", "units", "variant", "country", "other", "ID", "seconds ",
            "i\\u0064",
        ]
        let values = [
            "\"c1\"", "\"+34911234567\"", "\"\"", "\"a\\\"b\"", "\"a\\nb\"", "\"é\"", "\"\u{7F}\"", "\"\u{1}\"", "61", "0", "-0", "-5", "01",
            "1.0", "1e3", "1E3", "-", "999999999999999999", "9999999999999999999", "99999999999999999999999", "null", "true", "[]", "{}",
            "\"61\"", "61 ", " \"x\"",
        ]
        var taken = 0
        for _ in 0..<20_000 {
            var text = random.below(8) == 0 ? "" : "{"
            let count = random.below(5)
            for index in 0..<count {
                if index > 0 { text += random.below(12) == 0 ? ",," : "," }
                text += String(repeating: " ", count: random.below(2))
                text += "\"\(keys[random.below(keys.count)])\"" + (random.below(15) == 0 ? "" : ":")
                text += values[random.below(values.count)]
            }
            text += random.below(10) == 0 ? "" : "}"
            if random.below(10) == 0 { text += ["x", ",", " ", "}", "\u{0}"][random.below(5)] }
            var bytes = Array(text.utf8)
            if random.below(6) == 0, !bytes.isEmpty { bytes = Array(bytes.prefix(random.below(bytes.count))) }
            if random.below(6) == 0, !bytes.isEmpty { bytes[random.below(bytes.count)] = UInt8(random.below(256)) }
            if let plain = Self.plain(bytes) {
                taken += 1
                #expect(Self.general(bytes) == plain, "\(String(decoding: bytes, as: UTF8.self))")
            }
        }
        // The corpus must reach the plain reader's acceptance as well as its refusals.
        #expect(taken > 1_000)
    }
}
