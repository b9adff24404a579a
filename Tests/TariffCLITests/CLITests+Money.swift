import Foundation
import Testing

extension CLITests {
    @Test("account credit, debit and set-credit-limit move money; show and transactions read it back")
    func accountMoney() async throws {
        try await withSandbox { sandbox in
            let id = String(try await createAccount(sandbox, name: "ana"))
            let shown = try await sandbox.succeed(["account", "show", id]).json()
            #expect(shown["balance"] as? String == "0.00000000")
            #expect(shown["credit_limit"] as? String == "0.00000000")
            #expect(shown["currency"] as? String == "EUR")

            let credit = try await sandbox.succeed(["account", "credit", id, "25.5", "--reason", "bank transfer 42"]).json()
            #expect(credit["type"] as? String == "card_payment")
            #expect(credit["amount"] as? String == "25.50000000")
            #expect(credit["balance_after"] as? String == "25.50000000")
            #expect(credit["description"] as? String == "bank transfer 42")
            #expect(credit["performed_at"] as? String == CLISandbox.now)
            let debit = try await sandbox.succeed(["account", "debit", id, "30"]).json()
            #expect(debit["type"] as? String == "adjustment")
            #expect(debit["amount"] as? String == "-30.00000000")
            #expect(debit["balance_after"] as? String == "-4.50000000")
            let refund = try await sandbox.succeed(["account", "credit", id, "1", "--type", "refund"]).json()
            #expect(refund["type"] as? String == "refund")

            let limited = try await sandbox.succeed(["account", "set-credit-limit", id, "100"]).json()
            #expect(limited["credit_limit"] as? String == "100.00000000")
            #expect(limited["available"] as? String == "96.50000000")

            let listed = try await sandbox.succeed(["account", "transactions", id, "--format", "json"]).jsonArray()
            #expect(listed.map { $0["type"] as? String } == ["card_payment", "adjustment", "refund"])
            let csv = try await sandbox.succeed(["account", "transactions", id, "--format", "csv", "--type", "adjustment"]).stdout
            let lines = csv.split(separator: "\n")
            #expect(lines.first == "id,account_id,performed_at,type,amount,currency,balance_after,reference,description")
            #expect(lines.count == 2 && lines[1].contains(",adjustment,-30.00000000,EUR,-4.50000000,"), "\(csv)")
            let table = try await sandbox.succeed(["account", "transactions", id, "--since", "2030-01-01"]).stdout
            #expect(table.contains("no transactions"))
        }
    }

    @Test("bad money arguments are refused with a reason and change nothing")
    func accountMoneyErrors() async throws {
        try await withSandbox { sandbox in
            let id = String(try await createAccount(sandbox, name: "ana"))
            let cases: [([String], String)] = [
                (["account", "credit", id, "--", "-5"], "not a positive amount"),
                (["account", "credit", id, "0"], "not a positive amount"),
                (["account", "credit", id, "1e3"], "not a positive amount"),
                (["account", "credit", id, "99999999999999999999"], "not a positive amount"),
                (["account", "credit", id, "5", "--type", "resource_charge"], "--type"),
                (["account", "debit", id, "abc"], "not a positive amount"),
                (["account", "credit", "999", "5"], "no account 999"),
                (["account", "set-credit-limit", id, "--", "-1"], "not zero or a positive amount"),
                (["account", "set-credit-limit", "999", "1"], "no account 999"),
                (["account", "show", "999"], "no account 999"),
                (["account", "transactions", id, "--format", "xml"], "--format"),
                (["account", "transactions", id, "--type", "gift"], "--type"),
                (["account", "transactions", id, "--since", "yesterday"], "--since"),
                (["account", "credit", id, "5", "--reason", String(repeating: "x", count: 1001)], "description"),
            ]
            for (arguments, message) in cases {
                // After `--` every word is an argument: the database option goes before it.
                let run =
                    if let end = arguments.firstIndex(of: "--") {
                        try await sandbox.run(
                            Array(arguments[..<end]) + ["--database", sandbox.database] + arguments[end...],
                            database: .none
                        )
                    } else {
                        try await sandbox.run(arguments)
                    }
                #expect(run.status != 0, "\(arguments)")
                #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
            }
            let shown = try await sandbox.succeed(["account", "show", id]).json()
            #expect(shown["balance"] as? String == "0.00000000")
            #expect(try await sandbox.succeed(["account", "transactions", id, "--format", "json"]).jsonArray().isEmpty)
        }
    }
}

extension CLITests {
    @Test("operator tokens: made once with their secret, listed without it, revoked")
    func operatorTokens() async throws {
        try await withSandbox { sandbox in
            let created = try await sandbox.succeed(["operator", "token-create", "--name", "billing"]).json()
            let id = try #require(created["id"] as? String)
            let token = try #require(created["token"] as? String)
            #expect(token.hasPrefix("tariff_op_\(id)_") && token.count > 40)
            let listed = try await sandbox.succeed(["operator", "tokens", "--json"])
            #expect(!listed.stdout.contains(token) && !listed.stdout.contains(String(token.split(separator: "_").last!)))
            #expect(try listed.jsonArray().map { $0["name"] as? String } == ["billing"])
            try await sandbox.succeed(["operator", "token-revoke", id])
            let again = try await sandbox.run(["operator", "token-revoke", id])
            #expect(again.status != 0 && again.stderr.contains("no active operator token"), "\(again)")
            #expect(try await sandbox.succeed(["operator", "tokens"]).stdout.contains("revoked"))
        }
    }
}
