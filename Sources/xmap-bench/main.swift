// Generation benchmark: how fast targets come out of the permutation and the allow/block
// structure, and how fast complete probe frames are built, on one core, with no I/O.
// Run with `make bench`. Numbers are per target on this machine; compare them side by side.
#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapModules

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func space(_ family: IPFamily, maxLen: Int, allow: [String], block: [String], ports: [UInt16] = []) -> TargetSpace {
    var b = TargetSpaceBuilder(family: family, maxLen: maxLen)
    for a in allow { b.allow(try! IPPrefix.parse(a, defaultLength: maxLen)) }
    for x in block { b.block(try! IPPrefix.parse(x, defaultLength: maxLen)) }
    return TargetSpace(family: family, maxLen: maxLen, ports: ports, indexCount: 1, allowed: b.build())
}

/// An ordinal the target space decodes (the 64-, 128- and 192-bit walks' elements).
protocol BenchOrdinal: GroupElement { func target(in s: TargetSpace) -> Target? }
extension UInt64: BenchOrdinal { @inline(__always) func target(in s: TargetSpace) -> Target? { s.target(value: self) } }
extension UInt128: BenchOrdinal {
    @inline(__always) func target(in s: TargetSpace) -> Target? { s.target(value: UInt192(self)) }
}
extension UInt192: BenchOrdinal {
    @inline(__always) func target(in s: TargetSpace) -> Target? { s.target(value: self) }
}

/// Walks `limit` targets of a serial walk; returns (targets, seconds, checksum).
@inline(never)
func walk<M: GroupMultiplier>(_ w: inout GroupWalk<M>, _ s: TargetSpace, limit: Int) -> (Int, Double, UInt128)
where M.Element: BenchOrdinal {
    var n = 0
    var acc: UInt128 = 0
    let t0 = now()
    while n < limit, let v = w.next() {
        if let t = v.target(in: s) {
            acc &+= t.address
            n += 1
        }
    }
    return (n, now() - t0, acc)
}

/// Walks `limit` targets of an interleaved walk in batches of 256 (what the sender does).
@inline(never)
func walkBatched<M: GroupMultiplier>(
    _ w: inout InterleavedWalk<M>, _ s: TargetSpace, limit: Int
) -> (Int, Double, UInt128)
where M.Element: BenchOrdinal {
    let buf = UnsafeMutablePointer<M.Element>.allocate(capacity: 256)
    defer { buf.deallocate() }
    var n = 0
    var acc: UInt128 = 0
    let t0 = now()
    while n < limit {
        let got = w.fill(buf, capacity: 256)
        if got == 0 { break }
        for i in 0..<got {
            if let t = buf[i].target(in: s) { acc &+= t.address; n += 1 }
        }
    }
    return (n, now() - t0, acc)
}

func permutation(_ s: TargetSpace) -> CyclicPermutation {
    var rng = AESRandom(seed: 1)
    return try! CyclicPermutation(count: s.valueCount, rng: &rng)
}

func run(_ name: String, _ s: @autoclosure () -> TargetSpace, limit: Int) {
    guard selected(name) else { return }
    let s = s()
    let perm = permutation(s)
    var r: (Int, Double, UInt128)
    var kind: String
    switch GroupWalker(permutation: perm, subshard: 0, of: 1) {
    case .narrow(var w): r = walk(&w, s, limit: limit); kind = "64-bit"
    case .mid(var w): r = walk(&w, s, limit: limit); kind = "128-bit"
    case .wide(var w): r = walk(&w, s, limit: limit); kind = "192-bit"
    }
    report(name + " [\(kind) group 2^\(perm.group.modulus.k)+\(perm.group.modulus.c)]", r.0, r.1)
    if r.2 == 42 { print("") }  // keep the result alive
}

func report(_ name: String, _ n: Int, _ secs: Double) {
    let ns = secs * 1e9 / Double(max(n, 1))
    let rate = Double(n) / secs / 1e6
    let padded = name.count < 72 ? name + String(repeating: " ", count: 72 - name.count) : name
    print("\(padded) \(fmt(ns)) ns/target  \(fmt(rate)) M targets/s  (\(n) targets)")
}

func fmt(_ v: Double) -> String {
    let r = (v * 10).rounded() / 10
    return r < 10 ? "  \(r)" : r < 100 ? " \(r)" : "\(r)"
}

