import Testing

@testable import TariffCore

private typealias W = TestWorld

func quote(
    _ book: RateBook,
    _ number: String,
    _ product: Product = .voiceOutbound,
    from origin: CallOrigin? = nil,
    at instant: String = "2026-02-01"
) throws -> PriceQuote {
    try book.quote(W.number(number), product: product, from: origin, at: W.instant(instant))
}
