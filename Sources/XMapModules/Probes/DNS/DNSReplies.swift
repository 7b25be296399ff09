import XMapCore

/// The receive side of the DNS modules: which replies answer our queries, what they say, and
/// the queries `dnsr` and `dnsz` send in answer.
extension DNSCore {
    /// The DNS message of a UDP reply at `udp` (bounded by the UDP length and the capture).
    @inline(__always) func message(_ p: ReplyPacket, udp o: Int) -> ReplyPacket? { UDPTransport.payload(p, udpAt: o) }

    /// Whether `id` (the two ID bytes as XMap stores them: little-endian) is one we sent to the
    /// target with validation block `v`.
    @inline(__always) func isOurTransactionID(_ first: UInt8, _ second: UInt8, _ v: AESBlock) -> Bool {
        let id = UInt16(first) | UInt16(second) << 8
        let base = ValidationValues.word0(v)
        guard behavior.transactionIDPerProbe else { return id == base }
        return Int(id &- base) < max(1, probes)
    }

    /// A repeat key for the question of `dns`: XMap's (source, QTYPE, QNAME), with QTYPE and
    /// QNAME folded into 32 bits.
    func repeatExtra(_ dns: ReplyPacket) -> UInt32 {
        guard let name = DNSName.uncompressedPrefix(dns.bytes, at: DNSHeader.length) else { return 0 }
        var hash: UInt32 = 0x811C_9DC5  // FNV-1a
        func mix(_ b: UInt8) { hash = (hash ^ UInt32(b)) &* 0x0100_0193 }
        for i in name { mix(dns.bytes[i]) }
        mix(dns.u8(name.upperBound + 1) ?? 0)
        mix(dns.u8(name.upperBound + 2) ?? 0)
        return hash
    }

    public func validate(_ p: ReplyPacket, header h: IPHeaderView, context c: ReplyContext) -> ValidReply? {
        if h.proto == IPProtocol.udp {
            guard let dns = message(p, udp: h.payloadOffset), let id0 = dns.u8(0), let id1 = dns.u8(1),
                let reply = transport.reply(p, header: h, context: c),
                isOurTransactionID(id0, id1, reply.validation)
            else { return nil }
            // The legacy `dns` module keys repeats by port, as XMap's does (its question decides `success`).
            let extra = behavior.legacy ? UInt32(reply.targetPort) : repeatExtra(dns)
            return ValidReply(repeatKey: RepeatKey(address: h.source, extra: extra), reportedSource: h.source)
        }
        guard let error = transport.quotedProbe(p, header: h, context: c, transportBytes: 4) else { return nil }
        // The quoted query's ID, when the error quotes that much (routers may quote only 8 bytes).
        let dns = error.quote.quoted.sub(from: error.quote.inner.payloadOffset + 8)
        if let dns, let id0 = dns.u8(0), let id1 = dns.u8(1), !isOurTransactionID(id0, id1, error.validation) {
            return nil
        }
        return error.quote.reply(extra: behavior.legacy ? UInt32(error.targetPort) : dns.map(repeatExtra) ?? 0)
    }

    public func record(_ p: ReplyPacket, header h: IPHeaderView, into r: inout Record) {
        let o = h.payloadOffset
        if h.proto == IPProtocol.udp {
            let dns = message(p, udp: o) ?? ReplyPacket(UnsafeRawBufferPointer(start: nil, count: 0))
            let parsed = DNSMessage(dns.bytes)
            var success = true
            if behavior.legacy, let parsed { success = answersOurQuestion(parsed) }
            let header = parsed?.header
            let rcodeOK =
                header.map {
                    $0.rcode == DNSResponseCode.noError
                        || (behavior.nameErrorIsAppSuccess && $0.rcode == DNSResponseCode.nameError)
                } ?? false
            r[DNSField.clas] = .string("dns")
            r[DNSField.success] = .bool(success && parsed != nil)
            r[DNSField.applicationSuccess] = .bool(success && (header?.qr ?? false) && rcodeOK)
            r[DNSField.sport] = .int(UInt64(p.u16(o) ?? 0))
            r[DNSField.dport] = .int(UInt64(p.u16(o + 2) ?? 0))
            r[DNSField.udpPacketSize] = .int(UInt64(p.u16(o + 4) ?? 0))
            for f in [DNSField.icmpResponder, .icmpType, .icmpCode, .icmpString] { r[f] = .null }
            if let parsed, success || !behavior.legacy {
                DNSResultFields.set(parsed, into: &r)
            } else {
                DNSResultFields.setAbsent(into: &r)
            }
            r[DNSField.rawData] = .binary(Array(dns.bytes))
            return
        }
        let type = p.u8(o) ?? 0, code = p.u8(o + 1) ?? 0
        r[DNSField.clas] = .string(ICMPStrings.typeName(type, family: family))
        r[DNSField.success] = .bool(false)
        r[DNSField.applicationSuccess] = .bool(false)
        if let q = ICMPErrorQuote(p, header: h, family: family, proto: IPProtocol.udp, transportBytes: 4),
            let ports = q.ports
        {
            // As in `udp`: sport is the probed port, dport ours, as if the target had answered.
            r[DNSField.dport] = .int(UInt64(ports.source))
            r[DNSField.sport] = .int(UInt64(ports.destination))
            if let length = q.quoted.u16(q.inner.payloadOffset + 4) { r[DNSField.udpPacketSize] = .int(UInt64(length)) }
        }
        r[DNSField.icmpResponder] = .address(IPAddress(family: family, value: h.source))
        r[DNSField.icmpType] = .int(UInt64(type))
        r[DNSField.icmpCode] = .int(UInt64(code))
        r[DNSField.icmpString] = .string(ICMPStrings.codeName(type: type, code: code, family: family))
        DNSResultFields.setAbsent(into: &r)
        r[DNSField.rawData] = .binary(Array(p.bytes))
    }

