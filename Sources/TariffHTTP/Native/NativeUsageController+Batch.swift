import Foundation
import Hummingbird
import NIOCore
import Synchronization
import TariffCore
import TariffStore

/// `POST /v1/usage:batch`: usage records as NDJSON or one JSON array (a day of CDRs), each
/// answered on its own NDJSON line, in order, while the body is still arriving. A bad record is
/// an error line and does not stop the others. The answers of a chunk are written once its
/// charges are committed, so an answered charge is a durable one.
extension NativeUsageController {
    func batch(_ request: Request, context: Context) async throws -> Response {
        let account = try await NativeAuth.account(request, state: state)
        let body = request.body
        let state = self.state
        return Response(
            status: .ok,
            headers: [.contentType: "application/x-ndjson"],
            body: ResponseBody { writer in
                var splitter = JSONRecordSplitter(maxRecordBytes: Self.maxBodyBytes)
                let charger = BatchCharger(account: account, state: state)
                // The next chunk is read and rated while the previous one commits: the two
                // cores share the work, and answers still go out in order. Records gather
                // while a commit is under way (up to `chunkRecords`), so that a fast upload
                // commits in large transactions and a slow stream is charged as it comes.
                var committing: (task: Task<ByteBuffer, any Error>, done: CommitDone)?
                var pending: [JSONRecordSplitter.Piece] = []
                func send(_ count: Int) async throws {
                    let rated = try await charger.rate(Array(pending.prefix(count)))
                    pending.removeFirst(count)
                    if let previous = committing { try await writer.write(try await previous.task.value) }
                    let done = CommitDone()
                    committing = (Task { try await done.marking { try await charger.commit(rated) } }, done)
                }
                for try await buffer in body {
                    pending += splitter.feed(buffer.readableBytesView)
                    while pending.count >= Self.chunkRecords { try await send(Self.chunkRecords) }
                    if !pending.isEmpty, committing?.done.isDone ?? true { try await send(pending.count) }
                }
                pending += splitter.finish()
                while !pending.isEmpty { try await send(min(pending.count, Self.chunkRecords)) }
                if let previous = committing { try await writer.write(try await previous.task.value) }
                try await writer.finish(nil)
            }
        )
    }
}

extension NativeUsageController {
    /// At most this many records are rated and committed together.
    static var chunkRecords: Int { 2000 }
}

/// Whether a chunk's commit has finished, asked without waiting for it.
final class CommitDone: Sendable {
    private let state = Mutex(false)

    var isDone: Bool { state.withLock { $0 } }

    func marking<T: Sendable>(_ work: () async throws -> T) async rethrows -> T {
        defer { state.withLock { $0 = true } }
        return try await work()
    }
}

/// Rates and charges the records of one batch request, chunk by chunk.
struct BatchCharger: Sendable {
    let account: Account
    let state: LiveState

    /// A chunk rated: an answer for each record already refused, a posting for each other one.
    struct Rated: Sendable {
        let pieces: [JSONRecordSplitter.Piece]
        var answers: [BatchAnswer?]
        var postings: [LedgerPosting] = []
        var postingIndexes: [Int] = []
    }

    func rate(_ pieces: [JSONRecordSplitter.Piece]) async throws -> Rated {
        var rated = Rated(pieces: pieces, answers: Array(repeating: nil, count: pieces.count))
        var decoded: [(index: Int, fields: UsageFields)] = []
        for (index, piece) in pieces.enumerated() {
            if let problem = piece.problem {
                rated.answers[index] = BatchAnswer(piece: piece, id: nil, problem: .invalid(problem))
                continue
            }
            do { decoded.append((index, try UsageFields.decoded(json: piece.bytes))) } catch {
                rated.answers[index] = BatchAnswer(piece: piece, id: nil, problem: .invalid(UsageFields.notARecord))
            }
        }
        let postings = try await state.usagePostings(for: decoded.map(\.fields), account: account)
        for ((index, fields), result) in zip(decoded, postings) {
            switch result {
            case .success(let posting):
                rated.postings.append(posting)
                rated.postingIndexes.append(index)
            case .failure(let problem):
                rated.answers[index] = BatchAnswer(piece: pieces[index], id: fields.id, problem: problem)
            }
        }
        return rated
    }

    /// Charges the chunk's postings in one call to the ledger; one answer line per record, in order.
    func commit(_ chunk: Rated) async throws -> ByteBuffer {
        var answers = chunk.answers
        let outcomes = try await state.ledger.post(chunk.postings)
        for (position, outcome) in outcomes.enumerated() {
            let index = chunk.postingIndexes[position]
            answers[index] = BatchAnswer(piece: chunk.pieces[index], id: chunk.postings[position].reference, outcome: outcome)
        }
        var buffer = ByteBuffer()
        for answer in answers { if let answer { answer.write(to: &buffer) } }
        return buffer
    }
}

/// One line of a batch's answer: the record's position, its id and its outcome; for a charge,
/// the transaction's id, amount and the balance after it (the explanation is one
/// `GET /v1/transactions/{id}` away), else the error as the single-record route gives it.
struct BatchAnswer: Sendable {
    let record: Int
    let line: Int
    let id: String?
    let status: Int
    let fields: [(String, String)]

    init(piece: JSONRecordSplitter.Piece, id: String?, problem: UsageProblem) {
        record = piece.ordinal
        line = piece.line
        self.id = id
        let error = NativeError(problem)
        status = Int(error.status.code)
        fields = [("title", JSONText.quoted(error.title)), ("detail", JSONText.quoted(error.detail))]
    }

    init(piece: JSONRecordSplitter.Piece, id: String?, outcome: PostingOutcome) {
        switch outcome {
        case .posted(let transaction): self.init(piece: piece, id: id, transaction: transaction, status: 201)
        case .repeated(let transaction): self.init(piece: piece, id: id, transaction: transaction, status: 200)
        case .refused(let refusal):
            self.init(piece: piece, id: id, problem: UsageProblem(refusal: refusal))
        }
    }

    private init(piece: JSONRecordSplitter.Piece, id: String?, transaction: LedgerTransaction, status: Int) {
        record = piece.ordinal
        line = piece.line
        self.id = id
        self.status = status
        fields = [
            ("transaction_id", String(transaction.id)),
            ("amount", JSONText.quoted(transaction.amount.formatted(decimals: Amount.scale))),
            ("currency", JSONText.quoted(transaction.currency.rawValue)),
            ("balance_after", JSONText.quoted(transaction.balanceAfter.fixedText)),
        ]
    }

    func write(to buffer: inout ByteBuffer) {
        var text = "{\"record\":\(record),\"line\":\(line)"
        if let id { text += ",\"id\":" + JSONText.quoted(id) }
        text += ",\"status\":\(status)"
        for (name, value) in fields { text += ",\"\(name)\":\(value)" }
        text += "}\n"
        buffer.writeString(text)
    }
}
