/// A stock file: numbers a provider can rent out, one per row, under a header naming
/// `number,country,category[,region]` (any order). Every row is checked against the reference
/// data (a number in the country it claims); a bad file is refused whole, with FILE:LINE for
/// each problem.
public enum StockFileParser {
    public static func parse(_ reader: CSVReader, file: String, reference: ReferenceData) -> Result<[NewStockNumber], ImportFailure> {
        var reader = reader
        var problems = ProblemList(file: file)
        var numbers: [NewStockNumber] = []
        var seen: [String: Int] = [:]
        do {
            guard let headerRecord = try reader.next() else {
                problems.add(line: 1, column: "number", "the file is empty: expected a header number,country,category,region")
                return .failure(problems.failure())
            }
            let header = CSVReader.Header(headerRecord)
            let missing = ["number", "country", "category"].filter { header.index(of: $0) == nil }
            guard missing.isEmpty else {
                for name in missing { problems.add(line: header.line, column: name, "missing column (expected number,country,category,region)") }
                return .failure(problems.failure())
            }
            let columns = (number: header.index(of: "number")!, country: header.index(of: "country")!, category: header.index(of: "category")!)
            let regionColumn = header.index(of: "region")
            while let record = try reader.next() {
                func cell(_ index: Int?) -> String? {
                    guard let index, index < record.fields.count else { return nil }
                    let value = record.fields[index].trimmingSpaces
                    return value.isEmpty ? nil : value
                }
                if record.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
                let before = problems.total
                var number: PhoneNumber?
                if let text = cell(columns.number) {
                    do { number = try PhoneNumber(parsing: text.hasPrefix("+") || text.hasPrefix("00") ? text : "+" + text) } catch {
                        problems.add(line: record.line, column: "number", "\(error)")
                    }
                } else {
                    problems.add(line: record.line, column: "number", "missing value")
                }
                let country = cell(columns.country)?.uppercased()
                if let country {
                    if reference.country(country) == nil { problems.add(line: record.line, column: "country", "unknown country '\(country)'") }
                } else {
                    problems.add(line: record.line, column: "country", "missing value")
                }
                if let number, let country, reference.country(country) != nil,
                    let actual = reference.countryISO2(of: number.key), actual != country
                {
                    problems.add(line: record.line, column: "number", "\(number.e164) is a number of \(actual), not \(country)")
                }
                let category = cell(columns.category)?.uppercased()
                if let category {
                    if !category.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" }) {
                        problems.add(
                            line: record.line,
                            column: "category",
                            "'\(category)' is not a category name (GEOGRAPHIC, MOBILE, TOLLFREE, ...)"
                        )
                    }
                } else {
                    problems.add(line: record.line, column: "category", "missing value")
                }
                let region = cell(regionColumn)
                if let region, !region.allSatisfy({ $0.isASCII && $0.isNumber }) {
                    problems.add(line: record.line, column: "region", "'\(region)' is not a region code (digits of the area code)")
                }
                if let number {
                    if let first = seen[number.digits] {
                        problems.add(line: record.line, column: "number", "duplicate of line \(first)")
                    } else {
                        seen[number.digits] = record.line
                    }
                }
                guard problems.total == before, let number, let country, let category else { continue }
                numbers.append(NewStockNumber(number: number, country: country, category: category, regionCode: region))
            }
        } catch {
            problems.add(line: error.line ?? 1, column: "file", error.problem)
        }
        return problems.isEmpty ? .success(numbers) : .failure(problems.failure())
    }
}

extension String {
    /// Without the blanks CSV cells often carry around them.
    fileprivate var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
