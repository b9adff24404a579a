/// A minimal tag scanner, enough for the ECB files: start, end and empty-element tags
/// with attributes; comments, processing instructions, CDATA and DOCTYPE are skipped,
/// text is ignored.
struct ECBScanner {
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)] = []
        var isEnd = false
        var selfClosing = false
        var line: Int

        /// Value with surrounding blanks removed; entities are not expanded (none occur in rates).
        func attribute(_ name: String) -> String? {
            guard let value = attributes.first(where: { $0.name == name })?.value else { return nil }
            let bytes = Array(value.utf8)
            var start = 0
            var end = bytes.count
            while start < end, ExchangeRateFile.isXMLSpace(bytes[start]) { start += 1 }
            while end > start, ExchangeRateFile.isXMLSpace(bytes[end - 1]) { end -= 1 }
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }
    }

    let b: [UInt8]
    var i = 0
    var line = 1

    init(bytes: [UInt8]) { b = bytes }

    /// The next tag, a problem (after which scanning resumes past the bad tag), or nil at end.
    mutating func nextTag() -> Result<Tag, FXFileError>? {
        var start = line
        while true {
            while i < b.count && b[i] != UInt8(ascii: "<") { advance() }
            guard i < b.count else { return nil }
            start = line
            let skipped: Bool
            if hasPrefix("<!--") {
                skipped = skip(past: "-->")
            } else if hasPrefix("<![CDATA[") {
                skipped = skip(past: "]]>")
            } else if hasPrefix("<?") {
                skipped = skip(past: "?>")
            } else if hasPrefix("<!") {
                skipped = skip(past: ">")
            } else {
                break
            }
            if !skipped { return .failure(.problem(line: start, message: "malformed XML: a comment or declaration is never closed")) }
        }

        advance()
        var tag = Tag(name: "", line: start)
        if i < b.count && b[i] == UInt8(ascii: "/") {
            tag.isEnd = true
            advance()
        }
        tag.name = readName()
        if tag.name.isEmpty { return malformed(start, "a tag without a name") }
        while true {
            skipSpace()
            guard i < b.count else { return malformed(start, "<\(tag.name) is never closed") }
            let c = b[i]
            if c == UInt8(ascii: ">") {
                advance()
                return .success(tag)
            }
            if c == UInt8(ascii: "/") && !tag.isEnd && peek(1) == UInt8(ascii: ">") {
                advance()
                advance()
                tag.selfClosing = true
                return .success(tag)
            }
            if tag.isEnd { return malformed(start, "unexpected text in </\(tag.name)>") }
            let name = readName()
            if name.isEmpty { return malformed(start, "unexpected character in <\(tag.name)>") }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "=") else { return malformed(start, "attribute \(name) in <\(tag.name)> has no value") }
            advance()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") || b[i] == UInt8(ascii: "'") else {
                return malformed(start, "attribute \(name) in <\(tag.name)> is not quoted")
            }
            let quote = b[i]
            advance()
            let valueStart = i
            let valueLine = line
            while i < b.count && b[i] != quote && b[i] != UInt8(ascii: "<") { advance() }
            guard i < b.count, b[i] == quote else { return malformed(start, "attribute \(name) in <\(tag.name)> has no closing quote") }
            // XML forbids it, and reading either value would be a guess.
            if tag.attributes.contains(where: { $0.name == name }) {
                return malformed(start, "attribute \(name) appears twice in <\(tag.name)>")
            }
            guard let value = String(validating: b[valueStart..<i], as: UTF8.self) else {
                return skipTag(.problem(line: valueLine, message: "not UTF-8 (save the file as UTF-8)"))
            }
            tag.attributes.append((name, value))
            advance()
        }
    }

    private func peek(_ offset: Int) -> UInt8? {
        i + offset < b.count ? b[i + offset] : nil
    }

    private func hasPrefix(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        return text.withUTF8Buffer { prefix in
            (0..<count).allSatisfy { b[i + $0] == prefix[$0] }
        }
    }

    /// Counts line breaks as it goes: LF, CRLF and lone CR each count once.
    private mutating func advance() {
        let c = b[i]
        if c == 0x0A || (c == 0x0D && peek(1) != 0x0A) { line += 1 }
        i += 1
    }

    private mutating func skipSpace() {
        while i < b.count && ExchangeRateFile.isXMLSpace(b[i]) { advance() }
    }

    private mutating func readName() -> String {
        let start = i
        while i < b.count {
            let c = b[i]
            if ExchangeRateFile.isXMLSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") || c == UInt8(ascii: "=")
                || c == UInt8(ascii: "<") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'")
            {
                break
            }
            advance()
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    /// Moves past `end`; false if the input ends first.
    private mutating func skip(past end: StaticString) -> Bool {
        while i < b.count {
            if hasPrefix(end) {
                for _ in 0..<end.utf8CodeUnitCount { advance() }
                return true
            }
            advance()
        }
        return false
    }

    /// Reports a broken tag and resumes after its `>` (or at the next `<`).
    private mutating func malformed(_ start: Int, _ message: String) -> Result<Tag, FXFileError> {
        skipTag(.problem(line: start, message: "malformed XML: \(message)"))
    }

    /// Reports `problem` for the current tag and resumes after its `>` (or at the next `<`).
    private mutating func skipTag(_ problem: FXFileError) -> Result<Tag, FXFileError> {
        while i < b.count && b[i] != UInt8(ascii: ">") && b[i] != UInt8(ascii: "<") { advance() }
        if i < b.count && b[i] == UInt8(ascii: ">") { advance() }
        return .failure(problem)
    }
}
