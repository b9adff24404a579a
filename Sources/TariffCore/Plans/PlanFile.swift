/// A plan's rules as a CSV file: a header naming some of `product`, `country`, `origin`,
/// `number_type` (the selectors; an empty cell matches anything) and `markup_percent`,
/// `markup_fixed` (at least one), then one rule per line. Every problem is reported at its
/// line and no plan is made.
public enum PlanFile {
    static let selectors = ["product", "country", "origin", "number_type"]
    static let markups = ["markup_percent", "markup_fixed"]
    /// A markup above 10,000 % or a fixed one above 1,000 is a slip of the keyboard.
    static let percentRange = Amount(units: -100 * 100_000_000 + 1)...Amount(units: 10_000 * 100_000_000)
    /// Every price is matched against the rules in turn: a few hundred is usual, this many is plenty.
    static let maximumRules = 10_000
    static let fixedRange = Amount(units: -1_000 * 100_000_000)...Amount(units: 1_000 * 100_000_000)

    public static func rules(_ reader: inout CSVReader, file: String, reference: ReferenceData) throws(ImportFailure) -> [PlanRule] {
        try rules(&reader, file: file, reference: reference, maximum: maximumRules)
    }

    static func rules(_ reader: inout CSVReader, file: String, reference: ReferenceData, maximum: Int) throws(ImportFailure) -> [PlanRule] {
        var problems = ProblemList(file: file)
        let first: CSVRecord?
        do throws(CSVError) { first = try reader.next() } catch {
            throw ImportFailure(file: file, problems: [ImportProblem(file: file, line: error.line ?? 1, column: "-", message: error.problem)])
        }
        guard let first else {
            throw ImportFailure(file: file, problems: [ImportProblem(file: file, line: 1, column: "-", message: "empty file: expected a header")])
        }
        let header = CSVReader.Header(first)
        for name in header.names where !(selectors + markups).contains(name) {
            problems.add(line: header.line, column: name, "unknown column (expected \((selectors + markups).joined(separator: ", ")))")
        }
        if !markups.contains(where: { header.index(of: $0) != nil }) {
            problems.add(line: header.line, column: "-", "no markup column: markup_percent, markup_fixed or both")
        }
        guard problems.isEmpty else { throw problems.failure() }

        var rules: [PlanRule] = []
        var seen: [String: Int] = [:]
        while true {
            let record: CSVRecord
            do throws(CSVError) {
                guard let next = try reader.next() else { break }
                record = next
            } catch {
                problems.add(line: error.line ?? 0, column: "-", error.problem)
                if error.line == nil { break }
                continue
            }
            if record.fields.allSatisfy({ $0.isEmpty }) { continue }
            guard rules.count < maximum else {
                problems.add(line: record.line, column: "-", "more than \(maximum) rules: a plan has a rule per country and product at most")
                break
            }
            guard record.fields.count == header.names.count else {
                problems.add(line: record.line, column: "-", "expected \(header.names.count) fields, found \(record.fields.count)")
                continue
            }
            func cell(_ name: String) -> String? {
                guard let index = header.index(of: name) else { return nil }
                let value = record.fields[index].filter { $0 != " " && $0 != "\t" }
                return value.isEmpty ? nil : value
            }
            let problemsBefore = problems.total
            var rule = PlanRule(line: record.line)
            if let text = cell("product") {
                if let product = Product(apiName: text) {
                    rule.product = product
                } else {
                    problems.add(line: record.line, column: "product", "unknown product '\(text)'")
                }
            }
            if let text = cell("country") {
                if let country = reference.country(text) {
                    rule.country = country.iso2
                } else {
                    problems.add(line: record.line, column: "country", "'\(text)' is not an ISO 3166-1 country code Tariff knows")
                }
            }
            if let text = cell("origin") {
                if let origin = OriginScope(rawValue: text.lowercased()) {
                    rule.origin = origin
                } else {
                    problems.add(line: record.line, column: "origin", "'\(text)': any, domestic, eea or international")
                }
            }
            if let text = cell("number_type") {
                if let type = NumberType(rawValue: text.lowercased()) {
                    rule.numberType = type.rawValue
                } else {
                    problems.add(
                        line: record.line,
                        column: "number_type",
                        "'\(text)': \(NumberType.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
            }
            for (name, range) in [("markup_percent", percentRange), ("markup_fixed", fixedRange)] {
                guard let text = cell(name) else { continue }
                guard let value = try? Amount(parsing: text), range.contains(value) else {
                    problems.add(
                        line: record.line,
                        column: name,
                        "'\(text)': a decimal from \(range.lowerBound.plainText) to \(range.upperBound.plainText)"
                    )
                    continue
                }
                if name == "markup_percent" { rule.markupPercent = value } else { rule.markupFixed = value }
            }
            // A line with problems of its own is not compared: its selectors are not what it meant.
            guard problems.total == problemsBefore else { continue }
            let scope = [rule.product?.rawValue, rule.country, rule.origin?.rawValue, rule.numberType].map { $0 ?? "*" }.joined(separator: "/")
            if let first = seen[scope] {
                problems.add(
                    line: record.line,
                    column: "-",
                    "the same prices as line \(first): one rule per product, country, origin and number type"
                )
            } else {
                seen[scope] = record.line
            }
            rules.append(rule)
        }
        guard problems.isEmpty else { throw problems.failure() }
        return rules
    }
}
