import Foundation
import TariffCore
import TariffStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Tariff at full size, the way an operator meets it: the real `tariff` binary serving a large
/// deck, taking a one-row change while it serves, pricing one number and exporting everything.
/// Each figure is printed beside a baseline measured in the same run.
enum ScaleBench {
    /// Set by the one-row change: above every generated price (those are at most 0.09).
    static let newPrice = "0.12345678"
    // Fixed credentials: `account create` takes them, so nothing has to be parsed back.
    static let apiKey = "benchkey"
    static let apiSecret = "BenchSecret2026x"
    static let labelWidth = 40
    /// How long any wait may last before it is reported as FAILED instead of hanging.
    static let guardSeconds = 600.0

    static func run(rows: Int, rng: inout SplitMix64) throws {
        print("\n== scale: a \(rows / 1000)k-row voice deck through tariff serve, price and export")
        let tariff = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("tariff").path
        guard FileManager.default.isExecutableFile(atPath: tariff) else {
            print("  skipped: \(tariff) not built (swift build -c release --product tariff)")
            return
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tariff-bench-scale-\(UUID().uuidString)")
        // The database alone in its folder, so whatever the server writes beside it can be listed.
        let dataDirectory = directory.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
        let deck = path("deck.csv")
        let database = dataDirectory.appendingPathComponent("scale.sqlite").path

        // 1. Setup: not a result.
        let deckBytes = try ImportBench.writeDeck(path: deck, rows: rows, rng: &rng)
        let setupStart = ContinuousClock.now
        let steps: [(String, [String])] = [
            ("tariff decks", ["decks", "--database", database]),
            ("tariff import", ["import", deck, "--database", database, "--product", "voice-outbound", "--currency", "EUR"]),
            (
                "tariff account create",
                [
                    "account", "create", "--name", "tariff-bench", "--currency", "EUR",
                    "--api-key", apiKey, "--api-secret", apiSecret, "--database", database,
                ]
            ),
        ]
        for (name, arguments) in steps {
            let (status, _) = try ImportBench.runChild(tariff, arguments)
            guard status == 0 else {
                print("  setup FAILED: \(name) exited with status \(status)")
                return
            }
        }
        report("setup: decks + import + account", "\(format(since(setupStart), 1)) s (not a result)")
        guard let target = try pickNumber(deck: deck) else {
            print("  FAILED: no prefix among the deck's first rows gives a possible 11–12 digit number")
            return
        }

        // 2. Baseline: the least a start can do is read the database once.
        let readStart = ContinuousClock.now
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: database))
        let databaseBytes = try handle.readToEnd()?.count ?? 0
        try? handle.close()
        let readTime = since(readStart)
        report("deck", "\(rows) rows, \(deckBytes / 1_048_576) MiB CSV; database \(databaseBytes / 1_048_576) MiB")
        report("baseline: read the database file once", "\(format(readTime, 2)) s")

