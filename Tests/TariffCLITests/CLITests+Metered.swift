import Foundation
import Testing

extension CLITests {
    static let meteredDeck = """
        product,variant,country,unit,price,per,minimum,increment,connect_fee,currency,description,resource,effective_from
        speech-recognition,,,second,0.016,60,15,15/15,,EUR,Recognition,ASR,2026-01-01
        speech-synthesis,neural,,character,16,1000000,,,,EUR,"Synthesis, neural",TTS_TEXT_GOOGLE,2026-01-01
        speech-synthesis,,,character,4,1000000,,,0.01,EUR,,TTS_TEXT_GOOGLE,2026-01-01

        """

    @Test("price --product NAME --units N quotes a metered product without a number; number options are refused")
    func priceMetered() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("metered.csv", Self.meteredDeck)])
            let asr = try await sandbox.succeed(["price", "--product", "speech-recognition", "--units", "16", "--format", "json"]).json()
            #expect(asr["matched_by"] as? String == "product")
            #expect((asr["cost"] as? [String: Any])?["billed_units"] as? Int == 30)
            #expect((asr["cost"] as? [String: Any])?["total"] as? String == "0.00800000")
            let table = try await sandbox.succeed(["price", "--product", "speech-synthesis", "--variant", "neural", "--units", "2500"]).stdout
            #expect(table.contains("16.00000000 EUR per 1000000 characters"), "\(table)")
            #expect(table.contains("2500 characters (billed 2500): 0.04000000 EUR"), "\(table)")
            let fee = try await sandbox.succeed(["price", "--product", "speech-synthesis", "--units", "1", "--format", "json"]).json()
            #expect((fee["cost"] as? [String: Any])?["total"] as? String == "0.01000400")

            for arguments in [
                ["price", "+34911234567", "--product", "speech-recognition", "--units", "5"],
                ["price", "--product", "speech-recognition", "--units", "-1"],
                ["price", "--product", "speech-recognition", "--seconds", "5"],
                ["price", "+34911234567", "--units", "5"],
                ["price", "--product", "speech-recognition", "--variant", "a b"],
                ["price", "--product", "speech-recognition", "--country", "XX"],
                ["price"],
            ] {
                let refused = try await sandbox.run(arguments)
                #expect(refused.status == 64, "\(refused)")
            }
            let unknown = try await sandbox.run(["price", "--product", "speech-sorcery", "--units", "5"])
            #expect(unknown.status == 2 && unknown.stderr.contains("no product 'speech-sorcery'"), "\(unknown)")
        }
    }

    @Test("export --kind services writes the metered products as a deck that imports back unchanged")
    func exportMetered() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("metered.csv", Self.meteredDeck)])
            let exported = try await sandbox.succeed(["export", "--kind", "services"]).stdout
            let lines = exported.split(separator: "\n")
            #expect(lines.count == 4)
            #expect(
                lines.contains("speech-synthesis,neural,,character,16,1000000,0,1/1,0,EUR,2026-01-01T00:00:00Z,\"Synthesis, neural\",TTS_TEXT_GOOGLE")
            )
            let again = try await sandbox.succeed(["import", try sandbox.write("again.csv", exported), "--json"]).json()
            #expect(again["additions"] as? Int == 0, "\(again)")
        }
    }

    @Test("usage import charges metered products from CSV: units, variant and country columns")
    func usageImportMetered() async throws {
        try await withSandbox { sandbox in
            try await sandbox.succeed(["import", try sandbox.write("metered.csv", Self.meteredDeck)])
            let id = String(try await createAccount(sandbox, name: "ana"))
            try await sandbox.succeed(["account", "credit", id, "1"])
            let csv = try sandbox.write(
                "cdrs.csv",
                """
                id,product,units,variant,occurred_at
                t1,speech-synthesis,2500,neural,2026-11-19T10:00:00Z
                a1,speech-recognition,16,,2026-11-19T10:00:00Z
                a2,speech-recognition,,,2026-11-19T10:00:00Z

                """
            )
            let run = try await sandbox.run(["usage", "import", csv, "--account", id])
            #expect(run.status == 1, "\(run)")
            #expect(run.stdout.contains("2 charged (0.048), 0 already charged, 1 refused"), "\(run)")
            #expect(run.stderr.contains("\(csv):4: units: how many units of speech-recognition were used is required"), "\(run)")
            let shown = try await sandbox.succeed(["account", "show", id]).json()
            #expect(shown["balance"] as? String == "0.95200000")
        }
    }
}

extension CLITests {
    @Test("import --kind templates, then export --kind templates writes a file that imports back unchanged")
    func templatesRoundTrip() async throws {
        try await withSandbox { sandbox in
            let file = try sandbox.write(
                "templates.csv",
                """
                template,type,name,installation_price,monthly_price,currency,includes
                sip-registration,SIP_REGISTRATION,SIP registration,1,2,EUR,
                speech,package,"Speech, monthly",0,10,EUR,speech-recognition=600;speech-synthesis/neural=5000

                """
            )
            let imported = try await sandbox.succeed(["import", file, "--kind", "templates", "--json"]).json()
            #expect(imported["additions"] as? Int == 2, "\(imported)")
            let exported = try await sandbox.succeed(["export", "--kind", "templates"]).stdout
            #expect(
                exported.contains("speech,PACKAGE,\"Speech, monthly\",0,10,EUR,speech-recognition=600;speech-synthesis/neural=5000,"),
                "\(exported)"
            )
            let again = try await sandbox.succeed(["import", try sandbox.write("again.csv", exported), "--kind", "templates", "--json"]).json()
            #expect(again["additions"] as? Int == 0, "\(again)")
            let bad = try await sandbox.run([
                "import", try sandbox.write("bad.csv", "template,type,installation_price,monthly_price,currency\nx,PHONE_NUM,0,1,EUR\n"), "--kind",
                "templates",
            ])
            #expect(bad.status != 0 && bad.stderr.contains("bad.csv:2: type:"), "\(bad)")
        }
    }
}
