/// Where a call comes from: a number (classified by the reference data) or a country.
public enum CallOrigin: Sendable, Hashable {
    case number(PhoneNumber)
    case country(String)

    /// Two letters are a country (`PL`); anything else must be a phone number.
    public init(parsing text: String) throws(PhoneNumberError) {
        if text.count == 2, text.allSatisfy(\.isLetter) {
            self = .country(text.uppercased())
        } else {
            self = .number(try PhoneNumber(parsing: text))
        }
    }
}
