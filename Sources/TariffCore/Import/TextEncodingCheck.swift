/// Recognises text files that are not UTF-8 from their first bytes, so that a UTF-16 export
/// (what Excel's "Unicode text" and many Windows tools write) is named as such instead of
/// failing later as stray quotes, NULs or unknown values on every line.
enum TextEncodingCheck {
    /// How many leading bytes ``otherEncoding(_:)`` looks at.
    static let sampleSize = 64

    /// "UTF-16" or "UTF-32" when `head` (the file's first bytes) is in that encoding; nil otherwise.
    static func otherEncoding(_ head: some Collection<UInt8>) -> String? {
        let b = Array(head.prefix(sampleSize))
        if b.starts(with: [0x00, 0x00, 0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE, 0x00, 0x00]) { return "UTF-32" }
        if b.starts(with: [0xFE, 0xFF]) || b.starts(with: [0xFF, 0xFE]) { return "UTF-16" }

        // Without a byte-order mark, ASCII text in these encodings has NUL bytes at fixed
        // positions between the letters, which no UTF-8 text file starts with.
        var zeros = [0, 0, 0, 0]
        for (i, c) in b.enumerated() where c == 0 { zeros[i % 4] += 1 }
        let quads = b.count / 4
        if quads > 0 {
            // One position of each four carries the letters, the other three are NUL.
            for letters in [0, 3] where zeros[letters] < quads {
                if (0..<4).allSatisfy({ $0 == letters || zeros[$0] >= quads }) { return "UTF-32" }
            }
        }
        let pairs = b.count / 2
        guard pairs > 0 else { return nil }
        let even = zeros[0] + zeros[2]
        let odd = zeros[1] + zeros[3]
        // Non-ASCII letters have no NUL half, so NULs in half the pairs are enough, if they keep to one side.
        let (heavy, light) = (max(even, odd), min(even, odd))
        if heavy * 2 >= pairs && light * 2 < heavy { return "UTF-16" }
        return nil
    }
}
