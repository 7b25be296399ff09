import XMapCore

/// `upnp` (ZMap's module): an SSDP M-SEARCH for root devices (UPnP Device Architecture 2.0
/// §1.3.2), ZMap's exact 97 bytes, and the answer's headers as fields. The reply text is read
/// as ZMap reads it (up to the first NUL, line by line, header names without regard to case,
/// the last of a repeated header winning), but never beyond the UDP length or the capture.
public struct UPnPService: UDPService {
    public static let name = "upnp"
    public static let helpText = """
        Probe module that sends an SSDP M-SEARCH for upnp:rootdevice to a UDP port, usually 1900, and reports the \
        answer's SERVER, LOCATION, USN, ST, EXT, CACHE-CONTROL, X-USER-AGENT, AGENT and DATE headers (null when \
        absent). IPv4 and IPv6. Classifications: upnp (an \"HTTP/1.1 200 OK\" answer, success), no-http-header \
        (another first line), none (an empty answer) and icmp (an ICMP error quoting the probe). Header values are \
        text; CSV output quotes them where needed, so both csv and json work. No --probe-args.
        """

    public let request = Array(
        ("M-SEARCH * HTTP/1.1\r\nHost:239.255.255.250:1900\r\nST:upnp:rootdevice\r\n"
            + "Man:\"ssdp:discover\"\r\nMX:3\r\n\r\n").utf8)

    public init(settings: ProbeSettings) throws {
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the upnp module takes no --probe-args (got '\(a)')")
        }
    }

    /// The header names reported, lower-cased, and their fields.
    static let headers: [(name: [UInt8], field: Field)] = {
        let names: [(String, Field)] = [
            ("server", .server), ("location", .location), ("usn", .usn), ("st", .st), ("ext", .ext),
            ("cache-control", .cacheControl), ("x-user-agent", .xUserAgent), ("agent", .agent), ("date", .date)
        ]
        return names.map { (Array($0.0.utf8), $0.1) }
    }()

    public func record(_ payload: ReplyPacket, into r: inout Record) {
        let bytes = payload.bytes
        r[Field.data] = bytes.isEmpty ? .null : .binary(Array(bytes))
        let text = bytes.firstIndex(of: 0).map { UnsafeRawBufferPointer(rebasing: bytes[..<$0]) } ?? bytes
        var first = true
        var clas = "none"
        for rawLine in text.split(separator: 10) {
            var line = rawLine
            if line.last == 13 { line = line.dropLast() }
            if line.isEmpty { continue }
            if first {
                first = false
                if line.elementsEqual("HTTP/1.1 200 OK".utf8) {
                    clas = "upnp"
                    continue
                }
                clas = "no-http-header"
                break
            }
            guard let colon = line.firstIndex(of: 58) else { continue }
            let key = line[..<colon]
            var value = line[(colon + 1)...]
            if value.first == 32 { value = value.dropFirst() }
            for (name, field) in Self.headers where Self.equalIgnoringCase(key, name) {
                r[field] = .string(String(decoding: value, as: UTF8.self))
            }
        }
        r[Field.classification] = .string(clas)
        r[Field.success] = .bool(clas == "upnp")
    }

    static func equalIgnoringCase(_ a: Slice<UnsafeRawBufferPointer>, _ lower: [UInt8]) -> Bool {
        a.count == lower.count && zip(a, lower).allSatisfy { x, y in (x >= 65 && x <= 90 ? x + 32 : x) == y }
    }

    /// ZMap's `upnp` fields, in its order.
    public enum Field: Int, ZMapTransportFields {
        case classification, success, server, location, usn, st, ext, cacheControl, xUserAgent, agent, date
        case sport, dport, icmpResponder, icmpType, icmpCode, icmpUnreachString, data

        public var definition: FieldDefinition {
            switch self {
            case .classification, .success, .sport, .dport, .icmpResponder, .icmpType, .icmpCode,
                .icmpUnreachString:
                sharedDefinition
            case .server: FieldDefinition("server", .string, "UPnP server")
            case .location: FieldDefinition("location", .string, "UPnP location")
            case .usn: FieldDefinition("usn", .string, "UPnP usn")
            case .st: FieldDefinition("st", .string, "UPnP st")
            case .ext: FieldDefinition("ext", .string, "UPnP ext")
            case .cacheControl: FieldDefinition("cache_control", .string, "UPnP cache-control")
            case .xUserAgent: FieldDefinition("x_user_agent", .string, "UPnP x-user-agent")
            case .agent: FieldDefinition("agent", .string, "UPnP agent")
            case .date: FieldDefinition("date", .string, "UPnP date")
            case .data: FieldDefinition("data", .binary, "UDP payload")
            }
        }
    }
}
