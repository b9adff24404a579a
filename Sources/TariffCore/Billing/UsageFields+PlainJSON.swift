extension UsageFields {
    /// Reads a usage record written the plain way almost every client writes it: one JSON
    /// object of the record's fields, each at most once, ASCII strings without escapes, whole
    /// numbers without exponents. Anything else (an escape, a `null`, an unknown or repeated
    /// field, a number with a fraction, non-ASCII text, malformed JSON) gives nil, and the
    /// caller reads the record with the general JSON decoder instead: this never accepts what
    /// that decoder would refuse, nor reads anything differently. The general decoder was a
    /// tenth of the cost of a charge.
    public init?(plainJSON bytes: UnsafeRawBufferPointer) {
        var reader = PlainJSONReader(bytes: bytes)
        var fields = UsageFields()
        var seen = Set<Field>()
        reader.skipBlanks()
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        reader.skipBlanks()
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                reader.skipBlanks()
                guard let name = reader.string(), let field = Field(rawValue: name), seen.insert(field).inserted else { return nil }
                reader.skipBlanks()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipBlanks()
                switch field {
                case .id, .product, .to, .from, .occurredAt, .variant, .country:
                    guard let text = reader.string() else { return nil }
                    fields.set(field, text: text)
                case .seconds, .messages, .units:
                    guard let number = reader.integer() else { return nil }
                    switch field {
                    case .seconds: fields.seconds = number
                    case .messages: fields.messages = number
                    default: fields.units = number
                    }
                }
                reader.skipBlanks()
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
        }
        reader.skipBlanks()
        guard reader.atEnd else { return nil }
        self = fields
    }

    private enum Field: String {
        case id, product, to, from, seconds, messages, units, variant, country
        case occurredAt = "occurred_at"
    }

    private mutating func set(_ field: Field, text: String) {
        switch field {
        case .id: id = text
        case .product: product = text
        case .to: to = text
        case .from: from = text
        case .occurredAt: occurredAt = text
        case .variant: variant = text
        case .country: country = text
        case .seconds, .messages, .units: break
        }
    }
}

/// The few JSON tokens a plain usage record holds, read from its bytes.
struct PlainJSONReader {
    let bytes: UnsafeRawBufferPointer
    var at = 0

    var atEnd: Bool { at == bytes.count }

    mutating func skipBlanks() {
        while at < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[at]) { at += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard at < bytes.count, bytes[at] == byte else { return false }
        at += 1
        return true
    }

    /// A string of printable ASCII without escapes; nil for anything else.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = at
        while at < bytes.count {
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
                at += 1
                return text
            }
            guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
            at += 1
        }
        return nil
    }

    /// A whole number as JSON writes one (no leading zeros, no fraction or exponent), of at
    /// most 18 digits so that it fits any `Int`; nil for anything else.
    mutating func integer() -> Int? {
        let negative = take(UInt8(ascii: "-"))
        let start = at
        var value = 0
        while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
            guard at - start < 18 else { return nil }
            value = value * 10 + Int(bytes[at] - UInt8(ascii: "0"))
            at += 1
        }
        let digits = at - start
        guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        // A fraction or an exponent makes it a number this reader leaves to the general decoder.
        if at < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[at]) { return nil }
        return negative ? -value : value
    }
}
