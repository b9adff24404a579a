/// A compiled book as bytes, so that a restart reads it instead of compiling every stored
/// version: packed rows as they are in memory, the shared strings and terms, subscription
/// prices. A checksum covers everything after the header; a reader checks it, the format, the
/// deck, the rows' ids and order, and refuses anything else, so a damaged or foreign file is
/// rebuilt rather than trusted.
public enum RateBookSnapshot {
    static let magic: [UInt8] = Array("TARIFFBK".utf8)
    /// Raised whenever the layout of the bytes (or of ``RateRow``) changes.
    /// 2: metered service prices and subscription templates follow the number prices.
    static let format: UInt64 = 2

    /// What a snapshot was made from, to compare with the store before it is used.
    public struct Header: Sendable, Equatable {
        public let deck: String
        public let version: Int64
        /// Identifies the stored deck version beyond its number (a new database reuses numbers).
        public let stamp: String
    }

    /// Why bytes are not a sound snapshot of this deck and version; the caller rebuilds from the store.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case notASnapshot
        case otherFormat(UInt64)
        case checksum
        case corrupt(String)

        public var description: String {
            switch self {
            case .notASnapshot: "not a rate book snapshot"
            case .otherFormat(let format): "snapshot format \(format), this build reads \(RateBookSnapshot.format)"
            case .checksum: "checksum mismatch (the file is damaged)"
            case .corrupt(let what): "inconsistent snapshot: \(what)"
            }
        }
    }

    /// The bytes of `book`, stamped with `stamp`.
    public static func encode(_ book: RateBook, stamp: String) -> [UInt8] {
        var bytes: [UInt8] = []
        // Appending to an array cannot fail.
        let sum = try! write(book, stamp: stamp) { bytes += $0 }
        withUnsafeBytes(of: sum.littleEndian) { bytes.replaceSubrange(checksumOffset..<checksumOffset + 8, with: $0) }
        return bytes
    }

    /// Where the checksum sits: after the magic and the format, before what it covers.
    public static let checksumOffset = 16

    /// Streams the bytes of `book` to `sink` in chunks, rows straight from the book's memory,
    /// and returns the checksum, which the caller writes at ``checksumOffset`` (the stream has
    /// zeros there).
    public static func write(_ book: RateBook, stamp: String, to sink: @escaping (UnsafeRawBufferPointer) throws -> Void) throws -> UInt64 {
        var tables = book.tables
        // Inbound rows are few and kept as rates; packed here only to share the row format.
        var inbound: [(RateBook.ListKey, [RateRow])] = []
        for (product, rates) in book.inboundRates.sorted(by: { $0.key < $1.key }) {
            var byOrigin: [OriginScope: [RateRow]] = [:]
            for rate in rates {
                // Inbound prefixes are callers' and were digits when stored; a row that does not pack is left out.
                if let row = tables.row(for: rate) { byOrigin[rate.key.origin, default: []].append(row) }
            }
            for (origin, rows) in byOrigin.sorted(by: { $0.key < $1.key }) { inbound.append((.init(product: product, origin: origin), rows)) }
        }
        var out = ByteWriter(sink: sink)
        out.bytes(magic)
        out.int(format)
        out.int(0)
        out.string(book.deck)
        out.int(book.version)
        out.string(stamp)
        out.int(tables.strings.count)
        for string in tables.strings { out.string(string) }
        out.int(tables.terms.count)
        for terms in tables.terms {
            out.string(terms.currency.rawValue)
            out.int(terms.increment?.initial ?? 0)
            out.int(terms.increment?.subsequent ?? 0)
            out.int(terms.connectFee.units)
            out.string(terms.description)
            out.string(terms.resource)
        }
        let lists = book.lists.entries.map { ($0.key, $0.value.rows) }
        out.int(lists.count + inbound.count)
        for (key, rows) in lists + inbound {
            out.string(key.product.rawValue)
            out.string(key.origin.rawValue)
            try out.rows(rows)
        }
        out.int(book.numberPrices.count)
        for price in book.numberPrices {
            out.string(price.key.country)
            out.string(price.key.category)
            out.optional(price.key.regionCode)
            out.int(price.effectiveFrom.secondsSince1970)
            out.int(price.deckVersion)
            if let terms = price.terms {
                out.int(1)
                out.optional(terms.regionName)
                out.int(terms.installation.units)
                out.int(terms.monthly.units)
                out.string(terms.currency.rawValue)
                out.optional(terms.incomingResource)
            } else {
                out.int(0)
            }
            try out.flushIfLarge()
        }
        out.int(book.services.prices.count)
        for price in book.services.prices {
            out.string(price.key.product)
            out.optional(price.key.variant)
            out.optional(price.key.country)
            out.int(price.effectiveFrom.secondsSince1970)
            out.int(price.deckVersion)
            if let terms = price.terms {
                out.int(1)
                out.string(terms.unit)
                out.int(terms.price.units)
                out.int(terms.perUnits)
                out.int(terms.minimum)
                out.int(terms.increment.initial)
                out.int(terms.increment.subsequent)
                out.int(terms.setupFee.units)
                out.string(terms.currency.rawValue)
                out.string(terms.description)
                out.string(terms.resource)
            } else {
                out.int(0)
            }
        }
        out.int(book.templates.prices.count)
        for price in book.templates.prices {
            out.string(price.key.name)
            out.int(price.effectiveFrom.secondsSince1970)
            out.int(price.deckVersion)
            if let terms = price.terms {
                out.int(1)
                out.string(terms.type)
                out.string(terms.displayName)
                out.int(terms.installation.units)
                out.int(terms.monthly.units)
                out.string(terms.currency.rawValue)
                out.string(terms.includes.map(\.description).joined(separator: ";"))
            } else {
                out.int(0)
            }
        }
        return try out.finish()
    }

    /// The header alone, after checking the format (not the checksum): cheap, to decide whether
    /// the snapshot is of the version wanted before reading the rest.
    public static func header(of bytes: UnsafeRawBufferPointer) throws(Failure) -> Header {
        var reader = ByteReader(bytes)
        return try readHeader(&reader)
    }

    /// The book in `bytes`, after every check.
    public static func decode(_ bytes: UnsafeRawBufferPointer, reference: ReferenceData) throws(Failure) -> (Header, RateBook) {
        var reader = ByteReader(bytes)
        let header = try readHeader(&reader)
        guard bytes.count % 8 == 0 else { throw .checksum }
        guard readChecksum(bytes) == mix(seed, bytes, from: checksumOffset + 8) else { throw .checksum }

        let stringCount = try reader.count()
        var strings: [String] = []
        strings.reserveCapacity(stringCount)
        for _ in 0..<stringCount { strings.append(try reader.string()) }
        let termCount = try reader.count()
        var terms: [SharedTerms] = []
        terms.reserveCapacity(termCount)
        for _ in 0..<termCount {
            guard let currency = CurrencyCode(try reader.string()) else { throw .corrupt("currency") }
            let initial = try reader.int()
            let subsequent = try reader.int()
            var increment: BillingIncrement?
            if initial != 0 || subsequent != 0 {
                guard let given = BillingIncrement(initial: Int(initial), subsequent: Int(subsequent)) else { throw .corrupt("increment") }
                increment = given
            }
            terms.append(
                SharedTerms(
                    currency: currency,
                    increment: increment,
                    connectFee: Amount(units: try reader.int()),
                    description: try reader.string(),
                    resource: try reader.string()
                )
            )
        }
        let tables = RateTables(strings: strings, terms: terms)

        var lists = PriceLists()
        var inbound: [Rate] = []
        for _ in 0..<(try reader.count()) {
            guard let product = Product(rawValue: try reader.string()), let origin = OriginScope(rawValue: try reader.string()) else {
                throw .corrupt("product or origin")
            }
            let rows = try reader.rows()
            for (position, row) in rows.enumerated() {
                guard row.terms < terms.count, row.country < strings.count, row.network < strings.count, row.numberType < strings.count,
                    row.terms >= -1, row.country >= -1, row.network >= -1, row.numberType >= -1
                else { throw .corrupt("row \(position) of \(product.rawValue)/\(origin.rawValue) points outside the tables") }
                if row.prefix != 0, !DigitKey(packed: row.prefix).isWellFormed {
                    throw .corrupt("row \(position) has no valid prefix")
                }
            }
            if product.isInbound {
                inbound += rows.map { tables.rate($0, product: product, origin: origin) }
                continue
            }
            let key = RateBook.ListKey(product: product, origin: origin)
            guard lists[key] == nil else { throw .corrupt("list \(product.rawValue)/\(origin.rawValue) twice") }
            for position in rows.indices.dropFirst() where tables.precedes(rows[position], rows[position - 1]) {
                throw .corrupt("rows of \(product.rawValue)/\(origin.rawValue) out of order at \(position)")
            }
            do { lists[key] = try PriceList(product: product, origin: origin, rows: rows, tables: tables) } catch {
                throw .corrupt("prefix index: \(error)")
            }
        }

        var numberPrices: [NumberPrice] = []
        for _ in 0..<(try reader.count()) {
            let key = NumberPriceKey(country: try reader.string(), category: try reader.string(), regionCode: try reader.optional())
            let from = Instant(secondsSince1970: try reader.int())
            let deckVersion = try reader.int()
            var priceTerms: NumberPriceTerms?
            if try reader.int() == 1 {
                let regionName = try reader.optional()
                let installation = Amount(units: try reader.int())
                let monthly = Amount(units: try reader.int())
                guard let currency = CurrencyCode(try reader.string()) else { throw .corrupt("number price currency") }
                priceTerms = NumberPriceTerms(
                    regionName: regionName,
                    installation: installation,
                    monthly: monthly,
                    currency: currency,
                    incomingResource: try reader.optional()
                )
            }
            numberPrices.append(NumberPrice(key: key, effectiveFrom: from, terms: priceTerms, deckVersion: deckVersion))
        }
        var servicePrices: [ServicePrice] = []
        for _ in 0..<(try reader.count()) {
            let key = ServicePriceKey(product: try reader.string(), variant: try reader.optional(), country: try reader.optional())
            let from = Instant(secondsSince1970: try reader.int())
            let deckVersion = try reader.int()
            var terms: ServicePriceTerms?
            if try reader.int() == 1 {
                let unit = try reader.string()
                let price = Amount(units: try reader.int())
                let perUnits = Int(try reader.int())
                let minimum = Int(try reader.int())
                guard let increment = UnitIncrement(initial: Int(try reader.int()), subsequent: Int(try reader.int())) else {
                    throw .corrupt("service increment")
                }
                let setupFee = Amount(units: try reader.int())
                guard let currency = CurrencyCode(try reader.string()) else { throw .corrupt("service price currency") }
                terms = ServicePriceTerms(
                    unit: unit,
                    price: price,
                    perUnits: perUnits,
                    minimum: minimum,
                    increment: increment,
                    setupFee: setupFee,
                    currency: currency,
                    description: try reader.string(),
                    resource: try reader.string()
                )
            }
            servicePrices.append(ServicePrice(key: key, effectiveFrom: from, terms: terms, deckVersion: deckVersion))
        }
        var templatePrices: [TemplatePrice] = []
        for _ in 0..<(try reader.count()) {
            let key = TemplateKey(name: try reader.string())
            let from = Instant(secondsSince1970: try reader.int())
            let deckVersion = try reader.int()
            var terms: TemplateTerms?
            if try reader.int() == 1 {
                let type = try reader.string()
                let displayName = try reader.string()
                let installation = Amount(units: try reader.int())
                let monthly = Amount(units: try reader.int())
                guard let currency = CurrencyCode(try reader.string()), let includes = Allowance.list(parsing: try reader.string()) else {
                    throw .corrupt("template currency or allowances")
                }
                terms = TemplateTerms(
                    type: type,
                    displayName: displayName,
                    installation: installation,
                    monthly: monthly,
                    currency: currency,
                    includes: includes
                )
            }
            templatePrices.append(TemplatePrice(key: key, effectiveFrom: from, terms: terms, deckVersion: deckVersion))
        }
        let book = RateBook(
            deck: header.deck,
            version: header.version,
            reference: reference,
            tables: tables,
            lists: lists,
            inbound: inbound,
            numberPrices: numberPrices,
            services: ServiceCatalog(servicePrices),
            templates: TemplateCatalog(templatePrices)
        )
        return (header, book)
    }

    private static func readHeader(_ reader: inout ByteReader) throws(Failure) -> Header {
        guard reader.remaining >= 24, try reader.bytes(8) == magic else { throw .notASnapshot }
        let format = UInt64(bitPattern: try reader.int())
        guard format == Self.format else { throw .otherFormat(format) }
        _ = try reader.int()
        return Header(deck: try reader.string(), version: try reader.int(), stamp: try reader.string())
    }

    private static func readChecksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: checksumOffset, as: UInt64.self))
    }

    static let seed: UInt64 = 0x243F_6A88_85A3_08D3

    /// A fast 64-bit mix over 8-byte words: enough to tell a damaged file, not a forged one
    /// (whoever can write beside the database can write the database).
    static func mix(_ hash: UInt64, _ bytes: UnsafeRawBufferPointer, from start: Int) -> UInt64 {
        var hash = hash
        var offset = start
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 31
            offset += 8
        }
        return hash
    }
}

