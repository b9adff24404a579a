import Foundation
import Testing

extension CLITests {
    @Test("price --file prices every number of a file, as the single-number price does, with a summary")
    func priceFile() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let numbers = ["+34612345678", "+34 616 12 34 56", "+34911234567", "call me", "+4930123456"]
            let input = try sandbox.write("numbers.csv", "number\n" + numbers.joined(separator: "\n") + "\n")
            let output = sandbox.path("prices.csv")
            let summary = sandbox.path("summary.json")
            let run = try await sandbox.succeed(["price", "--file", input, "-o", output, "--summary", summary])
            let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n").map {
                $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            }
            #expect(lines.count == numbers.count + 1)
            for (number, cells) in zip(numbers, lines.dropFirst()) {
                let single = try await sandbox.run(["price", number, "--format", "json"])
                if single.status == 0 {
                    #expect(cells[6] == (try single.json())["price"] as? String, "\(number)")
                } else {
                    #expect(cells[6].isEmpty && !cells[8].isEmpty, "\(number): \(cells)")
                }
            }
            #expect(lines[1][5] == "prefix 34612" && lines[2][5] == "network 21407")
            #expect(run.stderr.contains("5 numbers: 3 priced, 2 without a price, total 0.145 EUR"))
            #expect(run.stderr.contains("line 5: call me: not a phone number"))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
            #expect(json["count"] as? Int == 5 && json["unpriced"] as? Int == 2)

            // --currency converts; NDJSON by the output's name; --from picks the list.
            try await sandbox.succeed(["fx", "import", try sandbox.write("ecb.xml", Self.ecb)])
            let ndjson = sandbox.path("prices.ndjson")
            try await sandbox.succeed(["price", "--file", input, "-o", ndjson, "--from", "ES", "--currency", "USD"])
            let first = try #require(
                try JSONSerialization.jsonObject(with: Data(try String(contentsOfFile: ndjson, encoding: .utf8).split(separator: "\n")[0].utf8))
                    as? [String: Any]
            )
            let single = try await sandbox.succeed(["price", "+34612345678", "--from", "ES", "--currency", "USD", "--format", "json"]).json()
            #expect(first["price"] as? String == (single["converted"] as? [String: Any])?["price"] as? String)
            #expect(first["currency"] as? String == "USD")
        }
    }

    /// A file renamed over the output would replace `/dev/null` itself when run as root; a hard
    /// link shows the same: written in place, both names read the answer.
    @Test("price --file writes its output and summary in place: a hard link to either reads the answer")
    func priceFileWritesInPlace() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("deck.csv", Self.deck)])
            let input = try sandbox.write("numbers.csv", "+34612345678\n")
            let output = try sandbox.write("prices.csv", "old answer\n")
            let summary = try sandbox.write("summary.json", "old summary\n")
            for path in [output, summary] { try FileManager.default.linkItem(atPath: path, toPath: path + ".link") }
            try await sandbox.succeed(["price", "--file", input, "-o", output, "--summary", summary])
            #expect(try String(contentsOfFile: output + ".link", encoding: .utf8).hasPrefix("number,e164,"))
            #expect(try String(contentsOfFile: summary + ".link", encoding: .utf8).hasPrefix("{\"count\":1"))
            let refused = try await sandbox.run(["price", "--file", input, "-o", sandbox.path("no/such/dir/out.csv")])
            #expect(refused.status == 64 && refused.stderr.contains("--output: cannot create"), "\(refused)")
        }
    }

    @Test("price --file: refused without a file, with a number too, or for a metered product")
    func priceFileRefusals() async throws {
        try await withSandbox { sandbox in
            let input = try sandbox.write("numbers.csv", "+34612345678\n")
            for arguments in [
                ["price", "--file", sandbox.path("missing.csv")],
                ["price", "+34612345678", "--file", input],
                ["price", "--file", input, "--product", "tts"],
                ["price", "--file", input, "--seconds", "60"],
                ["price", "+34612345678", "-o", sandbox.path("out.csv")],
            ] {
                let run = try await sandbox.run(arguments)
                #expect(run.status == 64, "\(run)")
            }
        }
    }
}
