extension DeckParser {
    /// A row of a subscription template file: a SIP registration or a package, its fees and
    /// what it includes.
    mutating func readTemplatePrice(_ row: DeckRecord) {
        let before = problems.total
        var name: String?
        if let text = row[.template] {
            if ServicePriceKey.isProductName(text) {
                name = text
            } else {
                problems.add(
                    line: row.line,
                    column: "template",
                    "'\(text)' is not a template name: 1 to 40 of a-z, 0-9 and -, starting with a letter"
                )
            }
        } else {
            problems.add(line: row.line, column: "template", "missing value")
        }
        var type: String?
        if let text = row[.type] {
            if TemplateTerms.isType(text.uppercased()) {
                type = text.uppercased()
            } else {
                problems.add(
                    line: row.line,
                    column: "type",
                    "'\(text)' is not a template type: SIP_REGISTRATION, or a plan type such as MAU, IM or PACKAGE (PHONE_NUM is for numbers)"
                )
            }
        } else {
            problems.add(line: row.line, column: "type", "missing value")
        }
        var includes: [Allowance] = []
        if let text = row[.includes] {
            if let list = Allowance.list(parsing: text) {
                includes = list
                if type == TemplateTerms.sipRegistration, !list.isEmpty {
                    problems.add(line: row.line, column: "includes", "a SIP registration includes no units: packages do")
                }
            } else {
                problems.add(
                    line: row.line,
                    column: "includes",
                    "'\(text)' is not a list of product[/variant]=units separated by ';' (units 1 to 10^9, each product once)"
                )
            }
        }
        let installation = amount(row, .installationPrice, required: true)
        let monthly = amount(row, .monthlyPrice, required: true)
        let currency = self.currency(row)
        let from = effectiveFrom(row)
        guard problems.total == before, let name, let type, let installation, let monthly, let currency, let from else { return }
        let key = TemplateKey(name: name)
        let identity = TemplateIdentity(key: key, from: from)
        if let first = seenTemplates[identity] {
            problems.add(line: row.line, column: "template", "duplicate of line \(first): same template and effective_from")
            return
        }
        seenTemplates[identity] = row.line
        let terms = TemplateTerms(
            type: type,
            displayName: row[.name] ?? name,
            installation: installation,
            monthly: monthly,
            currency: currency,
            includes: includes
        )
        deck.templatePrices.append(
            DeckRow(line: row.line, entry: TemplatePrice(key: key, effectiveFrom: from, terms: terms, deckVersion: 0), flag: nil)
        )
    }
}
