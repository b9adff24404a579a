/// One answer line of a bulk request, written straight into the output bytes.
enum BulkOutput {
    /// `number,e164,country,type,network,match,price,currency,error`.
    static func csv(_ line: BulkPriceLine, into output: inout [UInt8]) {
        // The number as given is echoed as it came only when it read as a number (digits and
        // separators); anything else is text a spreadsheet must not evaluate.
        if line.e164 != nil { output.append(contentsOf: line.number.utf8) } else { output.append(contentsOf: CSVCell.escaped(line.number).utf8) }
        // E.164 numbers, ISO codes, MCCMNCs, type names and match labels: no comma, quote or
        // formula. (One cell at a time: an array of them would be an allocation per number.)
        plain(line.e164, into: &output)
        plain(line.country, into: &output)
        plain(line.type, into: &output)
        plain(line.network, into: &output)
        output.append(UInt8(ascii: ","))
        if let match = line.matched { BulkPriceLine.writeLabel(match, into: &output) }
        output.append(UInt8(ascii: ","))
        if let price = line.price {
            price.amount.appendFormatted(to: &output)
            output.append(UInt8(ascii: ","))
            output.append(contentsOf: price.currency.rawValue.utf8)
        } else {
            output.append(UInt8(ascii: ","))
        }
        output.append(UInt8(ascii: ","))
        if let error = line.error { output.append(contentsOf: CSVCell.escaped(error).utf8) }
        output.append(UInt8(ascii: "\n"))
    }

    private static func plain(_ cell: String?, into output: inout [UInt8]) {
        output.append(UInt8(ascii: ","))
        if let cell { output.append(contentsOf: cell.utf8) }
    }

    /// The same members as one JSON object per line; absent ones left out.
    static func ndjson(_ line: BulkPriceLine, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        member("number", line.number, first: true, into: &output)
        member("e164", line.e164, into: &output)
        member("country", line.country, into: &output)
        member("type", line.type, into: &output)
        member("network", line.network, into: &output)
        member("match", line.match, into: &output)
        member("price", line.price?.amount.formatted(), into: &output)
        member("currency", line.price?.currency.rawValue, into: &output)
        member("error", line.error, into: &output)
        output.append(contentsOf: "}\n".utf8)
    }

    private static func member(_ name: StaticString, _ value: String?, first: Bool = false, into output: inout [UInt8]) {
        guard let value else { return }
        if !first { output.append(UInt8(ascii: ",")) }
        output.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(contentsOf: "\":".utf8)
        if JSONText.needsEscape(value) {
            output.append(contentsOf: JSONText.quoted(value).utf8)
        } else {
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: value.utf8)
            output.append(UInt8(ascii: "\""))
        }
    }
}
