import Testing

@testable import TariffCore

@Suite("PhoneNumber")
struct PhoneNumberTests {
    @Test(arguments: [
        "+34 612 34 56 78",
        "+34612345678",
        "0034612345678",
        "00 34 612 345 678",
        "34612345678",
        "(+34) 612-345-678",
        "+34.612.345.678",
        "+34/612/345/678",
        "+34-612-345-678",
        "\t+34\t612345678 ",
        "+34\u{00A0}612\u{00A0}345\u{00A0}678",
        " +34 612 345 678 ",
    ])
    func acceptsTheUsualSpellings(text: String) throws {
        let number = try PhoneNumber(parsing: text)
        #expect(number.digits == "34612345678")
        #expect(number.e164 == "+34612345678")
        #expect(number.description == "+34612345678")
        #expect(number.key.digits == number.digits)
        #expect(number.key == DigitKey("34612345678"))
    }

    @Test(arguments: [
        ("+1 (212) 555-0100", "12125550100"),
        ("001 212 555 0100", "12125550100"),
        ("+44 20 7946 0958", "442079460958"),
        ("+49 (30) 1234/5678", "493012345678"),
        ("+7.495.123.45.67", "74951234567"),
        ("+123", "123"),
        ("+123456789012345", "123456789012345"),  // 15 digits, the E.164 maximum
        ("00123456789012345", "123456789012345"),  // 00 + 15 digits
    ])
    func digits(text: String, digits: String) throws {
        let number = try PhoneNumber(parsing: text)
        #expect(number.digits == digits)
        #expect(number.e164 == "+" + digits)
        #expect(number.key.digits == digits)
        #expect(Int(number.key.length) == digits.count)
    }

    @Test func differentSpellingsAreTheSameNumber() throws {
        #expect(try PhoneNumber(parsing: "+34 612 34 56 78") == PhoneNumber(parsing: "0034-612-345-678"))
        #expect(try PhoneNumber(parsing: "+34 612 34 56 78") != PhoneNumber(parsing: "+34 612 34 56 79"))
    }

    @Test(arguments: [
        ("+34 6I2 345 678", Character("I"), 6),
        ("1-800-FLOWERS", "F", 7),
        ("34612345678x", "x", 12),
        ("+34 612 345 678 ext 12", "e", 17),
        ("+34_612345678", "_", 4),
        ("+34,612345678", ",", 4),
        ("#34612345678", "#", 1),
        ("+34 612 345 678\n", "\n", 16),
        ("+34 ６12 345 678", "６", 5),  // full-width digit
        ("📞 +34 612 345 678", "📞", 1),
        ("é34612345678", "é", 1),
    ])
    func rejectsLetters(text: String, character: Character, position: Int) {
        #expect(throws: PhoneNumberError.invalidCharacter(text, character: character, position: position)) {
            try PhoneNumber(parsing: text)
        }
    }

    @Test(arguments: ["", " ", "   ", "\t", "+", "( ) - . /", "+ ()"])
    func rejectsEmpty(text: String) {
        #expect(throws: PhoneNumberError.empty) { try PhoneNumber(parsing: text) }
    }

    @Test(arguments: [
        ("+1234567890123456", 16),
        ("1234 5678 9012 3456", 16),
        ("001234567890123456", 16),
        ("+34 612 345 678 901 234 567", 20),
    ])
    func rejectsTooLong(text: String, digits: Int) {
        #expect(throws: PhoneNumberError.tooLong(text, digits: digits)) { try PhoneNumber(parsing: text) }
    }

    @Test(arguments: ["0612345678", "06 12 34 56 78", "(0) 612 345 678", "+0612345678", "+0034612345678", "00", "0"])
    func rejectsNationalFormat(text: String) {
        #expect(throws: PhoneNumberError.nationalFormat(text)) { try PhoneNumber(parsing: text) }
    }

    @Test(arguments: ["+34 612 +345 678", "34+612345678", "++34612345678", "+(+34) 612345678", "34612345678+"])
    func rejectsMisplacedPlus(text: String) {
        #expect(throws: PhoneNumberError.misplacedPlus(text)) { try PhoneNumber(parsing: text) }
    }

    @Test(arguments: ["+1", "12", "+34"])
    func rejectsTooShort(text: String) {
        #expect(throws: PhoneNumberError.tooShort(text)) { try PhoneNumber(parsing: text) }
    }

    // MARK: Messages

    @Test func invalidCharacterMessageNamesTheCharacterAndPosition() {
        let message = PhoneNumberError.invalidCharacter("+34 6I2 345 678", character: "I", position: 6).description
        #expect(message.contains("'+34 6I2 345 678'"))
        #expect(message.contains("'I'"))
        #expect(message.contains("position 6"))
        #expect(message.contains("not a phone number"))
        // The separators it lists are the ones the parser accepts.
        for separator in ["spaces", "dashes", "dots", "slashes", "parentheses"] {
            #expect(message.contains(separator), "\(separator)")
        }
    }

    @Test func messagesSayWhatToFix() throws {
        let empty = PhoneNumberError.empty.description
        #expect(empty.contains("empty"))
        #expect(empty.contains("+34612345678"))

        let long = PhoneNumberError.tooLong("+1234567890123456", digits: 16).description
        #expect(long.contains("'+1234567890123456'"))
        #expect(long.contains("16 digits"))
        #expect(long.contains("at most 15"))

        let national = PhoneNumberError.nationalFormat("0612345678").description
        #expect(national.contains("'0612345678'"))
        #expect(national.contains("national"))
        #expect(national.contains("country code"))

        let plus = PhoneNumberError.misplacedPlus("34+612").description
        #expect(plus.contains("'34+612'"))
        #expect(plus.contains("'+'"))
        #expect(plus.contains("before the country code"))

        let short = PhoneNumberError.tooShort("+12").description
        #expect(short.contains("'+12'"))
        #expect(short.contains("too short"))
    }

    @Test func thrownErrorCarriesTheOriginalText() {
        do {
            _ = try PhoneNumber(parsing: "1-800-FLOWERS")
            Issue.record("a vanity number was accepted")
        } catch {
            #expect(
                String(describing: error)
                    == "'1-800-FLOWERS' is not a phone number: 'F' at position 7 (only digits, +, spaces, dashes, dots, slashes and parentheses)"
            )
        }
    }

    @Test("the quick reading of plain ASCII answers as the general reading, on texts made to trip it")
    func quickReadingAgrees() throws {
        let alphabet: [String] = ["0", "0", "1", "3", "4", "9", "+", " ", "-", "(", ")", ".", "/", "\t", "a", "\u{00A0}", "٣"]
        var random = SplitMix64(state: 0x7A41)
        var quick = 0
        for _ in 0..<50_000 {
            let text = (0..<random.below(20)).map { _ in alphabet[random.below(alphabet.count)] }.joined()
            let general = Result { () throws(PhoneNumberError) in try PhoneNumber.parsedGenerally(text) }
            guard let parsed = PhoneNumber.parsedASCII(text.utf8) else { continue }
            quick += 1
            #expect(try general.get() == parsed, "\(text.debugDescription)")
        }
        #expect(quick > 1000, "the generated texts must exercise the quick reading")
    }
}
