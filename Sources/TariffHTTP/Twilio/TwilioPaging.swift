import Hummingbird

/// A Twilio list page: `PageSize` (1 to 1,000, 50 by default), `Page` (from 0) and the
/// `PageToken` of a `next_page_url`, which names the last item of the page before, so that
/// following the links pages the list as it was even if the page size arithmetic would not.
struct TwilioPaging {
    let size: Int
    let page: Int
    /// The id of the last item before this page (from `PageToken`).
    let after: String?

    static var defaultSize: Int { 50 }
    static var maxSize: Int { 1000 }
    /// Far beyond any list (every country at a page size of 1), and small enough that no page
    /// arithmetic can overflow.
    static var maxPage: Int { 1_000_000 }
    private static let tokenPrefix = "PA"

    init(_ request: Request) throws {
        let query = request.uri.queryParameters
        size = try Self.integer(query["PageSize"], name: "PageSize", default: Self.defaultSize, range: 1...Self.maxSize)
        page = try Self.integer(query["Page"], name: "Page", default: 0, range: 0...Self.maxPage)
        if let token = query["PageToken"] {
            let id = token.dropFirst(Self.tokenPrefix.count)
            guard token.hasPrefix(Self.tokenPrefix), (1...8).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
            else { throw TwilioError.invalidParameter("PageToken is not a token this server gave") }
            after = String(id)
        } else {
            after = nil
        }
    }

    private static func integer(_ text: Substring?, name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw TwilioError.invalidParameter("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// This page of `items` (in ascending `id` order) with its `meta`, whose links go to `base`.
    func slice<Item>(_ items: [Item], id: (Item) -> String, base: String, key: String) -> ([Item], TwilioPageMeta) {
        // Both factors are range-checked, so the product stays below 10^10.
        let start = after.map { after in items.firstIndex { id($0) > after } ?? items.count } ?? min(items.count, page * size)
        let end = min(items.count, start + size)
        let slice = Array(items[start..<end])
        func link(_ page: Int, token: String? = nil) -> String {
            "\(base)?PageSize=\(size)&Page=\(page)" + (token.map { "&PageToken=\(Self.tokenPrefix)\($0)" } ?? "")
        }
        let meta = TwilioPageMeta(
            page: page,
            pageSize: size,
            firstPageUrl: link(0),
            previousPageUrl: TwilioNullable(page > 0 ? link(page - 1) : nil),
            url: link(page, token: after),
            nextPageUrl: TwilioNullable(end < items.count ? link(page + 1, token: slice.last.map(id)) : nil),
            key: key
        )
        return (slice, meta)
    }
}
