/// Where a call comes from: a number (classified by the reference data) or a country.
public enum CallOrigin: Sendable, Hashable {
    case number(PhoneNumber)
    case country(String)

    /// Two letters are a country (`PL`); anything else must be a phone number.
    public init(parsing text: String) throws(PhoneNumberError) {
        // ASCII only: "éé" is neither an ISO code nor a number, and is refused as a number.
        if text.count == 2, text.allSatisfy({ $0.isASCII && $0.isLetter }) {
            self = .country(text.uppercased())
        } else {
            self = .number(try PhoneNumber(parsing: text))
        }
    }
}
