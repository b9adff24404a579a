import Crypto
import Foundation
import NIOCore

/// The web console's files, built into the binary: the page at `/`, and its script and style
/// sheet under names that carry their content's hash, so a browser may keep them for a year
/// and a new binary's files are fetched anew.
struct ConsoleAssets: Sendable {
    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String
        /// A strong validator: the hash of the body.
        let etag: String
        /// The same bytes gzipped, for the files where it pays (the map), made with the file by
        /// `scripts/world_map.py` so the server compresses nothing at run time.
        var gzip: Gzipped?
    }

    struct Gzipped: Sendable {
        let body: ByteBuffer
        /// Another representation, so another validator.
        let etag: String
    }

    /// The page, with the hashed names written in.
    let page: Asset
    /// By hashed name, `console.1a2b3c4d5e6f.js`.
    let files: [String: Asset]

    static let builtIn = ConsoleAssets(
        page: PackageResources.index_html,
        files: [
            ("console.css", PackageResources.console_css, "text/css; charset=utf-8"),
            ("console.js", PackageResources.console_js, "text/javascript; charset=utf-8"),
            ("world.json", PackageResources.world_json, "application/json"),
        ],
        gzipped: ["world.json": PackageResources.world_json_gz]
    )

    /// `page` names each file as `{{name}}`; those become `/console/` and the hashed name.
    /// `gzipped` holds the gzip of some of them, by name.
    init(page: [UInt8], files named: [(name: String, bytes: [UInt8], contentType: String)], gzipped: [String: [UInt8]] = [:]) {
        var files: [String: Asset] = [:]
        var html = String(decoding: page, as: UTF8.self)
        for file in named {
            let hash = Self.hash(file.bytes)
            let dot = file.name.lastIndex(of: ".") ?? file.name.endIndex
            let hashed = "\(file.name[..<dot]).\(hash.prefix(12))\(file.name[dot...])"
            files[hashed] = Asset(
                body: ByteBuffer(bytes: file.bytes),
                contentType: file.contentType,
                etag: "\"\(hash)\"",
                gzip: gzipped[file.name].map { Gzipped(body: ByteBuffer(bytes: $0), etag: "\"\(hash)-gzip\"") }
            )
            html = html.replacingOccurrences(of: "{{\(file.name)}}", with: "/console/\(hashed)")
        }
        self.files = files
        self.page = Asset(body: ByteBuffer(string: html), contentType: "text/html; charset=utf-8", etag: "\"\(Self.hash(Array(html.utf8)))\"")
    }

    static func hash(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).prefix(16).map { byte in
            let text = String(byte, radix: 16)
            return text.count == 1 ? "0" + text : text
        }.joined()
    }
}
