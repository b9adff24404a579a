import Foundation
public import TariffCore

extension UsageFields {
    /// A usage record from its JSON bytes, for every channel that reads JSON (the native
    /// routes, `tariff usage import`): the plain reader when it can, Foundation's decoder for
    /// anything else, so that both read every record the same way.
    public static func decoded(json bytes: UnsafeRawBufferPointer) throws -> UsageFields {
        if let fields = UsageFields(plainJSON: bytes) { return fields }
        return try JSONDecoder().decode(UsageFields.self, from: Data(bytes))
    }

    /// `decoded(json:)` of an array of bytes.
    public static func decoded(json bytes: [UInt8]) throws -> UsageFields {
        try bytes.withUnsafeBytes { try decoded(json: $0) }
    }
}