    /// The legacy `dns` module's success: the reply's question is one of ours (same type, and
    /// the same name ignoring case, as DNS compares names).
    func answersOurQuestion(_ m: DNSMessage) -> Bool {
        guard let question = m.questions.first else { return false }
        func normal(_ name: String) -> String { (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased() }
        return arguments.questions.contains { $0.type == question.type && normal($0.name) == normal(question.name) }
    }

    /// `dnsr` and `dnsz` answer a NOERROR reply with a query of their own, from the port the
    /// reply came to: `dnsr` asks for the name's NS records without recursion (unless it asked
    /// for NS), `dnsz` asks the same question again (unless the reply came from the final
    /// address). The engine sends it only for a reply that is not a repeat, so each resolver
    /// and question gets one.
    public func followUp(_ p: ReplyPacket, header h: IPHeaderView, into buffer: UnsafeMutableRawPointer) -> Int {
        guard behavior.followUp != .none, h.proto == IPProtocol.udp else { return 0 }
        let o = h.payloadOffset
        guard let theirPort = p.u16(o), let ourPort = p.u16(o + 2), let dns = message(p, udp: o),
            let header = DNSHeader(dns.bytes), header.qr, header.rcode == DNSResponseCode.noError,
            header.questionCount >= 1,
            let name = DNSName.uncompressedPrefix(dns.bytes, at: DNSHeader.length), dns.u8(name.upperBound) == 0,
            let asked = dns.u16(name.upperBound + 1)
        else { return 0 }
        let type: UInt16, recursionDesired: Bool
        switch behavior.followUp {
        case .none: return 0
        case .nameServers:
            guard asked != DNSType.ns.rawValue else { return 0 }
            type = DNSType.ns.rawValue
            recursionDesired = false
        case .sameQuery:
            if let finalAddress, finalAddress == h.source { return 0 }
            type = asked
            recursionDesired = true
        }
        let nameLength = name.count + 1
        let length = DNSHeader.length + nameLength + 4
        guard udpOffset + 8 + length <= packetLength else { return 0 }
        let w = PacketWriter(buffer)
        let d = udpOffset + 8
        // The reply's ID is the one we sent (base), kept as it is on the wire.
        w.u8(d, dns.bytes[0]); w.u8(d + 1, dns.bytes[1])
        w.u8(d + 2, recursionDesired ? 0x01 : 0x00); w.u8(d + 3, 0)
        w.u16(d + 4, 1); w.u16(d + 6, 0); w.u16(d + 8, 0); w.u16(d + 10, 0)
        (buffer + d + DNSHeader.length).copyMemory(
            from: dns.bytes.baseAddress! + name.lowerBound,
            byteCount: nameLength)
        w.u16(d + DNSHeader.length + nameLength, type)
        w.u16(d + DNSHeader.length + nameLength + 2, behavior.queryClass)
        transport.setLengths(buffer, udpLength: 8 + length)
        return transport.finish(
            buffer, source: h.destination, destination: h.source, sourcePort: ourPort,
            destinationPort: theirPort, udpLength: 8 + length, checksum: true)
    }
}
