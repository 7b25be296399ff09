import XMapCore

/// An ICMP error that quotes one of our probes: the error's type and code, who sent it, and the
/// quoted IP header and packet (as far as the error carries it). Every module that accepts ICMP
/// errors as replies reads them through this.
public struct ICMPErrorQuote {
    /// The error's ICMP type.
    public let type: UInt8
    /// The error's ICMP code.
    public let code: UInt8
    /// The family of the error and of the quoted packet.
    public let family: IPFamily
    /// The error's source (a router, or the target).
    public let responder: UInt128
    /// The quoted probe's IP header (source: us; destination: the target).
    public let inner: IPHeaderView
    /// The quoted packet, starting at its IP header.
    public let quoted: ReplyPacket

    /// The quote in reply `p` (header `h`) if it is an ICMP error of `family` quoting a packet of
    /// protocol `proto` with at least `transportBytes` of its transport header.
    @inlinable
    public init?(_ p: ReplyPacket, header h: IPHeaderView, family: IPFamily, proto: UInt8, transportBytes: Int) {
        let o = h.payloadOffset
        guard h.proto == family.icmpProtocol, let type = p.u8(o), let code = p.u8(o + 1),
            family.isQuotingICMPError(type), let quoted = p.sub(from: o + 8),
            let inner = IPHeaderView(quoted, family: family, quoted: true),
            inner.proto == proto, quoted.count >= inner.payloadOffset + transportBytes
        else { return nil }
        self.type = type
        self.code = code
        self.family = family
        responder = h.source
        self.inner = inner
        self.quoted = quoted
    }

    /// The quoted packet's transport ports (the probe's source and destination port).
    @inlinable public var ports: (source: UInt16, destination: UInt16)? {
        guard let s = quoted.u16(inner.payloadOffset), let d = quoted.u16(inner.payloadOffset + 2) else { return nil }
        return (s, d)
    }

    /// The quoted probe's target port and validation block, if the probe went to one of the
    /// scan's ports from the source port we would have used for that target.
    @inlinable public func probe(_ c: ReplyContext) -> (targetPort: UInt16, validation: AESBlock)? {
        guard let ports,
            let v = c.validation(
                ourPort: ports.source, targetPort: ports.destination,
                source: inner.source, target: inner.destination)
        else { return nil }
        return (ports.destination, v)
    }

    /// The validated reply: repeats are keyed by the responder (and `extra`), and the result is
    /// reported for the probed address.
    @inlinable public func reply(extra: UInt32) -> ValidReply {
        ValidReply(repeatKey: RepeatKey(address: responder, extra: extra), reportedSource: inner.destination)
    }

    /// Sets a ZMap module's fields for this error: `classification`, `success` (false) and the
    /// four ICMP fields.
    public func recordFailure<F: ZMapTransportFields>(
        into r: inout Record, _ fields: F.Type,
        classification: String
    ) {
        r[F.classification] = .string(classification)
        r[F.success] = .bool(false)
        ZMapICMPFields.fill(&r, F.self, responder: responder, type: type, code: code, family: family)
    }
}