        // 3. Start-up, twice: the second finds whatever the first left beside the database.
        // A large import writes the book file itself; without it, the first start compiles the
        // book from the store and writes the file. Removed here to time that path too.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? [] where name.hasSuffix(".book") {
            let file = dataDirectory.appendingPathComponent(name).path
            report("written by the import", "\(name) (\(fileSize(file) / 1024) KiB), removed for the cold start")
            try? FileManager.default.removeItem(atPath: file)
        }
        let filesBefore = Set((try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? [])
        let cold = try Server(tariff: tariff, database: database, log: path("serve-cold.log"))
        defer { cold.stop() }
        guard startUp(cold, label: "cold start (no book file)") != nil else { return }
        let written = ((try? FileManager.default.contentsOfDirectory(atPath: dataDirectory.path)) ?? [])
            .filter { !filesBefore.contains($0) }.sorted()
            .map { "\($0) (\(fileSize(dataDirectory.appendingPathComponent($0).path) / 1024) KiB)" }
        report("written beside the database", written.isEmpty ? "nothing" : written.joined(separator: ", "))
        cold.stop()

        let warm = try Server(tariff: tariff, database: database, log: path("serve-warm.log"))
        defer { warm.stop() }
        guard let warmStart = startUp(warm, label: "warm start (book file)") else { return }

        // 4. One row changed while the warm server serves.
        report("number asked", "+\(target.number) (deck prefix \(target.prefix): \(target.oldPrice) EUR, to become \(newPrice))")
        try oneRowChange(server: warm, tariff: tariff, database: database, target: target, directory: directory)
        // Stopped first: the commands below should not share the two cores with it.
        warm.stop()

        // 5. One number priced by the CLI, from a cold process.
        let price = runMeasured(tariff, ["price", "+\(target.number)", "--database", database], errors: path("price.err"))
        if price.status == 0 {
            report("tariff price (one number)", "\(format(price.seconds, 2)) s, peak \(mb(price.peakKiB))   (target ≤ 0.3 s and ≤ 100 MB)")
        } else {
            report("tariff price (one number)", "FAILED with status \(price.status)")
            printTail(path("price.err"))
        }

        // 6. Everything exported, beside copying the deck once.
        let copyStart = ContinuousClock.now
        try Data(contentsOf: URL(fileURLWithPath: deck)).write(to: URL(fileURLWithPath: path("deck-copy.csv")))
        let copyTime = since(copyStart)
        report("baseline: copy the deck CSV once", "\(format(copyTime, 2)) s (\(deckBytes / 1_048_576) MiB)")
        let exported = path("export.csv")
        let export = runMeasured(tariff, ["export", "--database", database, "--output", exported], errors: path("export.err"))
        if export.status == 0 {
            report(
                "tariff export",
                "\(format(export.seconds, 2)) s, peak \(mb(export.peakKiB)), \(fileSize(exported) / 1_048_576) MiB written   (target ≤ 5 s, memory flat)"
            )
            if let served = warmStart.idle?.rssKiB {
                // Both hold the whole book: what export holds beyond the server is what grows with the rows written.
                report("export peak − server steady RSS", "\(mb(export.peakKiB - served))   (flat: little beyond the loaded book)")
            }
        } else {
            report("tariff export", "FAILED with status \(export.status)")
            printTail(path("export.err"))
        }

        // 7. Bytes per rate: the server's own figure if it logs one, else an RSS difference.
        // The warm server's first: its book is the one the steady RSS was measured with.
        if let line = loggedBytes(in: [path("serve-warm.log"), path("serve-cold.log")]) {
            let figure = line.split(separator: " ").first(where: { $0.hasPrefix("bytes_per_rate=") })?.dropFirst("bytes_per_rate=".count)
            report("bytes per rate (server log)", figure.map { "\($0) bytes/rate, as logged:" } ?? "as logged:")
            print("    | \(line)")
        } else if let steady = warmStart.idle?.rssKiB, let empty = try emptyDeckRSS(tariff: tariff, directory: directory) {
            let perRate = (steady - empty) * 1024 / rows
            report("(steady RSS − empty-deck RSS) / rows", "\(perRate) bytes/rate (\(mb(steady)) − \(mb(empty)))")
        } else {
            report("(steady RSS − empty-deck RSS) / rows", "n/a")
        }
    }

    // MARK: The steps

    struct Start {
        let seconds: Double
        /// After 2 s idle; nil without /proc.
        let idle: Memory?
    }

    /// Waits for /health and reports the time and RSS; nil when the server never answered.
    static func startUp(_ server: Server, label: String) -> Start? {
        guard let seconds = server.waitUntilHealthy(limit: guardSeconds) else {
            report("\(label): launch → /health 200", "FAILED (exited or no 200 within \(Int(guardSeconds)) s)")
            printTail(server.log)
            return nil
        }
        let atHealth = memory(of: server.pid)
        Thread.sleep(forTimeInterval: 2)
        let idle = memory(of: server.pid)
        report("\(label): launch → /health 200", "\(format(seconds, 2)) s   (target ≤ 3 s)")
        report(
            "\(label) RSS",
            "at /health \(mb(atHealth?.rssKiB)); after 2 s idle: steady \(mb(idle?.rssKiB)), "
                + "peak so far \(mb(idle?.peakKiB))   (target ≤ 250 MB steady)"
        )
        return Start(seconds: seconds, idle: idle)
    }

    static func oneRowChange(server: Server, tariff: String, database: String, target: Target, directory: URL) throws {
        let authorization = "Basic " + Data("\(apiKey):\(apiSecret)".utf8).base64EncodedString()
        let query = "/v1/prices/voice-outbound?to=%2B\(target.number)"
        // Asked once before the change, so a refused key or an unpriced number shows at once.
        if let answer = httpGet(port: server.port, path: query, authorization: authorization), answer.status != 200 {
            print("  native API before the change: HTTP \(answer.status) \(answer.body)")
        }
        let one = directory.appendingPathComponent("one.csv").path
        let csv = "prefix,price,increment,description\n\(target.prefix),\(newPrice),\(target.increment),\(target.description)\n"
        try Data(csv.utf8).write(to: URL(fileURLWithPath: one))
        let errors = directory.appendingPathComponent("one-import.err").path

        let steady = memory(of: server.pid)
        // VmHWM counts from process start; reset, it holds only the swap's peak.
        let peakReset = resetPeak(of: server.pid)
        let importStart = ContinuousClock.now
        let outcome = runMeasured(
            tariff,
            ["import", one, "--partial", "--database", database, "--product", "voice-outbound", "--currency", "EUR"],
            errors: errors
        )
        let importEnd = ContinuousClock.now
        guard outcome.status == 0 else {
            report("one-row partial import", "FAILED with status \(outcome.status)")
            printTail(errors)
            return
        }
        report("one-row partial import", "\(format(outcome.seconds, 2)) s   (target ≤ 0.5 s)")

        var served: ContinuousClock.Instant?
        var toldError = false
        while since(importEnd) < guardSeconds, server.process.isRunning {
            if let answer = httpGet(port: server.port, path: query, authorization: authorization) {
                if answer.status == 200, answer.body.contains(newPrice) {
                    served = ContinuousClock.now
                    break
                }
                if answer.status != 200, !toldError {
                    print("  native API answered HTTP \(answer.status): \(answer.body)")
                    toldError = true
                }
                // These will not mend with a reload.
                if [400, 401, 403].contains(answer.status) { break }
            }
            usleep(20_000)
        }
        guard let served else {
            report("new price served", "FAILED (not served within \(Int(guardSeconds)) s)   (target ≤ 2 s)")
            if !server.process.isRunning { printTail(server.log) }
            return
        }
        report("served: import start → new price", "\(format(ImportBench.seconds(served - importStart), 2)) s   (target ≤ 2 s)")
        report("served: import end → new price", "\(format(ImportBench.seconds(served - importEnd), 2)) s")
        // The old book may still be in the middle of going away.
        Thread.sleep(forTimeInterval: 1)
        if let steady, let after = memory(of: server.pid), steady.rssKiB > 0 {
            let ratio = Double(after.peakKiB) / Double(steady.rssKiB)
            report(
                "swap peak RSS vs steady",
                "\(mb(after.peakKiB)) vs \(mb(steady.rssKiB)) = \(format(ratio, 2))×   (target ≤ 1.5×)"
                    + (peakReset ? "" : "  [VmHWM not reset: includes the start-up peak]")
            )
        } else {
            report("swap peak RSS vs steady", "n/a (no /proc)")
        }
    }

    /// A server on a database with reference data and no prices, after the same 2 s idle.
    static func emptyDeckRSS(tariff: String, directory: URL) throws -> Int? {
        let emptyDirectory = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: emptyDirectory, withIntermediateDirectories: true)
        let database = emptyDirectory.appendingPathComponent("empty.sqlite").path
        let (status, _) = try ImportBench.runChild(tariff, ["decks", "--database", database])
        guard status == 0 else { return nil }
        let server = try Server(tariff: tariff, database: database, log: directory.appendingPathComponent("serve-empty.log").path)
        defer { server.stop() }
        guard server.waitUntilHealthy(limit: guardSeconds) != nil else {
            printTail(server.log)
            return nil
        }
        Thread.sleep(forTimeInterval: 2)
        return memory(of: server.pid)?.rssKiB
    }

    // MARK: The number asked for

    struct Target {
        let prefix: String
        let number: String
        let increment: String
        let description: String
        let oldPrice: String
    }

    /// A number under one of the deck's first prefixes that its country allows (11 or 12
    /// digits) and that no longer prefix of the deck takes, so the changed row is the one priced.
    static func pickNumber(deck: String) throws -> Target? {
        let text = try String(contentsOfFile: deck, encoding: .utf8)
        var prefixes = Set<Substring>()
        var candidates: [[Substring]] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.hasPrefix("prefix,") {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count >= 4 else { continue }
            prefixes.insert(fields[0])
            if candidates.count < 1000 { candidates.append(fields) }
        }
        let reference = try ShippedReferenceData.tables().compile()
        for fields in candidates {
            let prefix = String(fields[0])
            for length in [12, 11] where length > prefix.count {
                for filler in "0123456789" {
                    let number = prefix + String(repeating: filler, count: length - prefix.count)
                    guard let phone = try? PhoneNumber(parsing: number) else { continue }
                    let info = reference.classify(phone.key)
                    guard info.country != nil, reference.hasPossibleLength(phone, info: info) else { continue }
                    let shadowed = ((prefix.count + 1)...length).contains { prefixes.contains(number.prefix($0)) }
                    if shadowed { continue }
                    return Target(
                        prefix: prefix,
                        number: number,
                        increment: String(fields[2]),
                        description: String(fields[3]),
                        oldPrice: String(fields[1])
                    )
                }
            }
        }
        return nil
    }

    // MARK: Small helpers

    static func since(_ start: ContinuousClock.Instant) -> Double { ImportBench.seconds(ContinuousClock.now - start) }

    static func fileSize(_ path: String) -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int(info.st_size)
    }

    /// Decimal megabytes, as the targets are given.
    static func mb(_ kib: Int?) -> String {
        guard let kib else { return "n/a" }
        return format(Double(kib) * 1024 / 1_000_000, 0) + " MB"
    }

    static func report(_ label: String, _ value: String) {
        print("  " + label.padding(toLength: max(labelWidth, label.count + 1), withPad: " ", startingAt: 0) + value)
    }

    static func printTail(_ path: String, lines: Int = 12) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        for line in text.split(separator: "\n").suffix(lines) { print("    | \(line)") }
    }

    /// A line where the server states its bytes per rate, if it logs one.
    static func loggedBytes(in logs: [String]) -> String? {
        for log in logs {
            guard let text = try? String(contentsOfFile: log, encoding: .utf8) else { continue }
            if let line = text.split(separator: "\n").first(where: { $0.contains("bytes_per_rate") || $0.contains("\"bytes\"") }) {
                return String(line)
            }
        }
        return nil
    }
}
