import Foundation
import Hummingbird
import Logging
import NIOCore
import TariffCore
import TariffStore

/// `POST /v1/admin/decks`: a deck uploaded as the request body, imported as `tariff import`
/// does, all rows or none. The query takes the command's options: `kind` (rates, carrier,
/// numbers, templates or inventory), `product`, `currency`, `origin`, `effective_from`,
/// `partial=true`, `dry_run=true` (the change summary and every problem, nothing stored).
/// The body goes to a temporary file as it arrives, never whole into memory: a carrier deck
/// runs to a million rows. Problems come back as `body:LINE: column: problem`.
struct NativeAdminDecksController<Context: RequestContext> {
    let state: LiveState
    /// The largest body taken; a carrier deck of a million rows is about 100 MB.
    var maxBodyBytes = 1 << 30

    func addRoutes(to group: RouterGroup<Context>) {
        group.post("admin/decks") { request, _ in try await upload(request) }
        group.get("admin/decks") { request, _ in try await versions(request) }
        group.get("admin/decks/:deck/diff") { request, context in try await diff(request, context: context) }
    }

    /// A deck's name as a request gives it: what `tariff import` names decks with.
    static func deckName(_ text: String?) throws -> String {
        guard let text else { return "base" }
        guard (1...64).contains(text.count), text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw NativeError.badRequest("deck: 1 to 64 letters, digits, '-' or '_'")
        }
        return text
    }

    struct VersionList: Encodable {
        let deck: String
        let versions: [DeckVersionRecord]
        let totalCount: Int
    }

    /// `GET /v1/admin/decks?deck=`: a deck's versions, oldest first.
    func versions(_ request: Request) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let deck = try Self.deckName(request.uri.queryParameters.get("deck"))
        let versions = try await state.store.decks.versions(deck: deck).map(DeckVersionRecord.init)
        return try NativeEncoding.json(VersionList(deck: deck, versions: versions, totalCount: versions.count))
    }

    /// `GET /v1/admin/decks/{deck}/diff?from=&to=[&at=][&limit=]`: the prices that differ,
    /// in force at `at`, between what the deck held as of version `from` and as of `to`.
    func diff(_ request: Request, context: Context) async throws -> Response {
        _ = try await NativeAuth.operator(request, state: state)
        let deck = try Self.deckName(try context.parameters.require("deck"))
        let query = request.uri.queryParameters
        guard let from = query.get("from").flatMap({ Int64($0) }), from >= 0 else {
            throw NativeError.badRequest("from: a version of the deck, or 0 for before its first")
        }
        guard let to = query.get("to").flatMap({ Int64($0) }), to > from else { throw NativeError.badRequest("to: a version of the deck after from") }
        var at = state.now()
        if let text = query.get("at") {
            do { at = try Instant(parsing: text) } catch { throw NativeError.badRequest("at: \(error)") }
        }
        var limit = 1000
        if let text = query.get("limit") {
            guard let value = Int(text), (1...10_000).contains(value) else { throw NativeError.badRequest("limit: 1 to 10000") }
            limit = value
        }
        let known = Set(try await state.store.decks.versions(deck: deck).map(\.id))
        guard !known.isEmpty else { throw NativeError.notFound("no deck named \(deck)") }
        guard from == 0 || known.contains(from), known.contains(to) else {
            throw NativeError.notFound("deck \(deck) has no version \(known.contains(to) ? from : to)")
        }
        let diff = try await DeckComparison.diff(state.store.decks, deck: deck, from: from, to: to, at: at, limit: limit)
        return try NativeEncoding.json(DiffBody(deck: deck, diff: diff))
    }

    struct DiffBody: Encodable {
        struct Summary: Encodable {
            let new: Int
            let increased: Int
            let decreased: Int
            let closed: Int
            let otherTerms: Int
        }

        struct Side: Encodable {
            let price: String
            let currency: String
            let effectiveFrom: String

            init(_ side: DeckDiff.Side) {
                price = side.price.formatted(decimals: Amount.scale)
                currency = side.currency.rawValue
                effectiveFrom = side.effectiveFrom.iso8601
            }
        }

        struct Change: Encodable {
            let kind: String
            let key: String
            let change: String
            let old: Side?
            let new: Side?

            enum CodingKeys: String, CodingKey { case kind, key, change, old, new }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(kind, forKey: .kind)
                try container.encode(key, forKey: .key)
                try container.encode(change, forKey: .change)
                // null, not absent: a new price has no old side, a closed one no new side.
                try container.encode(old, forKey: .old)
                try container.encode(new, forKey: .new)
            }
        }

        let deck: String
        let from: Int64
        let to: Int64
        let at: String
        let summary: Summary
        let changes: [Change]
        let changesTotal: Int
        let truncated: Bool

        init(deck: String, diff: DeckDiff) {
            self.deck = deck
            from = diff.from
            to = diff.to
            at = diff.instant.iso8601
            summary = Summary(
                new: diff.count(.new),
                increased: diff.count(.increased),
                decreased: diff.count(.decreased),
                closed: diff.count(.closed),
                otherTerms: diff.count(.otherTerms)
            )
            changes = diff.items.map {
                Change(kind: $0.kind, key: $0.key, change: $0.change.rawValue, old: $0.old.map(Side.init), new: $0.new.map(Side.init))
            }
            changesTotal = diff.total
            truncated = diff.total > diff.items.count
        }
    }

    enum Kind: String, CaseIterable {
        case rates, carrier, numbers, templates, inventory
    }

    /// `minimum_notice` (days, default 7) and `allow_short_notice`: the notice rule for rises.
    static func notice(_ query: Parameters) throws -> Int? {
        var days = DeckOptions.defaultNoticeDays
        if let text = query.get("minimum_notice") {
            guard text.utf8.count <= 5, let value = Int(text), (0...DeckOptions.maximumNoticeDays).contains(value) else {
                throw NativeError.badRequest("minimum_notice: a whole number of days from 0 to \(DeckOptions.maximumNoticeDays)")
            }
            days = value
        }
        return try UploadSpool.flag(query.get("allow_short_notice"), name: "allow_short_notice") ? nil : days
    }

    func upload(_ request: Request) async throws -> Response {
        let token = try await NativeAuth.operator(request, state: state)
        let query = request.uri.queryParameters
        let kind = try Self.choice(query.get("kind"), name: "kind") ?? Kind.rates
        let dryRun = try UploadSpool.flag(query.get("dry_run"), name: "dry_run")
        var options = DeckOptions(
            kind: DeckKind(rawValue: kind.rawValue) ?? .rates,
            product: try Self.choice(query.get("product"), name: "product"),
            origin: try Self.choice(query.get("origin"), name: "origin"),
            partial: try UploadSpool.flag(query.get("partial"), name: "partial"),
            now: state.now(),
            minimumNoticeDays: try Self.notice(query)
        )
        if let text = query.get("currency") {
            guard let code = CurrencyCode(text) else { throw NativeError.badRequest("currency: '\(text)' is not an ISO 4217 code") }
            options.currency = code
        }
        if let text = query.get("effective_from") {
            do { options.effectiveFrom = try Instant(parsing: text) } catch { throw NativeError.badRequest("effective_from: \(error)") }
        }
        let file = try await UploadSpool.file(request.body, upTo: maxBodyBytes)
        defer { try? FileManager.default.removeItem(atPath: file) }
        let started = ContinuousClock.now
        do {
            let rows: Int
            let answer: Response
            let audited: (target: String, detail: String)
            if kind == .inventory {
                let report = try await StockImporter(store: state.store, reference: state.reference)
                    .importFile(path: file, displayName: "body", dryRun: dryRun, now: options.now)
                rows = report.rows
                answer = try NativeEncoding.json(report, status: dryRun ? .ok : .created)
                audited = ("stock", "inventory of \(rows) rows")
            } else {
                let outcome = try await DeckImporter(store: state.store, reference: state.reference, logger: state.logger)
                    .importFile(path: file, displayName: "body", options: options, dryRun: dryRun)
                rows = outcome.rowCount
                answer = try NativeEncoding.json(ImportReport(outcome: outcome, dryRun: dryRun), status: dryRun ? .ok : .created)
                let version = outcome.version.map { "version \($0.id)" } ?? "no new version"
                audited = ("deck:\(outcome.version?.deck ?? "base")", "\(kind.rawValue), \(rows) rows, \(version): \(outcome.summary.description)")
            }
            if !dryRun {
                state.metrics.imported(rows: rows, duration: ContinuousClock.now - started)
                // This node serves it at once; the others hear of it from the store.
                state.reloadTrigger.fire()
                await state.audit(token, "deck.import", target: audited.target, detail: audited.detail)
            }
            state.logger.notice(
                "deck uploaded",
                metadata: ["operator": "\(token.id)", "kind": "\(kind.rawValue)", "rows": "\(rows)", "dry_run": "\(dryRun)"]
            )
            return answer
        } catch let failure as ImportFailure {
            throw NativeError.importRefused(failure)
        }
    }

    /// The named case, nil when the parameter is absent, a 400 listing the cases otherwise.
    static func choice<Value: RawRepresentable & CaseIterable>(_ text: String?, name: String) throws -> Value?
    where Value.RawValue == String {
        guard let text else { return nil }
        guard let found = Value(rawValue: text) else {
            throw NativeError.badRequest("\(name): one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return found
    }
}
