/// One bit per IPv4 address, in 65,536 pages of 8 KiB allocated on first use (as ZMap's paged
/// bitmap): a set of addresses that costs 8 KiB per /16 touched and at most 512 MiB.
public struct PagedAddressBitmap: ~Copyable {
    private var pages: [UnsafeMutablePointer<UInt64>?]
    private static let wordsPerPage = 1 << 10  // 65,536 bits

    public init() { pages = Array(repeating: nil, count: 1 << 16) }

    deinit {
        for page in pages { page?.deallocate() }
    }

    /// Whether `address` (host order) is in the set.
    public func contains(_ address: UInt32) -> Bool {
        guard let page = pages[Int(address >> 16)] else { return false }
        let bit = Int(address & 0xFFFF)
        return page[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    /// Adds `address`; returns true when it was not in the set before.
    @discardableResult
    public mutating func insert(_ address: UInt32) -> Bool {
        let index = Int(address >> 16)
        let page: UnsafeMutablePointer<UInt64>
        if let existing = pages[index] {
            page = existing
        } else {
            page = UnsafeMutablePointer<UInt64>.allocate(capacity: Self.wordsPerPage)
            page.initialize(repeating: 0, count: Self.wordsPerPage)
            pages[index] = page
        }
        let bit = Int(address & 0xFFFF)
        let mask: UInt64 = 1 << UInt64(bit & 63)
        if page[bit >> 6] & mask != 0 { return false }
        page[bit >> 6] |= mask
        return true
    }
}
