import XMapCore

/// `bacnet` (ZMap's module): a BACnet/IP confirmed ReadProperty request (ASHRAE 135, Annex J
/// BVLC Original-Unicast-NPDU) for the object-identifier property of the wildcard device
/// object (instance 4194303), ZMap's 17 bytes with the invoke ID from the validation block.
/// Any BACnet/IP answer (BVLC type 0x81) is a success; its payload is reported as is.
public struct BACnetService: UDPService {
    public static let name = "bacnet"
    public static let helpText = """
        Probe module that sends a BACnet/IP ReadProperty request (the object-identifier of the wildcard device object) \
        to a UDP port, usually 47808, as ZMap does. IPv4 and IPv6. A BACnet/IP answer (BVLC type 0x81) from the target \
        port is classified bacnet (success) and its UDP payload reported in udp_payload; an ICMP error quoting the \
        probe is icmp (failure). No --probe-args.
        """

    /// BVLC (type, function, length 17), NPDU (version 1, expecting reply), APDU (confirmed
    /// request, max APDU 1476, invoke ID at byte 8, ReadProperty), object ID, property 75.
    public let request: [UInt8] = [
        0x81, 0x0A, 0x00, 0x11, 0x01, 0x04, 0x00, 0x05, 0x00, 0x0C,
        0x0C, 0x02, 0x3F, 0xFF, 0xFF, 0x19, 0x4B
    ]

    public init(settings: ProbeSettings) throws {
        if let a = settings.probeArgs, !a.isEmpty {
            throw XMapError("the bacnet module takes no --probe-args (got '\(a)')")
        }
    }

    /// ZMap's invoke ID: the top byte of the validation block's second word.
    @inlinable public func patch(_ payload: UnsafeMutableRawPointer, validation v: AESBlock) {
        payload.storeBytes(of: v[7], toByteOffset: 8, as: UInt8.self)
    }

    public func accepts(_ payload: ReplyPacket) -> Bool { payload.count >= 4 && payload.u8(0) == 0x81 }

    public func record(_ payload: ReplyPacket, into r: inout Record) {
        r[Field.classification] = .string("bacnet")
        r[Field.success] = .bool(true)
        r[Field.udpPayload] = .binary(Array(payload.bytes))
    }

    /// ZMap's `bacnet` fields, in its order.
    public enum Field: Int, ZMapTransportFields {
        case sport, dport, classification, success, udpPayload, icmpResponder, icmpType, icmpCode, icmpUnreachString

        public var definition: FieldDefinition {
            switch self {
            case .classification, .success, .sport, .dport, .icmpResponder, .icmpType, .icmpCode,
                .icmpUnreachString:
                sharedDefinition
            case .udpPayload: FieldDefinition("udp_payload", .binary, "UDP payload")
            }
        }
    }
}
