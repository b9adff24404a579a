/// A usage record as a client sent it (one call or a count of messages), before any check.
/// Every channel decodes into this (the native API's JSON, a CDR file's CSV or NDJSON), so
/// that all of them are checked and charged by the same code.
public struct UsageFields: Decodable, Sendable, Hashable {
    public var id: String?
    public var product: String?
    public var to: String?
    public var from: String?
    public var seconds: Int?
    public var messages: Int?
    public var occurredAt: String?
    /// Metered products: the units used, and the variant and country they were used for.
    public var units: Int?
    public var variant: String?
    public var country: String?

    enum CodingKeys: String, CodingKey {
        case id, product, to, from, seconds, messages, units, variant, country
        case occurredAt = "occurred_at"
    }

    public init(
        id: String? = nil,
        product: String? = nil,
        to: String? = nil,
        from: String? = nil,
        seconds: Int? = nil,
        messages: Int? = nil,
        occurredAt: String? = nil,
        units: Int? = nil,
        variant: String? = nil,
        country: String? = nil
    ) {
        self.units = units
        self.variant = variant
        self.country = country
        self.id = id
        self.product = product
        self.to = to
        self.from = from
        self.seconds = seconds
        self.messages = messages
        self.occurredAt = occurredAt
    }

    /// What a client is told of a record that is not a JSON object of these fields.
    public static let notARecord =
        "not a usage record: {\"id\", \"product\", \"to\", \"seconds\" or \"messages\", \"occurred_at\"} "
        + "or, for a metered product, {\"id\", \"product\", \"units\", \"variant\"?, \"country\"?, \"occurred_at\"}"

    /// The names a record's fields have in every format.
    public static let fieldNames = ["id", "product", "to", "from", "seconds", "messages", "occurred_at", "units", "variant", "country"]
}

/// A usage record whose every field was checked, ranges included, before any arithmetic.
public struct UsageRecord: Sendable, Hashable {
    /// The client's idempotency key, unique per account.
    public let id: String
    /// The call or message product; nil for a metered product (`service`).
    public let product: Product?
    /// The number called; nil for a metered product.
    public let number: PhoneNumber?
    public let origin: CallOrigin?
    /// The origin as the client wrote it, for the explanation.
    public let originText: String?
    public let seconds: Int?
    public let messages: Int?
    public let occurredAt: Instant
    /// Usage of a metered product (speech, recording, ...), priced by product rather than number.
    public let service: ServiceUsage?
    /// The record as the ledger compares retries: the same id with another fingerprint is a
    /// conflict, not a retry.
    public let fingerprint: String

    /// Checks `fields`: a future `occurred_at` (after `now`), a negative or absurd quantity, a
    /// call counted in messages, an unknown product: each is a `UsageProblem.invalid`.
    public init(validating fields: UsageFields, now: Instant) throws(UsageProblem) {
        guard let id = fields.id, !id.isEmpty, id.utf8.count <= LedgerPosting.maxReferenceLength else {
            throw .invalid("id: the record's unique id, 1 to \(LedgerPosting.maxReferenceLength) bytes, is required")
        }
        guard let name = fields.product else { throw .invalid("product: voice, sms, a deck product name or a metered product's name") }
        guard let guessed = Product(apiName: name) else {
            guard ServicePriceKey.isProductName(name) else {
                throw .invalid("product: voice, sms, a deck product name or a metered product's name")
            }
            try self.init(id: id, service: name, fields: fields, now: now)
            return
        }
        try self.init(id: id, product: guessed, fields: fields, now: now)
    }

    private init(id: String, product: Product, fields: UsageFields, now: Instant) throws(UsageProblem) {
        guard fields.units == nil, fields.variant == nil, fields.country == nil else {
            throw .invalid("units, variant and country are for metered products: \(product.rawValue) is charged by seconds or messages")
        }
        guard let to = fields.to else { throw .invalid("to: the number called is required") }
        do { number = try PhoneNumber(parsing: to) } catch { throw .invalid("to: \(error)") }
        if let from = fields.from {
            do { origin = try CallOrigin(parsing: from) } catch { throw .invalid("from: a number or an ISO country code: \(error)") }
        } else {
            origin = nil
        }
        switch (product.isVoice, fields.seconds, fields.messages) {
        case (true, .some(let seconds), nil):
            guard UsageCharge.usageRange.contains(seconds) else {
                throw .invalid("seconds: a whole number from 0 to \(UsageCharge.usageRange.upperBound)")
            }
        case (false, nil, .some(let messages)):
            guard UsageCharge.usageRange.contains(messages) else {
                throw .invalid("messages: a whole number from 0 to \(UsageCharge.usageRange.upperBound)")
            }
        case (true, _, _): throw .invalid("seconds: a call is charged by its seconds (and has no messages)")
        case (false, _, _): throw .invalid("messages: messages are charged by their count (and have no seconds)")
        }
        occurredAt = try Self.instant(fields.occurredAt, now: now)
        self.id = id
        self.product = product
        service = nil
        originText = fields.from
        seconds = fields.seconds
        messages = fields.messages
        fingerprint = [
            product.rawValue, number!.e164, Self.originKey(origin), fields.seconds.map(String.init) ?? "",
            fields.messages.map(String.init) ?? "", String(occurredAt.secondsSince1970),
        ].joined(separator: "|")
    }

