import XMapCore

/// The one probe core behind every DNS module: a query per target (and index, and probe) to
/// UDP port `-p`, with the transaction ID and source port derived from the validation block
/// as XMap derives them, and the reply parsed into the DNS result fields. A module is a
/// `DNSBehavior` plus a name (see `DNSModules.swift`).
///
/// Queries with a `raw` or `str:` label are built once per question and only patched per
/// packet; `time`, `random` and `dst-ip` labels are written into the packet, without
/// allocating.
public struct DNSCore: ProbeCore {
    public typealias Fields = DNSField
    /// Each thread's random stream (`random` labels), seeded as XMap seeds it.
    public typealias ThreadState = AESRandom

    public let behavior: DNSBehavior
    public let module: String
    /// Ports, addresses and checksum.
    public let transport: UDPTransport
    public let probes: Int
    public let arguments: DNSProbeArguments
    /// `dnsz`: replies from this address end the conversation (no repeated query).
    public let finalAddress: UInt128?
    /// The wall clock, for `time` labels: seconds and microseconds.
    @usableFromInline let clock: @Sendable () -> (seconds: UInt64, microseconds: UInt32)

    /// Each question's complete message (raw and `str:` labels) or wire name (other labels),
    /// back to back; `offsets[i]..<offsets[i + 1]` is question i.
    @usableFromInline let questionBytes: [UInt8]
    @usableFromInline let offsets: [Int]
    /// Each question's QTYPE.
    @usableFromInline let questionTypes: [UInt16]
    /// Whether packets are built per packet (`time`, `random`, `dst-ip`).
    @usableFromInline let labelled: Bool
    /// The longest DNS message any packet carries.
    let maximumMessage: Int

    public var family: IPFamily { transport.family }

    /// `--dnsz-final`: the address whose answers end `dnsz`'s conversation (XMap's default for
    /// IPv4; none for IPv6). The option belongs to `dnsz`; its spelling is XMap's.
    public static let finalAddressOption = ProbeOption<UInt128?>(
        name: "dnsz-final", metavar: "addr", help: "dnsz: the address whose answers end the conversation",
        defaultText: "172.64.33.143"
    ) { text, family in
        guard let text else { return family == .v4 ? IPAddress("172.64.33.143", family: .v4)?.value : nil }
        guard let address = IPAddress(text, family: family) else {
            throw XMapError("invalid --dnsz-final address '\(text)' for an \(family) scan")
        }
        return address.value
    }

    public init(family: IPFamily, behavior: DNSBehavior, module: String, settings: ProbeSettings) throws {
        self.behavior = behavior
        self.module = module
        transport = UDPTransport(family: family, settings: settings)
        probes = settings.probes
        clock = settings.clock
        finalAddress =
            behavior.followUp == .sameQuery
            ? try settings.value(of: Self.finalAddressOption, family: family) : nil
        arguments = try DNSProbeArguments.parse(
            settings.probeArgs, behavior: behavior, module: module,
            indexes: settings.targetIndexesGiven ? settings.targetIndexes : nil,
            probes: settings.probes, files: settings.files)
        switch arguments.label {
        case .raw, .text: labelled = false
        case .time, .random, .destination: labelled = true
        }
        let longestLabel: Int
        switch arguments.label {
        case .raw, .text: longestLabel = 0
        case .time: longestLabel = 17  // 4294967295-999999
        case .random: longestLabel = behavior.randomLabelLength
        case .destination: longestLabel = behavior.longDestinationLabel ? 31 : 8  // 256-255-255-255-255-65535-65535
        }
        var bytes: [UInt8] = [], offsets = [0], types: [UInt16] = []
        var longest = 0
        for q in arguments.questions {
            let wire: [UInt8]
            do { wire = try DNSName.encode(q.name) } catch let e as XMapError {
                throw XMapError(e.message, module: module)
            }
            var messageLength = DNSHeader.length + wire.count + 4 + (behavior.opt == nil ? 0 : 11)
            if labelled {
                // The label joins the first label (`-`) or is a label of its own (`.`).
                let first = Int(wire[0])
                let joined =
                    behavior.labelJoin == UInt8(ascii: "-") && first > 0
                    ? longestLabel + 1 + first : longestLabel
                guard joined <= DNSName.maximumLabelLength else {
                    throw XMapError(
                        "the \(arguments.label) label would make the first label of \(q.name) longer "
                            + "than 63 bytes", module: module)
                }
                let growth = longestLabel + 1  // the '-' or the label's length byte
                guard wire.count + growth <= DNSName.maximumWireLength else {
                    throw XMapError(
                        "the \(arguments.label) label would make \(q.name) longer than 255 bytes",
                        module: module)
                }
                messageLength += growth
                bytes += wire
            } else {
                bytes += DNSQuery.message(
                    name: wire, type: q.type, qclass: behavior.queryClass,
                    recursionDesired: arguments.recursionDesired, opt: behavior.opt)
            }
            guard messageLength <= DNSQuery.maximumLength else {
                throw XMapError(
                    "DNS packet bigger (\(messageLength)) than our limit (\(DNSQuery.maximumLength))",
                    module: module)
            }
            longest = max(longest, messageLength)
            offsets.append(bytes.count)
            types.append(q.type.rawValue)
        }
        questionBytes = bytes
        self.offsets = offsets
        questionTypes = types
        maximumMessage = longest
    }

