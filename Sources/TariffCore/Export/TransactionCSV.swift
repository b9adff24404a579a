/// Ledger transactions as CSV for a spreadsheet, the same from the command line and the API.
public enum TransactionCSV {
    public static let header = "id,account_id,performed_at,type,amount,currency,balance_after,reference,description\n"

    /// One line, ending in a newline. Numbers and dates are written as they are, for a
    /// spreadsheet to read as numbers; the texts a client chose are protected from formula
    /// evaluation (`CSVCell`).
    public static func line(_ transaction: LedgerTransaction) -> String {
        let cells = [
            String(transaction.id), String(transaction.accountID), transaction.performedAt.iso8601, transaction.type.rawValue,
            transaction.amount.formatted(decimals: Amount.scale), transaction.currency.rawValue, transaction.balanceAfter.fixedText,
            CSVCell.escaped(transaction.reference ?? ""), CSVCell.escaped(transaction.description),
        ]
        return cells.joined(separator: ",") + "\n"
    }
}
