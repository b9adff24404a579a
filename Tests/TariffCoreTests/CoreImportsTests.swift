import Foundation
import Testing

/// TariffCore is the pure domain: it may import the standard library, the C library and
/// Synchronization, and nothing else (no Foundation, no NIO, no SQL), so that every rule about
/// money and prices can be read and tested without I/O.
@Suite struct CoreImportsTests {
    static let allowed: Set<String> = ["Swift", "Synchronization", "Glibc", "Musl", "Darwin"]

    static var coreSources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/TariffCore")
    }

    /// The modules named by `import` lines (any access level or attribute before it).
    static func importedModules(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                words[..<index].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "package", "private", "fileprivate"].contains($0) })
            else { return nil }
            var module = words[index + 1]
            if ["struct", "class", "enum", "func", "var", "let", "protocol", "typealias"].contains(module), index + 2 < words.count {
                module = words[index + 2]  // `import struct Foo.Bar`
            }
            return String(module.split(separator: ".").first ?? "")
        }
    }

    @Test("the reader sees every form of import")
    func readsImports() {
        let text =
            "import Foundation\npublic import NIOCore\n@preconcurrency internal import Logging\nimport struct SQLiteNIO.SQLiteRow\n// import Nothing\nlet important = 1"
        #expect(Self.importedModules(in: text) == ["Foundation", "NIOCore", "Logging", "SQLiteNIO"])
    }

    @Test("TariffCore imports only the standard library, libc and Synchronization")
    func coreImportsNothingElse() throws {
        let files = try #require(FileManager.default.enumerator(at: Self.coreSources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        #expect(files.count > 20, "the sources were not found at \(Self.coreSources.path)")
        for file in files {
            let modules = Self.importedModules(in: try String(contentsOf: file, encoding: .utf8))
            for module in modules where !Self.allowed.contains(module) {
                Issue.record("\(file.lastPathComponent) imports \(module)")
            }
        }
    }
}