    private init(id: String, service name: String, fields: UsageFields, now: Instant) throws(UsageProblem) {
        guard fields.to == nil, fields.from == nil, fields.seconds == nil, fields.messages == nil else {
            throw .invalid("\(name) is a metered product: it is charged by units (to, from, seconds and messages are for calls and messages)")
        }
        guard let units = fields.units else { throw .invalid("units: how many units of \(name) were used is required") }
        guard UsageCharge.usageRange.contains(units) else { throw .invalid("units: a whole number from 0 to \(UsageCharge.usageRange.upperBound)") }
        if let variant = fields.variant, !ServicePriceKey.isToken(variant) {
            throw .invalid("variant: 1 to 64 printable characters without spaces, commas or quotes")
        }
        var country: String?
        if let text = fields.country {
            guard text.utf8.count == 2, text.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0 & 0xDF) }) else {
                throw .invalid("country: an ISO 3166-1 alpha-2 code such as ES")
            }
            country = text.uppercased()
        }
        occurredAt = try Self.instant(fields.occurredAt, now: now)
        self.id = id
        product = nil
        number = nil
        origin = nil
        originText = nil
        seconds = nil
        messages = nil
        service = ServiceUsage(product: name, variant: fields.variant, country: country, units: units)
        fingerprint = [name, fields.variant ?? "", country ?? "", String(units), String(occurredAt.secondsSince1970)].joined(separator: "|")
    }

    private static func instant(_ text: String?, now: Instant) throws(UsageProblem) -> Instant {
        guard let text else { throw .invalid("occurred_at: when the usage happened is required") }
        let instant: Instant
        do { instant = try Instant(parsing: text) } catch { throw .invalid("occurred_at: \(error)") }
        guard instant <= now else { throw .invalid("occurred_at: \(instant.iso8601) is in the future") }
        return instant
    }

    /// Inbound usage is charged to the account that rented the number called, for a call while
    /// it held it: `subscriptions` are the account's subscriptions of that number.
    public func checkHeld(by subscriptions: [Subscription]) throws(UsageProblem) {
        guard let product, product.isInbound, let number else { return }
        let held = subscriptions.contains { $0.startedAt <= occurredAt && ($0.endedAt.map { occurredAt < $0 } ?? true) }
        guard held else {
            throw .unchargeable(
                "\(number.e164) was not a number of this account at \(occurredAt.iso8601): inbound usage is charged to the number's renter"
            )
        }
    }

    /// The origin in one normal form (`+34...` for a number, `ES` for a country), so that two
    /// spellings of one record are one record.
    static func originKey(_ origin: CallOrigin?) -> String {
        switch origin {
        case .number(let number): number.e164
        case .country(let code): code
        case nil: ""
        }
    }

    /// Prices the record in `book` at the instant it occurred, converts it into `currency`
    /// with `exchange` (the rates in force then) and returns the charge to post, with its
    /// explanation.
    public func posting(
        accountID: Int64,
        currency: CurrencyCode,
        book: PricedBook,
        exchange: ExchangeRateTable
    ) throws(UsageProblem) -> LedgerPosting {
        guard let product, let number else {
            guard let service else { throw .invalid("neither a number nor a metered product") }
            return try service.posting(
                id: id,
                fingerprint: fingerprint,
                at: occurredAt,
                accountID: accountID,
                currency: currency,
                book: book,
                exchange: exchange
            )
        }
        let quote: PriceQuote
        do { quote = try book.quote(number, product: product, from: origin, at: occurredAt, nextChange: false) } catch {
            throw .unchargeable("no price for \(number.e164) (\(product.rawValue)) at \(occurredAt.iso8601): \(error)")
        }
        let rated: RatedUsage
        do {
            rated = try RatedUsage(quote: quote, from: originText, seconds: seconds, messages: messages, currency: currency, exchange: exchange)
        } catch {
            throw .unchargeable("\(error)")
        }
        var posting = LedgerPosting(
            accountID: accountID,
            type: .resourceCharge,
            amount: Amount(units: -rated.amount.units),
            performedAt: occurredAt,
            description: "\(product.rawValue) \(number.e164), \(rated.explanation.quantity) \(rated.explanation.unit)",
            reference: id,
            fingerprint: fingerprint,
            explanation: rated.explanation
        )
        posting.pricedIn = currency
        posting.cost = rated.cost
        posting.product = product.rawValue
        posting.country = quote.destination.country?.iso2
        return posting
    }
}

/// Why a usage record was not charged. Nothing is charged when one is reported.
public enum UsageProblem: Error, Hashable, Sendable, CustomStringConvertible {
    /// The record is malformed: a field is missing, out of range or unreadable.
    case invalid(String)
    /// Well-formed, but nothing can price it (no rate, no exchange rate, inbound).
    case unchargeable(String)
    /// The id was used before for another record.
    case conflict(String)
    /// The charge would take the balance below minus the credit limit.
    case insufficientFunds(String)

    /// What the ledger's refusal means to the client that sent the record.
    public init(refusal: LedgerError) {
        switch refusal {
        case .referenceConflict(let id): self = .conflict("the id '\(id)' was already used for a different usage record")
        case .insufficientFunds: self = .insufficientFunds(refusal.description)
        case .closedAccount, .currencyChanged: self = .conflict(refusal.description)
        default: self = .invalid(refusal.description)
        }
    }

    public var description: String {
        switch self {
        case .invalid(let text), .unchargeable(let text), .conflict(let text), .insufficientFunds(let text): text
        }
    }
}

extension Product {
    /// The API's short names (`voice`, `sms`) and every deck product name.
    public init?(apiName name: String) {
        switch name {
        case "voice": self = .voiceOutbound
        case "sms": self = .smsOutbound
        default: self.init(rawValue: name)
        }
    }
}
