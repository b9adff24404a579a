import TariffCore

/// What a batch of postings does to the ledger, decided in memory from what the engine read
/// for it: which postings are recorded and with what balance, which repeat an entry already
/// recorded, which are refused. Both engines decide through this one type, so that they record
/// the same money for the same postings; they differ only in how they read, lock and write.
///
/// Ids are not decided here: an entry's id is given once the engine knows how many entries to
/// make (`outcomes(ids:recordedAt:)`), so that no id is spent on a refused posting.
struct LedgerBatch {
    struct ReferenceKey: Hashable {
        let account: Int64
        let reference: String
    }

    /// An entry already in the ledger under a key, with the fingerprint it was posted with.
    typealias Recorded = (transaction: LedgerTransaction, fingerprint: String?)

    /// A posting accepted into the batch, with the balance it leaves.
    struct Entry: Sendable {
        let currency: CurrencyCode
        let posting: LedgerPosting
        let balance: LedgerTotal
        /// The explanation's shared part, stored once in `charge_bases`.
        let basis: String?
    }

    private enum Decision {
        /// Recorded now, as `entries[index]`.
        case posted(Int)
        /// The same key and fingerprint as `entries[index]`, earlier in this batch: a retry of it.
        case repeatedInBatch(Int)
        case repeated(LedgerTransaction)
        case refused(LedgerError)
    }

    /// The entries to insert, in posting order.
    private(set) var entries: [Entry] = []
    /// Each account's balance once the batch is applied, for every existing account the
    /// postings name (changed or not).
    private(set) var accounts: [Int64: AccountBalance]
    private var decisions: [Decision] = []

    /// Decides `postings` in order, each seeing the balance the previous ones left. `accounts`
    /// holds the balance of each account the postings name that exists; `earlier`, the entries
    /// already recorded under their keys. A package's included units are drawn on here, in the
    /// charge's own transaction: a retry finds the charge in `earlier` and draws nothing, and a
    /// refused charge draws nothing.
    init(_ postings: [LedgerPosting], accounts: [Int64: AccountBalance], earlier: [ReferenceKey: Recorded], allowances: inout AllowancePool) {
        self.accounts = accounts
        decisions.reserveCapacity(postings.count)
        var inBatch: [ReferenceKey: (entry: Int, fingerprint: String?)] = [:]
        for original in postings {
            var posting = original
            guard let account = self.accounts[posting.accountID] else {
                decisions.append(.refused(.unknownAccount(posting.accountID)))
                continue
            }
            if let reference = posting.reference {
                let key = ReferenceKey(account: account.accountID, reference: reference)
                if let first = earlier[key] {
                    decisions.append(
                        first.fingerprint == posting.fingerprint ? .repeated(first.transaction) : .refused(.referenceConflict(reference))
                    )
                    continue
                }
                if let first = inBatch[key] {
                    decisions.append(
                        first.fingerprint == posting.fingerprint ? .repeatedInBatch(first.entry) : .refused(.referenceConflict(reference))
                    )
                    continue
                }
            }
            if posting.type.isCharge, account.isClosed {
                decisions.append(.refused(.closedAccount(account.accountID)))
                continue
            }
            if let pricedIn = posting.pricedIn, pricedIn != account.currency {
                decisions.append(.refused(.currencyChanged(pricedIn: pricedIn, account: account.currency)))
                continue
            }
            var drawn: [AllowancePool.Taken] = []
            if let draw = posting.draw { (posting, drawn) = allowances.cover(posting, draw: draw) }
            let balance: LedgerTotal
            do throws(LedgerError) {
                try posting.validate()
                balance = try posting.balance(after: account.balance, creditLimit: account.creditLimit)
            } catch {
                decisions.append(.refused(error))
                continue
            }
            allowances.take(drawn)
            entries.append(Entry(currency: account.currency, posting: posting, balance: balance, basis: posting.explanation?.basisJSONText))
            self.accounts[account.accountID] = AccountBalance(
                accountID: account.accountID,
                currency: account.currency,
                balance: balance,
                creditLimit: account.creditLimit,
                isClosed: account.isClosed
            )
            if let reference = posting.reference {
                inBatch[ReferenceKey(account: account.accountID, reference: reference)] = (entries.count - 1, posting.fingerprint)
            }
            decisions.append(.posted(entries.count - 1))
        }
    }

    /// One outcome per posting, in posting order, with `ids[i]` the id of `entries[i]`.
    func outcomes(ids: [Int64], recordedAt now: Instant) throws -> [PostingOutcome] {
        guard ids.count == entries.count else { throw StoreError.corrupt("\(ids.count) ledger ids for \(entries.count) entries") }
        let recorded = entries.indices.map { index in
            let entry = entries[index]
            return LedgerTransaction(
                id: ids[index],
                accountID: entry.posting.accountID,
                type: entry.posting.type,
                amount: entry.posting.amount,
                currency: entry.currency,
                performedAt: entry.posting.performedAt,
                recordedAt: now,
                description: entry.posting.description,
                reference: entry.posting.reference,
                balanceAfter: entry.balance,
                explanation: entry.posting.explanation
            )
        }
        return decisions.map { decision in
            switch decision {
            case .posted(let index): .posted(recorded[index])
            case .repeatedInBatch(let index): .repeated(recorded[index])
            case .repeated(let transaction): .repeated(transaction)
            case .refused(let error): .refused(error)
            }
        }
    }
}
