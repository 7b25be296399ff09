/// The `-M NAME -h` text of the DNS modules: what the module sends, then the `--probe-args`
/// grammar it accepts.
enum DNSHelp {
    static func text(name: String, behavior b: DNSBehavior) -> String {
        let types = b.types.names.joined(separator: " ")
        if b.legacy {
            return "This module sends out DNS queries and parses basic responses. By default, the module will perform "
                + "an A record lookup for www.qq.com. You can specify other queries using the --probe-args argument "
                + "in the form: 'type,query', e.g. 'A,qq.com'. A question is sent per probe: use --probes=N with N "
                + "questions separated by ';', e.g. --probes=2 --probe-args='A,qq.com;AAAA,example.com'. Query "
                + "types: \(types). Use -O json."
        }
        var what: [String] = []
        what.append(
            b.sourcePortPerProbe
                ? "the source port changes with each probe (--probes)"
                : "every probe uses the same source port")
        what.append(
            b.transactionIDPerProbe
                ? "the transaction ID changes with each probe"
                : "every probe uses the same transaction ID")
        if let opt = b.opt {
            let dnssec = opt.dnssecOK ? ", DO bit set: DNSSEC records are asked for" : ""
            what.append("each query carries an EDNS0 OPT record (UDP payload size \(opt.udpPayloadSize)\(dnssec))")
        }
        if b.queryClass == 3 { what.append("the questions are in class CHAOS (e.g. TXT,version.bind)") }
        if b.spoofed {
            what.append(
                "the source address is spoofed: each scanned address is the source of a query sent to a "
                    + "resolver given with -S, so the resolver's answers go to the scanned addresses, not to "
                    + "this host")
        }
        switch b.followUp {
        case .none: break
        case .nameServers:
            what.append(
                "a NOERROR answer to any question but NS is followed by a non-recursive NS query for the "
                    + "same name (NXDOMAIN counts as app_success)")
        case .sameQuery:
            what.append(
                "a NOERROR answer is followed by the same query again, once per resolver and question, "
                    + "unless it came from the final address (--dnsz-final; NXDOMAIN counts as app_success)")
        }
        let labels = b.destinationLabel ? "raw, str:TEXT, time, random or dst-ip" : "raw, str:TEXT, time or random"
        let join = b.labelJoin == UInt8(ascii: "-") ? "joined to the first label with '-'" : "a label of its own"
        return "DNS module \(name): \(what.joined(separator: "; ")). "
            + "--probe-args=LABEL:recurse|no-recurse:text:TYPE,NAME[;TYPE,NAME...] or "
            + "LABEL:recurse|no-recurse:file:PATH (one such list per line). "
            + "LABEL is \(labels): str:TEXT puts TEXT in front of each name as a label; time "
            + "(seconds-microseconds), random (\(b.randomLabelLength) letters) and dst-ip (the destination's first "
            + "4 bytes in hex) are \(join). "
            + "Question i is sent to target index i: give -P with the number of questions (without -P, it is that "
            + "number). "
            + "Query types: \(types). Default: raw:recurse:text:A,www.qq.com. Results are nested: use -O json."
    }
}
