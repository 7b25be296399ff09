#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// Resolves the host names of target lists (spec §5.6) with `getaddrinfo`, as XMap does: family
/// unspecified, UDP (one entry per address), then only the addresses of the scan's family are kept.
public enum HostResolver {
    /// Every address of `family` that getaddrinfo returns for `name` (deduplicated, in order).
    /// - Throws: `XMapError("unable to resolve 'name': <gai_strerror text>")`, or
    ///   `XMapError("'name' has no IPv6 address")` (or IPv4) when none is of the family.
    public static func resolve(_ name: String, family: IPFamily) throws -> [IPAddress] {
        let shown = displayText(name)
        guard !name.utf8.contains(0) else {
            throw XMapError("unable to resolve '\(shown)': the name contains a NUL character")
        }
        let answer = lookup(name)
        if answer.status != 0 {
            throw XMapError("unable to resolve '\(shown)': \(errorText(status: answer.status, errno: answer.errno))")
        }
        var seen = Set<IPAddress>()
        var out: [IPAddress] = []
        for a in answer.addresses where a.family == family && seen.insert(a).inserted {
            out.append(a)
        }
        if out.isEmpty { throw XMapError("'\(shown)' has no \(family) address") }
        return out
    }

    /// The result of one getaddrinfo call: its status, errno (meaningful for EAI_SYSTEM), and the
    /// IPv4/IPv6 addresses it returned, in order.
    struct Answer {
        var status: Int32
        var errno: Int32
        var addresses: [IPAddress]
    }

    /// The only system call: getaddrinfo (AF_UNSPEC, SOCK_DGRAM/UDP), copies the addresses out,
    /// and always frees the list. `errno` is read right after the call.
    @inline(never)
    static func lookup(_ name: String) -> Answer {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_UDP)
        var list: UnsafeMutablePointer<addrinfo>? = nil
        let status = system_getaddrinfo(name, nil, &hints, &list)
        let savedErrno = errno
        defer { if let list { system_freeaddrinfo(list) } }
        guard status == 0 else { return Answer(status: status, errno: savedErrno, addresses: []) }
        var addresses: [IPAddress] = []
        var node = list
        while let entry = node {
            if let a = address(of: entry.pointee) { addresses.append(a) }
            node = entry.pointee.ai_next
        }
        return Answer(status: 0, errno: 0, addresses: addresses)
    }

    /// The address of one addrinfo entry, or nil for other families or a short sockaddr.
    static func address(of entry: addrinfo) -> IPAddress? {
        guard let sa = entry.ai_addr else { return nil }
        let length = Int(entry.ai_addrlen)
        let raw = UnsafeRawBufferPointer(start: UnsafeRawPointer(sa), count: length)
        switch entry.ai_family {
        case AF_INET:
            guard length >= MemoryLayout<sockaddr_in>.size else { return nil }
            let sin = raw.loadUnaligned(as: sockaddr_in.self)
            guard Int32(sin.sin_family) == AF_INET else { return nil }
            return withUnsafeBytes(of: sin.sin_addr) { IPAddress(family: .v4, bytes: $0) }
        case AF_INET6:
            guard length >= MemoryLayout<sockaddr_in6>.size else { return nil }
            let sin6 = raw.loadUnaligned(as: sockaddr_in6.self)
            guard Int32(sin6.sin6_family) == AF_INET6 else { return nil }
            return withUnsafeBytes(of: sin6.sin6_addr) { IPAddress(family: .v6, bytes: $0) }
        default:
            return nil
        }
    }

    /// The gai_strerror text (with strerror for EAI_SYSTEM).
    static func errorText(status: Int32, errno code: Int32) -> String {
        let text = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
        if status == EAI_SYSTEM, let s = strerror(code) { return "\(text): \(String(cString: s))" }
        return text
    }

    /// The name as it may appear in a one-line message: control characters become `\u{..}`.
    static func displayText(_ name: String) -> String {
        var out = ""
        for s in name.unicodeScalars {
            switch s.properties.generalCategory {
            case .control, .lineSeparator, .paragraphSeparator:
                out += "\\u{" + String(s.value, radix: 16) + "}"
            default:
                out.unicodeScalars.append(s)
            }
        }
        return out
    }
}