/// Little-endian fields, strings as a length and UTF-8 bytes, passed on in chunks whose
/// lengths are multiples of 8, so that the checksum reads whole words.
private struct ByteWriter {
    var data: [UInt8] = []
    /// Bytes passed to the sink so far.
    var written = 0
    var hash = RateBookSnapshot.seed
    let sink: (UnsafeRawBufferPointer) throws -> Void

    mutating func bytes(_ bytes: [UInt8]) { data += bytes }
    mutating func int(_ value: Int64) { withUnsafeBytes(of: value.littleEndian) { data += $0 } }
    mutating func int(_ value: Int) { int(Int64(value)) }
    mutating func int(_ value: UInt64) { int(Int64(bitPattern: value)) }
    mutating func string(_ value: String) {
        int(value.utf8.count)
        data += value.utf8
    }
    mutating func optional(_ value: String?) {
        int(value == nil ? 0 : 1)
        if let value { string(value) }
    }
    /// Rows as they are in memory, after padding to 8 bytes so that a reader can copy them whole.
    mutating func rows(_ rows: [RateRow]) throws {
        int(rows.count)
        pad()
        try flush()
        try rows.withUnsafeBytes { try emit($0) }
    }
    mutating func pad() {
        while data.count % 8 != 0 { data.append(0) }
    }
    mutating func flushIfLarge() throws {
        if data.count >= 1 << 20 {
            pad()
            try flush()
        }
    }
    /// Everything held so far (padded: a multiple of 8).
    mutating func flush() throws {
        let held = data
        data.removeAll(keepingCapacity: true)
        try held.withUnsafeBytes { try emit($0) }
    }
    mutating func finish() throws -> UInt64 {
        pad()
        try flush()
        return hash
    }
    private mutating func emit(_ chunk: UnsafeRawBufferPointer) throws {
        // The header up to and including the checksum is not covered.
        let skip = max(0, RateBookSnapshot.checksumOffset + 8 - written)
        hash = RateBookSnapshot.mix(hash, chunk, from: min(skip, chunk.count))
        try sink(chunk)
        written += chunk.count
    }
}