    @usableFromInline var udpOffset: Int { transport.offset }
    public var packetLength: Int { udpOffset + 8 + maximumMessage }
    public var questionCount: Int { questionTypes.count }
    public var pcapFilter: String { family == .v4 ? "udp || icmp" : "ip6 proto 17 || icmp6" }
    public var snaplen: Int { 1500 }
    /// One target index per question, except for the legacy `dns` (one question per probe).
    public var targetIndexCount: Int? { behavior.legacy ? nil : questionCount }

    public var startWarning: String? {
        guard behavior.spoofed else { return nil }
        return "spoofed source: each query goes to a -S resolver with a scanned address as its source, so the "
            + "resolvers answer the scanned addresses, not this host (expect no results here)"
    }

    public func makeThreadState(seed: UInt32) -> AESRandom { AESRandom(seed: UInt64(seed)) }

    public func writeTemplate(into buffer: UnsafeMutableRawPointer) {
        let w = PacketWriter(buffer)
        w.zero(0, packetLength)
        FrameLayout.writeIP(w, family: family, protocol: IPProtocol.udp, payloadLength: 8, ttl: transport.ttl)
        if !labelled && questionCount == 1 { _ = copyQuestion(0, to: buffer + udpOffset + 8) }
    }

    /// Copies question `q`'s bytes to `to`; returns their count.
    @usableFromInline @inline(__always) func copyQuestion(_ q: Int, to: UnsafeMutableRawPointer) -> Int {
        let start = offsets[q], count = offsets[q + 1] - start
        questionBytes.withUnsafeBytes { to.copyMemory(from: $0.baseAddress! + start, byteCount: count) }
        return count
    }

    @inlinable @inline(__always)
    public func makePacket(
        into buffer: UnsafeMutableRawPointer, source: UInt128, target: Target, probe: Int,
        validation v: AESBlock, thread random: inout AESRandom
    ) -> Int {
        let w = PacketWriter(buffer)
        let o = udpOffset, d = o + 8
        // Spoofed modules send from the scanned address to the `-S` resolver.
        let src = behavior.spoofed ? target.address : source
        let dst = behavior.spoofed ? source : target.address
        let base = ValidationValues.word0(v)
        let sourcePort = transport.sourcePort(v, probe: behavior.sourcePortPerProbe ? probe : 0)
        let txid = behavior.transactionIDPerProbe ? base &+ UInt16(truncatingIfNeeded: probe) : base
        let question = (behavior.legacy ? probe : target.index) % questionCount
        let length: Int
        if labelled {
            length = writeLabelledMessage(
                buffer + d, question: question, destination: dst, probe: probe,
                sourcePort: sourcePort, txid: txid, random: &random)
        } else if questionCount == 1 {
            length = offsets[1]
        } else {
            length = copyQuestion(question, to: buffer + d)
        }
        // XMap stores the ID in host order (little-endian on the wire), and so does xmap.
        w.u8(d, UInt8(truncatingIfNeeded: txid))
        w.u8(d + 1, UInt8(truncatingIfNeeded: txid >> 8))
        transport.setLengths(buffer, udpLength: 8 + length)
        return transport.finish(
            buffer, source: src, destination: dst, sourcePort: sourcePort,
            destinationPort: target.port, udpLength: 8 + length)
    }

