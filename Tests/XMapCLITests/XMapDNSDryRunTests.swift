import Foundation
import Testing
import XMapTestSupport

/// XMap 2.0.2's own DNS dry runs (`XMapDryRuns/`): for the same seed and options xmap prints
/// the same packets, byte for byte, except the query type word that XMap gets wrong.
@Suite("XMap's DNS dry runs")
struct XMapDNSDryRunTests {
    static let directory = Subprocess.packageRoot + "/Tests/XMapCLITests/XMapDryRuns"
    static let network = [
        "-d", "-G", "02:00:00:00:00:02", "--source-mac", "02:00:00:00:00:01", "-i", "lo", "-p", "53", "-O", "json"
    ]

    /// The text with the word after `: type ` in each query line replaced.
    static func maskingTypes(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let r = line.range(of: ": type "), let comma = line[r.upperBound...].firstIndex(of: ",") else {
                return String(line)
            }
            return line[..<r.upperBound] + "T" + line[comma...]
        }.joined(separator: "\n")
    }

    @Test("dnsa over IPv4: str label, two questions (-P 2), two probes each")
    func dnsaStr() throws {
        try compare(
            "dnsa4-str-2q.txt",
            [
                "-S", "192.0.2.1", "-4", "-e", "12", "-M", "dnsa", "-P", "2", "--probes", "2",
                "--probe-args=str:www:recurse:text:A,example.com;AAAA,example.net", "198.51.100.0/31"
            ])
    }

    @Test("dnsx over IPv6: raw label, AAAA")
    func dnsx6() throws {
        try compare(
            "dnsx6.txt",
            [
                "-S", "2001:db8:ffff::1", "-x", "128", "-6", "-e", "31", "-M", "dnsx", "-P", "1",
                "--probe-args=raw:recurse:text:AAAA,example.com", "2001:db8::/126"
            ])
    }

    func compare(_ file: String, _ arguments: [String]) throws {
        let r = try Subprocess.xmapIsolated(Self.network + arguments)
        #expect(r.status == 0, "\(r.stderr)")
        let expected = try String(contentsOfFile: Self.directory + "/" + file, encoding: .utf8)
        #expect(Self.maskingTypes(r.stdout) == Self.maskingTypes(expected))
        #expect(r.stdout.contains(": type AAAA, class IN"))  // the real type, where XMap prints A
    }
}
