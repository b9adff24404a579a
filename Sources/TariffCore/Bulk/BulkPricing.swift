/// A bulk pricing run: numbers in (CSV or NDJSON, as bytes arrive), one priced line out per
/// number in the same order, and a summary. The command line and `POST /v1/prices:bulk` both
/// run this, so the two answer a file the same way; neither holds more than a chunk.
public struct BulkPricing: Sendable {
    /// The formats read and written: CSV or one JSON object per line.
    public enum Format: String, Sendable, CaseIterable {
        case csv, ndjson
    }

    /// The columns of a CSV answer; an NDJSON line has the same members, empty ones left out.
    public static let columns = ["number", "e164", "country", "type", "network", "match", "price", "currency", "error"]
    /// Header names that may hold the numbers of a CSV file with several columns.
    static let numberColumnNames: Set<String> = ["number", "to", "msisdn", "e164", "phone", "phone_number", "destination"]

    public let pricer: BulkPricer
    public private(set) var summary = BulkPriceSummary()
    /// Told by the caller (a content type), or else by the first line: `{` starts NDJSON.
    public private(set) var inputFormat: Format?
    private let requestedOutput: Format?
    private var reader = BulkLineReader()
    private var numberColumn = 0
    private var firstLineRead = false
    private var headerWritten = false

    public init(pricer: BulkPricer, input: Format? = nil, output: Format? = nil) {
        self.pricer = pricer
        inputFormat = input
        requestedOutput = output
    }

    /// The answer's format: as asked, else the input's.
    public var outputFormat: Format { requestedOutput ?? inputFormat ?? .csv }

    /// One line read: the number's text, or why the line holds none.
    struct Item: Sendable {
        let line: Int
        let number: Result<String, BulkInputLine.Problem>
    }