    /// Writes the message of `question` with this packet's label at `m`; returns its length.
    @usableFromInline func writeLabelledMessage(
        _ m: UnsafeMutableRawPointer, question: Int, destination: UInt128,
        probe: Int, sourcePort: UInt16, txid: UInt16,
        random: inout AESRandom
    ) -> Int {
        let w = PacketWriter(m)
        let header: (UInt8, UInt8) = (arguments.recursionDesired ? 0x01 : 0x00, behavior.opt == nil ? 0 : 1)
        w.u16(0, 0); w.u8(2, header.0); w.u8(3, 0); w.u16(4, 1)
        w.u16(6, 0); w.u16(8, 0); w.u8(10, 0); w.u8(11, header.1)
        // The label's characters go right after its length byte.
        var p = DNSHeader.length + 1
        p += writeLabel(
            m + p, destination: destination, probe: probe, sourcePort: sourcePort, txid: txid,
            random: &random)
        let labelLength = p - DNSHeader.length - 1
        let start = offsets[question], end = offsets[question + 1]
        questionBytes.withUnsafeBytes { name in
            let first = Int(name[start])
            var from = start
            if behavior.labelJoin == UInt8(ascii: "-") && first > 0 {
                // `label-first`: one label.
                w.u8(DNSHeader.length, UInt8(labelLength + 1 + first))
                w.u8(p, UInt8(ascii: "-"))
                (m + p + 1).copyMemory(from: name.baseAddress! + start + 1, byteCount: first)
                p += 1 + first
                from = start + 1 + first
            } else {
                w.u8(DNSHeader.length, UInt8(labelLength))
            }
            (m + p).copyMemory(from: name.baseAddress! + from, byteCount: end - from)
            p += end - from
        }
        let type = questionTypes[question]
        w.u16(p, type)
        w.u16(p + 2, behavior.queryClass)
        p += 4
        if let opt = behavior.opt {
            w.u8(p, 0); w.u16(p + 1, DNSType.opt.rawValue); w.u16(p + 3, opt.udpPayloadSize)
            w.u8(p + 5, 0); w.u8(p + 6, 0); w.u8(p + 7, opt.dnssecOK ? 0x80 : 0); w.u8(p + 8, 0); w.u16(p + 9, 0)
            p += 11
        }
        return p
    }

    /// Writes this packet's label characters at `p`; returns how many.
    @usableFromInline func writeLabel(
        _ p: UnsafeMutableRawPointer, destination: UInt128, probe: Int,
        sourcePort: UInt16, txid: UInt16, random: inout AESRandom
    ) -> Int {
        switch arguments.label {
        case .raw, .text:
            return 0
        case .random:
            for i in 0..<behavior.randomLabelLength {
                let word = random.nextWord()
                p.storeBytes(of: UInt8(ascii: "a") + UInt8((word & 0xFFFF_FFFF) % 26), toByteOffset: i, as: UInt8.self)
            }
            return behavior.randomLabelLength
        case .time:
            let now = clock()
            var n = Self.writeDecimal(UInt64(UInt32(truncatingIfNeeded: now.seconds)), at: p)
            p.storeBytes(of: UInt8(ascii: "-"), toByteOffset: n, as: UInt8.self)
            n += 1
            var usec = now.microseconds % 1_000_000
            for i in (0..<6).reversed() {
                p.storeBytes(of: UInt8(ascii: "0") + UInt8(usec % 10), toByteOffset: n + i, as: UInt8.self)
                usec /= 10
            }
            return n + 6
        case .destination:
            let top = UInt32(truncatingIfNeeded: destination >> (family == .v4 ? 0 : 96))
            if behavior.longDestinationLabel {
                // dnsf: probe+1-a-b-c-d-sport-txid, in decimal.
                var n = Self.writeDecimal(UInt64(probe + 1), at: p)
                func dashed(_ value: UInt64) {
                    p.storeBytes(of: UInt8(ascii: "-"), toByteOffset: n, as: UInt8.self)
                    n += 1 + Self.writeDecimal(value, at: p + n + 1)
                }
                dashed(UInt64(top >> 24)); dashed(UInt64(top >> 16 & 0xFF)); dashed(UInt64(top >> 8 & 0xFF))
                dashed(UInt64(top & 0xFF)); dashed(UInt64(sourcePort)); dashed(UInt64(txid))
                return n
            }
            for i in 0..<8 {
                let digit = UInt8(truncatingIfNeeded: top >> (28 - 4 * UInt32(i))) & 0xF
                let character = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
                p.storeBytes(of: character, toByteOffset: i, as: UInt8.self)
            }
            return 8
        }
    }

    /// `value` in decimal at `p`; returns the number of digits.
    @usableFromInline static func writeDecimal(_ value: UInt64, at p: UnsafeMutableRawPointer) -> Int {
        var digits = 1, v = value
        while v >= 10 { v /= 10; digits += 1 }
        v = value
        for i in (0..<digits).reversed() {
            p.storeBytes(of: UInt8(ascii: "0") + UInt8(v % 10), toByteOffset: i, as: UInt8.self)
            v /= 10
        }
        return digits
    }
}
