import XMapCore
import XMapModules

/// Shared fixtures for probe module tests: fixed addresses and key, packet building, replies
/// made by turning a probe around, and independent checksum arithmetic.
public enum ProbeFixtures {
    public static let key = AESKey(seed: 1234)
    public static let src4: UInt128 = 0xC000_0201  // 192.0.2.1
    public static let dst4: UInt128 = 0xC633_6405  // 198.51.100.5
    public static let src6 = IPAddress("2001:db8:ffff::1")!.value
    public static let dst6 = IPAddress("2001:db8:1::5")!.value

    public static func source(_ f: IPFamily) -> UInt128 { f == .v4 ? src4 : src6 }
    public static func destination(_ f: IPFamily) -> UInt128 { f == .v4 ? dst4 : dst6 }
    public static func ipHeaderLength(_ f: IPFamily) -> Int { f == .v4 ? 20 : 40 }

    /// TTL 64, source ports 40000-40099, one probe.
    public static func settings(
        _ f: IPFamily, probeArgs: String? = nil, ports: [UInt16] = [],
        files: any FileSource = NoFiles()
    ) -> ProbeSettings {
        ProbeSettings(
            family: f, ttl: 64, sourcePorts: SourcePortRange(first: 40000, last: 40099), probes: 1,
            probeArgs: probeArgs, targetPorts: ports, files: files)
    }

    public static func context(_ f: IPFamily, ports: [UInt16] = [80], validateSourcePort: Bool = true) -> ReplyContext {
        ReplyContext(
            validator: Validator(key: key, family: f), sourcePorts: settings(f).sourcePorts,
            probes: 1, targetPorts: PortSet(ports), validateSourcePort: validateSourcePort)
    }

    /// One's-complement sum over `bytes` (independent of `Checksum`): 0xFFFF means valid.
    public static func onesSum(_ bytes: [UInt8]) -> UInt16 {
        var s: UInt32 = 0
        for i in stride(from: 0, to: bytes.count, by: 2) {
            s += UInt32(bytes[i]) << 8 + (i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0)
        }
        while s > 0xFFFF { s = (s & 0xFFFF) + (s >> 16) }
        return UInt16(s)
    }

    /// The pseudo-header a transport checksum covers.
    public static func pseudo(_ f: IPFamily, _ src: UInt128, _ dst: UInt128, proto: UInt8, length: Int) -> [UInt8] {
        let a = IPAddress(family: f, value: src).bytes, b = IPAddress(family: f, value: dst).bytes
        return f == .v4
            ? a + b + [0, proto, UInt8(length >> 8), UInt8(length & 0xFF)]
            : a + b + [0, 0, UInt8(length >> 8), UInt8(length & 0xFF), 0, 0, 0, proto]
    }

    /// Probe `probe` of `p` from `src` to `dst:port`, as the sender builds it (an IP packet), by
    /// a thread whose random seed is `threadSeed`.
    public static func build<P: ProbeModule>(
        _ p: P, src: UInt128, dst: UInt128, port: UInt16, probe: Int = 0,
        threadSeed: UInt32 = 0
    ) -> [UInt8] {
        var thread = p.makeThreadState(seed: threadSeed)
        return build(p, src: src, dst: dst, port: port, probe: probe, thread: &thread)
    }

    /// The same, continuing a thread's state (random streams go on from packet to packet).
    public static func build<P: ProbeModule>(
        _ p: P, src: UInt128, dst: UInt128, port: UInt16, probe: Int = 0,
        thread: inout P.ThreadState
    ) -> [UInt8] {
        var buf = [UInt8](repeating: 0xAA, count: max(256, p.packetLength))
        let n = buf.withUnsafeMutableBytes { b -> Int in
            p.writeTemplate(into: b.baseAddress!)
            let v = Validator(key: key, family: P.family).block(src: src, dst: dst, port: port)
            return p.makePacket(
                into: b.baseAddress!, source: src, target: Target(address: dst, port: port, index: 0),
                probe: probe, validation: v, thread: &thread)
        }
        return Array(buf[0..<n])
    }

    /// The probe from the fixed source to the fixed destination of `P`'s family.
    public static func build<P: ProbeModule>(_ p: P, port: UInt16, probe: Int = 0, threadSeed: UInt32 = 0) -> [UInt8] {
        build(p, src: source(P.family), dst: destination(P.family), port: port, probe: probe, threadSeed: threadSeed)
    }

    public static func validate<P: ProbeModule>(
        _ p: P, _ ip: [UInt8], context c: ReplyContext? = nil,
        ports: [UInt16] = [80]
    ) -> ValidReply? {
        ip.withUnsafeBytes { b in
            let pkt = ReplyPacket(b)
            guard let h = IPHeaderView(pkt, family: P.family) else { return nil }
            return p.validate(pkt, header: h, context: c ?? context(P.family, ports: ports))
        }
    }

    /// The module's fields of the record for reply `ip`, in field order.
    public static func fields<P: ProbeModule>(_ p: P, _ ip: [UInt8]) -> [FieldValue] {
        let schema = RecordSchema(family: P.family, moduleFields: P.Fields.self)
        var record = Record(schema: schema)
        ip.withUnsafeBytes { b in
            let pkt = ReplyPacket(b)
            p.record(pkt, header: IPHeaderView(pkt, family: P.family)!, into: &record)
        }
        return Array(record.values[schema.moduleStart..<schema.systemStart])
    }

    /// Swaps the addresses of an IP packet (a reply comes back the other way) and fixes the
    /// IPv4 header checksum.
    public static func reversed(_ ip: [UInt8], _ f: IPFamily) -> [UInt8] {
        var r = ip
        if f == .v4 {
            for i in 0..<4 { r.swapAt(12 + i, 16 + i) }
            r[10] = 0; r[11] = 0
            let c = ~onesSum(Array(r[0..<20]))
            r[10] = UInt8(c >> 8); r[11] = UInt8(c & 0xFF)
        } else {
            for i in 0..<16 { r.swapAt(8 + i, 24 + i) }
        }
        return r
    }

    /// An ICMP error from `router` to `src` quoting `probe` (type and code as given).
    public static func icmpError(
        quoting probe: [UInt8], _ f: IPFamily, router: [UInt8], src: UInt128,
        type: UInt8, code: UInt8
    ) -> [UInt8] {
        if f == .v4 {
            return [0x45, 0, 0, UInt8(20 + 8 + probe.count), 0, 0, 0, 0, 64, 1, 0, 0] + router
                + IPAddress(family: .v4, value: src).bytes + [type, code, 0, 0, 0, 0, 0, 0] + probe
        }
        let plen = 8 + probe.count
        return [0x60, 0, 0, 0, UInt8(plen >> 8), UInt8(plen & 0xFF), 58, 64] + router
            + IPAddress(family: .v6, value: src).bytes + [type, code, 0, 0, 0, 0, 0, 0] + probe
    }
}
