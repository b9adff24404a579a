/// Ids that stay the same across deck versions and servers for the same thing (a price group,
/// a region, a subscription template): a 64-bit FNV-1a hash of a name, folded to a positive
/// 31-bit number so that every SDK (Go `int`, JavaScript numbers) reads it as is.
enum StableID {
    static func of(_ text: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let folded = (hash >> 31 ^ hash) & 0x7fff_ffff
        return Int(max(folded, 1))
    }

    /// Ids for `names` in order, moving past any id already taken so that two names never share one.
    static func assign(_ names: [String]) -> [Int] {
        var taken = Set<Int>()
        return names.map { name in
            var id = of(name)
            while !taken.insert(id).inserted { id = id == 0x7fff_ffff ? 1 : id + 1 }
            return id
        }
    }
}
