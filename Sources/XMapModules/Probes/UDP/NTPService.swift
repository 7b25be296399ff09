import XMapCore

/// `ntp` (ZMap's module): an NTPv4 client request (LI 3, VN 4, mode 3, the rest zero; RFC
/// 5905 §7.3) and the server's header decoded into ZMap's fields. Unlike ZMap, it needs no
/// `--probe-args`, sends the whole 48-byte header, and reads every field at its RFC offset in
/// network byte order.
public struct NTPService: UDPService {
    public static let name = "ntp"
    public static let helpText = """
        Probe module that sends an NTP version 4 client request (48 bytes, mode 3) to a UDP port, usually 123, and \
        decodes the server's reply header (RFC 5905): LI_VN_MODE, stratum, poll, precision, root delay and dispersion \
        (as their 32-bit fixed-point integers), the reference identifier and the four timestamps (as 64-bit NTP \
        timestamps: seconds since 1900 in the high 32 bits). IPv4 and IPv6. A UDP reply from the target port is \
        classified ntp (success); the NTP fields are null when it is shorter than an NTP header. An ICMP error quoting \
        the probe is icmp (failure). No --probe-args (ZMap's ntp required udp-style ones; they were not used).
        """

    public let request: [UInt8] = [0xE3] + [UInt8](repeating: 0, count: 47)

    public init(settings: ProbeSettings) throws {
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the ntp module takes no --probe-args (got '\(a)'); it sends the NTP client request itself")
        }
    }

    public func record(_ payload: ReplyPacket, into r: inout Record) {
        r[Field.classification] = .string("ntp")
        r[Field.success] = .bool(true)
        guard payload.count >= 48 else { return }
        let p = payload
        r[Field.liVnMode] = .int(UInt64(p.u8(0)!))
        r[Field.stratum] = .int(UInt64(p.u8(1)!))
        r[Field.poll] = .int(UInt64(p.u8(2)!))
        r[Field.precision] = .int(UInt64(p.u8(3)!))
        r[Field.rootDelay] = .int(UInt64(p.u32(4)!))
        r[Field.rootDispersion] = .int(UInt64(p.u32(8)!))
        r[Field.referenceID] = .int(UInt64(p.u32(12)!))
        func timestamp(_ off: Int) -> FieldValue { .int(UInt64(p.u32(off)!) << 32 | UInt64(p.u32(off + 4)!)) }
        r[Field.referenceTimestamp] = timestamp(16)
        r[Field.originateTimestamp] = timestamp(24)
        r[Field.receiveTimestamp] = timestamp(32)
        r[Field.transmitTimestamp] = timestamp(40)
    }

    /// ZMap's `ntp` fields, in its order.
    public enum Field: Int, ZMapTransportFields {
        case classification, success, sport, dport, icmpResponder, icmpType, icmpCode, icmpUnreachString
        case liVnMode, stratum, poll, precision, rootDelay, rootDispersion, referenceID
        case referenceTimestamp, originateTimestamp, receiveTimestamp, transmitTimestamp

        public var definition: FieldDefinition {
            switch self {
            case .classification, .success, .sport, .dport, .icmpResponder, .icmpType, .icmpCode,
                .icmpUnreachString:
                sharedDefinition
            case .liVnMode: FieldDefinition("LI_VN_MODE", .int, "leap indication, version number, mode")
            case .stratum: FieldDefinition("stratum", .int, "stratum")
            case .poll: FieldDefinition("poll", .int, "poll")
            case .precision: FieldDefinition("precision", .int, "precision")
            case .rootDelay: FieldDefinition("root_delay", .int, "root delay")
            case .rootDispersion: FieldDefinition("root_dispersion", .int, "root dispersion")
            case .referenceID: FieldDefinition("reference_clock_identifier", .int, "code identifying clock reference")
            case .referenceTimestamp:
                FieldDefinition(
                    "reference_timestamp", .int,
                    "local time at which local clock was last set or corrected")
            case .originateTimestamp:
                FieldDefinition("originate_timestamp", .int, "local time at which request departed client for service")
            case .receiveTimestamp:
                FieldDefinition("receive_timestamp", .int, "local time at which request arrived at service host")
            case .transmitTimestamp:
                FieldDefinition("transmit_timestamp", .int, "local time which reply departed service host for client")
            }
        }
    }
}