let blocklist4 = [
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
    "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4", "255.255.255.255/32", "224.0.0.0/4"
]
let n = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 50_000_000
/// Optional second argument: run only the cases whose name contains it.
let only = CommandLine.arguments.dropFirst(2).first
func selected(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

print("xmap generation benchmark, one core, \(n) targets per case\n")
run("IPv6 ::/0-32 (-x 32, default)", space(.v6, maxLen: 32, allow: ["::/0"], block: []), limit: n)
run("IPv6 2001:db8::/32-64", space(.v6, maxLen: 64, allow: ["2001:db8::/32"], block: []), limit: n)
run(
    "IPv4 0.0.0.0/0 minus the IANA blocklist (16 ranges)", space(.v4, maxLen: 32, allow: [], block: blocklist4),
    limit: n)
// A blocklist of 10,000 scattered /24s.
var r = AESRandom(seed: 3)
let many = (0..<10_000).map { _ -> String in
    let v = UInt32(truncatingIfNeeded: r.nextWord()) & 0xFFFF_FF00
    return "\(v >> 24).\((v >> 16) & 255).\((v >> 8) & 255).0/24"
}
run("IPv4 0.0.0.0/0 minus 10,000 random /24s", space(.v4, maxLen: 32, allow: [], block: blocklist4 + many), limit: n)
run(
    "IPv4 /16 x ports 1-1024",
    space(.v4, maxLen: 32, allow: ["198.18.0.0/16"], block: [], ports: (1...1024).map { UInt16($0) }), limit: n)
run("IPv6 2000::/3 at -x 100 (large group)", space(.v6, maxLen: 100, allow: ["2000::/3"], block: []), limit: n / 5)
run("IPv6 ::/0-128 (largest groups)", space(.v6, maxLen: 128, allow: ["::/0"], block: []), limit: n / 10)

// Full per-packet work: target, AES validation block, and a TCP SYN frame built into a buffer.
if selected("IPv4 tcp_syn") {
    let s = space(.v4, maxLen: 32, allow: [], block: blocklist4, ports: [80])
    guard case .narrow(var w) = GroupWalker(permutation: permutation(s), subshard: 0, of: 1) else { fatalError() }
    let key = AESKey(seed: 1)
    let validator = Validator(key: key, family: .v4)
    let probe = try! TCPSynProbe.V4(settings: ProbeSettings(family: .v4))
    let buf = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 64)
    probe.writeTemplate(into: buf)
    var count = 0
    var acc: UInt64 = 0
    let limit = n / 5
    let t0 = now()
    while count < limit, let v = w.next() {
        guard let t = s.target(value: v) else { continue }
        let blk = validator.block(src: 0xC000_0201, dst: t.address, port: t.port)
        acc &+= UInt64(probe.makePacket(into: buf, source: 0xC000_0201, target: t, probe: 0, validation: blk))
        acc &+= UInt64(buf.load(fromByteOffset: 36, as: UInt16.self))
        count += 1
    }
    report("IPv4 tcp_syn: target + AES validation + frame build (AES-NI: \(key.usesHardware))", count, now() - t0)
    if acc == 1 { print("") }
    buf.deallocate()
}

// The same walks in batches from four interleaved chains (what the sender uses).
func batched(_ name: String, _ s: @autoclosure () -> TargetSpace, limit: Int) {
    guard selected(name + " [batched]") else { return }
    let s = s()
    let r: (Int, Double, UInt128)
    switch GroupWalker(permutation: permutation(s), subshard: 0, of: 1) {
    case .narrow(let w):
        var b = w.interleaved
        r = walkBatched(&b, s, limit: limit)
    case .mid(let w):
        var b = w.interleaved
        r = walkBatched(&b, s, limit: limit)
    case .wide: return
    }
    report(name + " [batched]", r.0, r.1)
    if r.2 == 42 { print("") }
}
print("")
batched("IPv6 ::/0-32 (-x 32, default)", space(.v6, maxLen: 32, allow: ["::/0"], block: []), limit: n)
batched("IPv6 2001:db8::/32-64", space(.v6, maxLen: 64, allow: ["2001:db8::/32"], block: []), limit: n)
batched(
    "IPv4 0.0.0.0/0 minus the IANA blocklist (16 ranges)", space(.v4, maxLen: 32, allow: [], block: blocklist4),
    limit: n)
batched(
    "IPv4 0.0.0.0/0 minus 10,000 random /24s", space(.v4, maxLen: 32, allow: [], block: blocklist4 + many), limit: n)
batched(
    "IPv4 /16 x ports 1-1024",
    space(.v4, maxLen: 32, allow: ["198.18.0.0/16"], block: [], ports: (1...1024).map { UInt16($0) }), limit: n)
batched("IPv6 2000::/3 at -x 100 (large group)", space(.v6, maxLen: 100, allow: ["2000::/3"], block: []), limit: n / 5)
