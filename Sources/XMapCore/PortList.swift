/// A list of ports such as `80,443,8080-8081`, kept in the order given (duplicates kept, as XMap).
public struct PortList: Sendable, Equatable {
    /// The ports in order.
    public let ports: [UInt16]

    public init(_ ports: [UInt16]) { self.ports = ports }

    /// Parses a comma list of ports and `a-b` ranges. `*` means every port.
    /// - Throws: `XMapError` naming the bad item.
    public static func parse(_ text: String) throws -> PortList {
        if text == "*" { return PortList((0...65535).map { UInt16($0) }) }
        var ports: [UInt16] = []
        guard !text.isEmpty else { throw XMapError("empty target port list") }
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2, let lo = parsePort(bounds[0]) else {
                throw XMapError("invalid target port '\(item)' in '\(text)' (must be 0-65535 or a range a-b)")
            }
            var hi = lo
            if bounds.count == 2 {
                guard let h = parsePort(bounds[1]), h >= lo else {
                    throw XMapError("invalid target port range '\(item)' in '\(text)'")
                }
                hi = h
            }
            for p in lo...hi { ports.append(UInt16(p)) }
            if ports.count > 65536 { throw XMapError("too many target ports (at most 65536)") }
        }
        return PortList(ports)
    }

    /// Parses one port number 0...65535 with digits only.
    public static func parsePort(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.utf8.count <= 5, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
            let v = Int(s), v <= 65535
        else { return nil }
        return v
    }

    /// Bits needed to index the list: the smallest b with 2^b >= count.
    public var bits: Int {
        var b = 0
        while (1 << b) < ports.count { b += 1 }
        return b
    }
}

/// A source port range such as `32768-61000`.
public struct SourcePortRange: Sendable, Equatable {
    public let first: UInt16
    public let last: UInt16

    public init(first: UInt16, last: UInt16) {
        self.first = first
        self.last = last
    }

    /// Number of ports in the range.
    @inlinable public var count: UInt32 { UInt32(last) - UInt32(first) + 1 }

    /// Parses `N` or `A-B`.
    public static func parse(_ text: String) throws -> SourcePortRange {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, let a = PortList.parsePort(parts[0]) else {
            throw XMapError("invalid source port '\(text)' (expected N or A-B with ports 0-65535)")
        }
        var b = a
        if parts.count == 2 {
            guard let v = PortList.parsePort(parts[1]) else {
                throw XMapError("invalid source port '\(text)' (expected N or A-B with ports 0-65535)")
            }
            b = v
        }
        guard b >= a else { throw XMapError("invalid source port range: last port is less than first port") }
        return SourcePortRange(first: UInt16(a), last: UInt16(b))
    }
}
