import ArgumentParser
import Foundation
import TariffCore
import TariffStore

/// `tariff plan`: price plans, the markups that turn a deck's prices into an account's.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Price plans: markups over the deck per product, country, origin list and number type.",
        subcommands: [Create.self, List.self, Show.self, Assign.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a plan, or add a version of one, from a rules file.",
            discussion: """
                The rules file is CSV: a header naming some of product, country, origin, number_type (empty cells \
                match anything) and markup_percent, markup_fixed; one rule per line. The most specific matching \
                rule applies, then --minimum-margin, --minimum-price and --rounding. A new version applies from \
                --effective-from (default now) to every account on the plan.
                """
        )

        @Argument(help: "The plan's name (letters, digits, '-', '_', '.').")
        var name: String

        @Option(help: "The rules file (CSV).")
        var rules: String

        @Option(help: "When this version takes effect (ISO 8601; default now; not in the past).")
        var effectiveFrom: String?

        @Option(help: "No price below this, in the deck's currency.")
        var minimumPrice: String?

        @Option(help: "No price less than this above the deck's price.")
        var minimumMargin: String?

        @Option(help: "Round the result: decimals, and optionally a mode (4, 4/half-even; default mode up).")
        var rounding: String?

        @Option(help: "A deck of the account's own prices (tariff import --deck NAME): its rows are charged as they are, the rules apply elsewhere.")
        var overrideDeck: String?

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: rules), let text = String(data: data, encoding: .utf8) else {
                throw ValidationError("--rules: cannot read \(rules) as UTF-8 text")
            }
            let upload = PlanUpload(
                name: name,
                rules: text,
                file: rules,
                effectiveFrom: effectiveFrom,
                minimumPrice: minimumPrice,
                minimumMargin: minimumMargin,
                rounding: rounding,
                overrideDeck: overrideDeck
            )
            let stored = try await withStore(global) { store in
                let reference = try await store.reference.tables().compile()
                let version: NewPlanVersion
                do { version = try upload.version(reference: reference, now: try global.now()) } catch let failure as ImportFailure {
                    printError(failure.description)
                    throw ExitCode(1)
                } catch let invalid as PlanUpload.Invalid {
                    throw ValidationError("--\(invalid.option.replacingOccurrences(of: "_", with: "-")): \(invalid.reason)")
                }
                if let invalid = try await PlanUpload.missingDeck(version, store: store) {
                    throw ValidationError("--override-deck: \(invalid.reason)")
                }
                let stored = try await store.plans.add(version, now: try global.now())
                await audit(
                    store,
                    global,
                    "plan.version",
                    target: "plan:\(name)",
                    detail: "version \(stored.id) from \(version.effectiveFrom.iso8601)"
                )
                return stored
            }
            print("plan \(name) version \(stored.id): effective from \(stored.version.effectiveFrom.iso8601)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the plans, their versions and the accounts on them.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (versions, assignments) = try await withStore(global) { store in
                (try await store.plans.versions(), try await store.plans.assignments())
            }
            let names = Set(versions.map(\.version.plan)).sorted()
            if names.isEmpty { print("no plans") }
            for name in names {
                let count = versions.filter { $0.version.plan == name }.count
                let accounts = assignments.filter { $0.value == name }.keys.sorted()
                print("\(name): \(count) version(s), accounts \(accounts.isEmpty ? "none" : accounts.map(String.init).joined(separator: ", "))")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a plan's versions and rules, and the accounts on it.")

        @Argument(help: "The plan's name.")
        var name: String

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (schedule, accounts) = try await withStore(global) { store in
                let reference = try await store.reference.tables().compile()
                let schedule = try await store.plans.schedule(named: name, reference: reference)
                return (schedule, try await store.plans.assignments().filter { $0.value == name }.keys.sorted())
            }
            guard let schedule else { throw ValidationError("no plan '\(name)'") }
            print("plan \(name); accounts: \(accounts.isEmpty ? "none" : accounts.map(String.init).joined(separator: ", "))")
            for version in schedule.versions {
                let plan = version.plan
                var floors: [String] = []
                if plan.minimumPrice != .zero { floors.append("minimum price \(plan.minimumPrice.plainText)") }
                if plan.minimumMargin != .zero { floors.append("minimum margin \(plan.minimumMargin.plainText)") }
                if let rounding = plan.rounding { floors.append("rounded to \(rounding)") }
                if let deck = plan.overrideDeck { floors.append("own prices from deck \(deck)") }
                print("version \(version.id) from \(version.effectiveFrom.iso8601)" + (floors.isEmpty ? "" : ": " + floors.joined(separator: ", ")))
                for rule in plan.rules { print("  line \(rule.line): \(rule.label)") }
            }
        }
    }

    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put an account on a plan (or, with --none, back on the deck's prices).")

        @Argument(help: "The plan's name.")
        var name: String?

        @Option(help: "The account's id.")
        var account: Int64

        @Flag(help: "Take the account off any plan.")
        var none = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard (name == nil) == none else { throw ValidationError("give a plan's name or --none") }
        }

        func run() async throws {
            try await withStore(global) { store in
                switch try await store.plans.assign(plan: name, accountID: account, now: try global.now()) {
                case .changed:
                    await audit(store, global, "plan.assign", target: "account:\(account)", detail: name.map { "plan \($0)" } ?? "no plan")
                case .unknownAccount: throw ValidationError("no account \(account)")
                case .refused(let reason): throw ValidationError(reason)
                }
            }
            print(name.map { "account \(account) is on plan \($0)" } ?? "account \(account) is on no plan: the deck's prices")
        }
    }
}
