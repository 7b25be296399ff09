import XMapCore

/// XMap's dry-run description of DNS queries: the IP and UDP blocks, then (x/a modules and
/// the DNS family, not the legacy `dns`) a DNS block, and for the EDNS0 `e` modules the OPT
/// record, followed by a longer separator. The labels are XMap's; the values are the packet's
/// (XMap prints every query type but CAA as `A` and the OPT payload size as 0; xmap prints
/// what is in the packet).
extension DNSCore {
    public func describe(packet f: UnsafeRawBufferPointer) -> String {
        let o = udpOffset
        var text = DryRunFormat.ip(f, at: 0, family: family) + DryRunFormat.udp(f, at: o)
        guard !behavior.legacy else { return text }
        let udpLength = Int(DryRunFormat.be16(f, o + 4))
        let m = UnsafeRawBufferPointer(rebasing: f[(o + 8)..<min(f.count, o + udpLength)])
        guard let header = DNSHeader(m) else { return text }
        let question = DNSName.read(m, at: DNSHeader.length)
        let type = question.flatMap { q in
            q.end + 2 <= m.count ? DNSType(UInt16(m[q.end]) << 8 | UInt16(m[q.end + 1])) : nil
        }
        text +=
            "DNS\n\tTransaction ID(2B)\t: 0x\(DryRunFormat.hex(header.id, 4))\n"
            + "\tFlags(2B)\t\t: 0x\(DryRunFormat.hex(DryRunFormat.be16(m, 2), 4))\n"
            + "\tQuestions(2B)\t\t: \(header.questionCount)\n\tAnswer RRs(2B)\t\t: \(header.answerCount)\n"
            + "\tAuthority RRs(2B)\t: \(header.authorityCount)\n\tAdditional RRs(2B)\t: \(header.additionalCount)\n"
            + "\tQueries\t\t\t: \n\t\t\t\t: \(question?.text ?? "(null)"): type \(type?.description ?? "A"), class IN\n"
        if behavior.printsAdditionalRecords, let opt = behavior.opt {
            text +=
                "\tAdditional records\t: \n\t\t\t\t: Name\t\t\t: ROOT\n\t\t\t\t: Type\t\t\t: OPT\n"
                + "\t\t\t\t: UDP payload size\t: \(opt.udpPayloadSize)\n\t\t\t\t: Extended rcode\t: 0x00\n"
                + "\t\t\t\t: EDNS0 version\t\t: 0\n\t\t\t\t: DO bit\t\t: \(opt.dnssecOK ? 1 : 0)\n"
                + "\t\t\t\t: Reserved\t\t: 0x0000\n\t\t\t\t: Data length\t\t: 0\n"
        }
        return text
    }

    /// The line after each packet: XMap prints 66 dashes after the `e` modules' OPT block.
    public var dryRunSeparator: String {
        String(repeating: "-", count: behavior.printsAdditionalRecords ? 66 : 54)
    }
}
