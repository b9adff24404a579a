/// Why a prefix set could not be indexed. Positions are indexes into the input array.
public enum PrefixIndexError: Error, Equatable, Sendable {
    /// The prefix is not 1...15 ASCII digits.
    case invalidPrefix(position: Int, value: String)
    /// The same prefix appears at both positions (`first < second`).
    case duplicatePrefix(first: Int, second: Int, value: String)
}
