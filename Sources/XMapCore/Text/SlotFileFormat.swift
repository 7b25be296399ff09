/// The layout of a file that is rewritten in place and must survive a crash at any moment: two
/// slots of `slotSize` bytes, written alternately, each a header line, the payload and padding:
///
///     xmap-slot seq=7 length=312 crc32=1c291ca3\n
///     <payload>\n\n\n…
///
/// A reader takes the valid slot (header parses, length fits, CRC matches) with the highest
/// sequence number, so a write torn by a crash or a power loss costs one update, never the file.
/// The payload stays readable with `cat`. Pure: the I/O is `XMapIO.SlotFile`'s.
public enum SlotFileFormat {
    /// Longest header line.
    public static let headerCapacity = 80

    /// The bytes of one slot holding `payload` as update number `sequence`, `slotSize` long.
    /// - Precondition: the payload fits (`payload.count + headerCapacity <= slotSize`).
    public static func slot(_ payload: [UInt8], sequence: UInt64, slotSize: Int) -> [UInt8] {
        precondition(payload.count + headerCapacity <= slotSize, "payload larger than its slot")
        let crc = String(CRC32.checksum(payload), radix: 16)
        let header = "xmap-slot seq=\(sequence) length=\(payload.count) crc32=\(crc)\n"
        var out = Array(header.utf8) + payload
        out += [UInt8](repeating: 10, count: slotSize - out.count)
        return out
    }

    /// The payload of the newest valid slot of a whole file: its slot size is the file's size
    /// (one slot written so far) or half of it (both), whatever a torn write did to a header.
    public static func newestPayload(ofFile file: [UInt8]) -> [UInt8]? {
        var best: (UInt64, [UInt8])? = nil
        for size in [file.count, file.count / 2] where size > headerCapacity {
            var offset = 0
            while offset + size <= file.count {
                if let (seq, payload) = parse(file[offset..<(offset + size)]), seq > (best?.0 ?? 0) {
                    best = (seq, payload)
                }
                offset += size
            }
        }
        return best?.1
    }

    /// Sequence number and payload of one slot, or nil when it is not valid.
    static func parse(_ slot: ArraySlice<UInt8>) -> (UInt64, [UInt8])? {
        guard let newline = slot.prefix(headerCapacity).firstIndex(of: 10) else { return nil }
        let fields = String(decoding: slot[slot.startIndex..<newline], as: UTF8.self).split(separator: " ")
        guard fields.count == 4, fields[0] == "xmap-slot",
            fields[1].hasPrefix("seq="), let seq = UInt64(fields[1].dropFirst(4)), seq > 0,
            fields[2].hasPrefix("length="), let length = Int(fields[2].dropFirst(7)),
            fields[3].hasPrefix("crc32="), let crc = UInt32(fields[3].dropFirst(6), radix: 16)
        else { return nil }
        let start = newline + 1
        guard length >= 0, start + length <= slot.endIndex else { return nil }
        let payload = Array(slot[start..<(start + length)])
        guard CRC32.checksum(payload) == crc else { return nil }
        return (seq, payload)
    }
}