private struct ByteReader {
    let base: UnsafeRawBufferPointer
    var offset = 0

    init(_ base: UnsafeRawBufferPointer) { self.base = base }

    var remaining: Int { base.count - offset }

    mutating func bytes(_ count: Int) throws(RateBookSnapshot.Failure) -> [UInt8] {
        guard count >= 0, count <= remaining else { throw .corrupt("truncated") }
        defer { offset += count }
        return Array(base[offset..<offset + count])
    }

    mutating func int() throws(RateBookSnapshot.Failure) -> Int64 {
        guard remaining >= 8 else { throw .corrupt("truncated") }
        defer { offset += 8 }
        return Int64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: Int64.self))
    }

    /// A count of items that each take at least a byte: never more than the bytes left.
    mutating func count() throws(RateBookSnapshot.Failure) -> Int {
        let value = try int()
        guard value >= 0, value <= Int64(remaining) else { throw .corrupt("count \(value) exceeds the file") }
        return Int(value)
    }

    mutating func string() throws(RateBookSnapshot.Failure) -> String {
        let length = try count()
        defer { offset += length }
        guard let text = String(validating: base[offset..<offset + length], as: UTF8.self) else { throw .corrupt("text is not UTF-8") }
        return text
    }

    mutating func optional() throws(RateBookSnapshot.Failure) -> String? {
        switch try int() {
        case 0: return nil
        case 1: return try string()
        default: throw .corrupt("optional flag")
        }
    }

    mutating func rows() throws(RateBookSnapshot.Failure) -> [RateRow] {
        let count = try int()
        let stride = MemoryLayout<RateRow>.stride
        while offset % 8 != 0 { offset += 1 }
        guard count >= 0, count <= Int64(remaining / stride) else { throw .corrupt("row count \(count) exceeds the file") }
        let rows = [RateRow](unsafeUninitializedCapacity: Int(count)) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: UnsafeRawBufferPointer(rebasing: base[offset..<offset + Int(count) * stride]))
            initialized = Int(count)
        }
        offset += Int(count) * stride
        return rows
    }
}