    /// Prices the lines `bytes` completes, appending their answers to `output`.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        let items = read(bytes)
        answer(items[...], into: &output)
    }

    /// The last line (one without a line break), and the CSV header if there was no line at all.
    public mutating func finish(into output: inout [UInt8]) {
        let items = read(nil)
        answer(items[...], into: &output)
    }

    /// ``feed(_:into:)`` with the pricing shared among `workers` tasks: the lines are read in
    /// order, priced in as many slices at once, and answered in order.
    public mutating func feed(_ bytes: some Collection<UInt8>, workers: Int, into output: inout [UInt8]) async {
        let batch = lines(of: bytes)
        append(await Self.price(batch, pricer: pricer, format: outputFormat, workers: workers), into: &output)
    }

    /// ``finish(into:)`` with the pricing shared among `workers` tasks.
    public mutating func finish(workers: Int, into output: inout [UInt8]) async {
        let batch = lastLines()
        append(await Self.price(batch, pricer: pricer, format: outputFormat, workers: workers), into: &output)
    }

    // MARK: In stages, so that one batch is priced while the next is read and the last written

    /// Lines read, not yet priced.
    public struct Batch: Sendable {
        let items: [Item]
    }

    /// A batch's answer lines and their summary, to be appended in the batches' order.
    public struct PricedBatch: Sendable {
        let bytes: [UInt8]
        let summary: BulkPriceSummary
        /// The prefetch's reads, kept so that the optimiser keeps them.
        let touched: Int64
    }

    /// The lines `bytes` completes. Price them with ``price(_:pricer:format:workers:)`` (after
    /// this call, so that ``outputFormat`` is known) and ``append(_:into:)`` the answers in order.
    public mutating func lines(of bytes: some Collection<UInt8>) -> Batch {
        Batch(items: bytes.withContiguousStorageIfAvailable { read(UnsafeRawBufferPointer($0)) } ?? Array(bytes).withUnsafeBytes { read($0) })
    }

    /// The last line, one without a line break.
    public mutating func lastLines() -> Batch { Batch(items: read(nil)) }

    /// Prices a batch in `workers` slices at once; it touches no state of a run, so it may run
    /// while the run reads the next batch.
    public static func price(_ batch: Batch, pricer: BulkPricer, format: Format, workers: Int) async -> PricedBatch {
        let items = batch.items
        let workers = max(1, min(workers, items.count / minimumSlice))
        guard workers > 1 else {
            var bytes: [UInt8] = []
            var summary = BulkPriceSummary()
            let touched = answer(items[...], pricer: pricer, format: format, into: &bytes, summary: &summary)
            return PricedBatch(bytes: bytes, summary: summary, touched: touched)
        }
        let size = (items.count + workers - 1) / workers
        let parts = await withTaskGroup(of: (Int, [UInt8], BulkPriceSummary, Int64).self) { group in
            for index in 0..<workers {
                let slice = items[min(items.count, index * size)..<min(items.count, (index + 1) * size)]
                group.addTask {
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(slice.count * 96)
                    var summary = BulkPriceSummary()
                    let touched = answer(slice, pricer: pricer, format: format, into: &bytes, summary: &summary)
                    return (index, bytes, summary, touched)
                }
            }
            var parts: [(Int, [UInt8], BulkPriceSummary, Int64)] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.1.count })
        var summary = BulkPriceSummary()
        var touched: Int64 = 0
        for (_, part, partSummary, partTouched) in parts {
            bytes.append(contentsOf: part)
            summary.merge(partSummary)
            touched &+= partTouched
        }
        return PricedBatch(bytes: bytes, summary: summary, touched: touched)
    }

    /// Appends a priced batch's answer (after the CSV header, the first time) and counts it.
    public mutating func append(_ priced: PricedBatch, into output: inout [UInt8]) {
        writeHeaderOnce(into: &output)
        output.append(contentsOf: priced.bytes)
        summary.merge(priced.summary)
    }

    /// The numbers of the lines `bytes` completes, in order; nil reads the last line, one
    /// without a line break.
    mutating func read(_ bytes: UnsafeRawBufferPointer?) -> [Item] {
        var items: [Item] = []
        var reader = BulkLineReader()
        swap(&reader, &self.reader)
        if let bytes {
            reader.feed(bytes) { number, line in read(line: number, bytes: line, into: &items) }
        } else {
            reader.finish { number, line in read(line: number, bytes: line, into: &items) }
        }
        swap(&reader, &self.reader)
        return items
    }

    private mutating func read(line number: Int, bytes: UnsafeRawBufferPointer?, into items: inout [Item]) {
        guard let bytes else {
            return items.append(Item(line: number, number: .failure(BulkInputLine.Problem(message: "line longer than \(reader.maxLineBytes) bytes"))))
        }
        var trimmed = Self.trimmed(bytes)
        // A byte-order mark opens some spreadsheet exports.
        if number == 1, trimmed.starts(with: [0xEF, 0xBB, 0xBF]) { trimmed = Self.trimmed(UnsafeRawBufferPointer(rebasing: trimmed.dropFirst(3))) }
        guard !trimmed.isEmpty else { return }
        if inputFormat == nil { inputFormat = trimmed.first == UInt8(ascii: "{") ? .ndjson : .csv }
        let isFirst = !firstLineRead
        firstLineRead = true
        switch inputFormat! {
        case .ndjson:
            items.append(Item(line: number, number: BulkInputLine.numberFromJSON(trimmed)))
        case .csv:
            if isFirst, let column = BulkInputLine.headerColumn(trimmed, names: Self.numberColumnNames) {
                numberColumn = column
                return
            }
            items.append(Item(line: number, number: BulkInputLine.numberFromCSV(trimmed, column: numberColumn)))
        }
    }

    /// Prices `items` and appends their answers.
    private mutating func answer(_ items: ArraySlice<Item>, into output: inout [UInt8]) {
        writeHeaderOnce(into: &output)
        Self.answer(items, pricer: pricer, format: outputFormat, into: &output, summary: &summary)
    }

    /// Below this many numbers a slice is not worth a task of its own.
    static var minimumSlice: Int { 2048 }

    /// Numbers parsed, and their first reads made, together before they are priced.
    static var prefetchGroup: Int { 16 }

    /// Prices `items` and appends their answers. Returns what ``RateBook/prefetch(_:product:)``
    /// read, only so that those reads are kept.
    @discardableResult
    static func answer(
        _ items: ArraySlice<Item>,
        pricer: BulkPricer,
        format: Format,
        into output: inout [UInt8],
        summary: inout BulkPriceSummary
    ) -> Int64 {
        var parsed: [Result<PhoneNumber, PhoneNumberError>?] = []
        var keys: [DigitKey] = []
        parsed.reserveCapacity(prefetchGroup)
        keys.reserveCapacity(prefetchGroup)
        var touched: Int64 = 0
        var start = items.startIndex
        while start < items.endIndex {
            let group = items[start..<min(start + prefetchGroup, items.endIndex)]
            start = group.endIndex
            parsed.removeAll(keepingCapacity: true)
            keys.removeAll(keepingCapacity: true)
            for item in group {
                guard case .success(let text) = item.number else {
                    parsed.append(nil)
                    continue
                }
                let number = BulkPricer.parse(text)
                if case .success(let number) = number { keys.append(number.key) }
                parsed.append(number)
            }
            touched &+= keys.withUnsafeBufferPointer { pricer.book.book.prefetch($0, product: pricer.product) }
            for (item, number) in zip(group, parsed) {
                let line: BulkPriceLine
                switch (item.number, number) {
                case (.success(let text), let number?): line = pricer.price(text, parsed: number)
                case (.failure(let problem), _): line = BulkPriceLine(number: "", error: problem.message)
                case (.success, nil): preconditionFailure("every number read was parsed")
                }
                summary.add(line, at: item.line)
                switch format {
                case .csv: BulkOutput.csv(line, into: &output)
                case .ndjson: BulkOutput.ndjson(line, into: &output)
                }
            }
        }
        return touched
    }

    private mutating func writeHeaderOnce(into output: inout [UInt8]) {
        guard !headerWritten else { return }
        headerWritten = true
        if outputFormat == .csv { output.append(contentsOf: (Self.columns.joined(separator: ",") + "\n").utf8) }
    }

    /// Without spaces and tabs at either end.
    static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }
}
