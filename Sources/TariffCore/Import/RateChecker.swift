/// Validates rates and collects them with every problem found.
struct RateChecker {
    var rates: [ParsedRate] = []
    var problems: [FXFileError] = []
    /// date, base, quote of each rate seen, to catch a pair listed twice for one day.
    private var seen: Set<[String]> = []

    mutating func addECB(currency: String?, rate: String?, date: (date: String, valid: Bool)?, line: Int) {
        guard let currency else {
            problems.append(.problem(line: line, message: "rate \"\(rate ?? "")\" has no currency"))
            return
        }
        var ok = checkCurrency(currency, line: line)
        if let rate {
            ok = checkRate(rate, currency: currency, line: line) && ok
        } else {
            problems.append(.problem(line: line, message: "\(currency) has no rate"))
            ok = false
        }
        // Every ECB rate is against the euro, so a EUR rate prices the euro in itself, which
        // the CSV path refuses too: a converter would otherwise trust EUR/EUR = 2.
        if ok && currency == "EUR" {
            problems.append(.problem(line: line, message: "base and quote are both EUR"))
            ok = false
        }
        guard let date else {
            problems.append(.problem(line: line, message: "\(currency) rate is outside a <Cube time=…> element"))
            return
        }
        // An invalid date was already reported where it appears.
        if ok && date.valid, let rate {
            add(ParsedRate(line: line, date: date.date, base: "EUR", quote: currency, rate: rate))
        }
    }

    mutating func addCSV(date: String, base: String, quote: String, rate: String, line: Int) {
        var ok = checkDate(date, line: line)
        ok = checkCurrency(base, line: line) && ok
        ok = checkCurrency(quote, line: line) && ok
        ok = checkRate(rate, currency: quote, line: line) && ok
        if ok && base == quote {
            problems.append(.problem(line: line, message: "base and quote are both \(base)"))
            ok = false
        }
        if ok { add(ParsedRate(line: line, date: date, base: base, quote: quote, rate: rate)) }
    }

    private mutating func add(_ rate: ParsedRate) {
        if seen.insert([rate.date, rate.base, rate.quote]).inserted {
            rates.append(rate)
        } else {
            problems.append(.problem(line: rate.line, message: "duplicate \(rate.base)/\(rate.quote) rate for \(rate.date)"))
        }
    }

    func result(file: String) throws(FXFileErrors) -> [ParsedRate] {
        if !problems.isEmpty { throw FXFileErrors(file: file, problems: problems) }
        return rates
    }

    mutating func checkDate(_ text: String, line: Int) -> Bool {
        if Self.isCalendarDate(text) { return true }
        problems.append(.problem(line: line, message: "invalid date \"\(text)\" (expected a YYYY-MM-DD calendar date)"))
        return false
    }

    mutating func checkCurrency(_ text: String, line: Int) -> Bool {
        let bytes = Array(text.utf8)
        if bytes.count == 3 && bytes.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) { return true }
        problems.append(.problem(line: line, message: "invalid currency code \"\(text)\" (expected 3 uppercase letters)"))
        return false
    }

    mutating func checkRate(_ text: String, currency: String, line: Int) -> Bool {
        if Self.isPlainPositiveDecimal(text) { return true }
        problems.append(
            .problem(line: line, message: "invalid rate \"\(text)\" for \(currency) (expected a positive decimal with at most 12 decimals)")
        )
        return false
    }

    static func isCalendarDate(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return false }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= UInt8(ascii: "0") && b[i] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            year >= 1, (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    /// Digits, optionally `.` and 1–12 more digits, not zero; no sign or exponent.
    static func isPlainPositiveDecimal(_ text: String) -> Bool {
        var integerDigits = 0
        var fractionDigits = 0
        var sawDot = false
        var nonZero = false
        for c in text.utf8 {
            if c == UInt8(ascii: ".") {
                if sawDot { return false }
                sawDot = true
            } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if sawDot { fractionDigits += 1 } else { integerDigits += 1 }
                if c != UInt8(ascii: "0") { nonZero = true }
            } else {
                return false
            }
        }
        return integerDigits > 0 && (!sawDot || fractionDigits > 0) && fractionDigits <= 12 && nonZero
    }
}
