import Foundation
import Testing
@testable import XMapIO
import XMapCore

/// getaddrinfo on names that need no network (/etc/hosts, numeric), plus one `.invalid` name,
/// which can never resolve (RFC 6761); that lookup is the only traffic these tests may cause.
@Suite("Host name resolution")
struct HostResolverTests {
    /// True when /etc/hosts maps `name` to `address` on a non-comment line.
    private func hostsFileLists(_ address: String, for name: String) -> Bool {
        guard let text = try? String(contentsOfFile: "/etc/hosts", encoding: .utf8) else { return false }
        for line in text.split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let first = fields.first, IPAddress(first) == IPAddress(address) else { continue }
            if fields.dropFirst().contains(where: { $0.lowercased() == name }) { return true }
        }
        return false
    }

    @Test func localhostIPv4() throws {
        let addresses = try HostResolver.resolve("localhost", family: .v4)
        #expect(addresses.contains(IPAddress("127.0.0.1")!))
        #expect(addresses.allSatisfy { $0.family == .v4 })
        #expect(Set(addresses).count == addresses.count)
    }

    @Test func localhostIPv6() throws {
        if hostsFileLists("::1", for: "localhost") {
            let addresses = try HostResolver.resolve("localhost", family: .v6)
            #expect(addresses.contains(IPAddress("::1")!))
            #expect(addresses.allSatisfy { $0.family == .v6 })
            #expect(Set(addresses).count == addresses.count)
        } else {
            // Not in /etc/hosts: either some other source answers, or a one-line error.
            do {
                let addresses = try HostResolver.resolve("localhost", family: .v6)
                #expect(!addresses.isEmpty && addresses.allSatisfy { $0.family == .v6 })
            } catch let e as XMapError {
                #expect(e.message.contains("'localhost'"))
                #expect(!e.message.contains("\n"))
            }
        }
    }

    @Test func numericAddressesResolveToThemselves() throws {
        #expect(try HostResolver.resolve("198.51.100.1", family: .v4) == [IPAddress("198.51.100.1")!])
        #expect(try HostResolver.resolve("2001:db8::1", family: .v6) == [IPAddress("2001:db8::1")!])
        #expect(throws: XMapError("'198.51.100.1' has no IPv6 address")) {
            try HostResolver.resolve("198.51.100.1", family: .v6)
        }
        #expect(throws: XMapError("'2001:db8::1' has no IPv4 address")) {
            try HostResolver.resolve("2001:db8::1", family: .v4)
        }
    }

    @Test func unresolvableName() {
        do {
            let addresses = try HostResolver.resolve("no-such-host.invalid", family: .v4)
            Issue.record("resolved to \(addresses)")
        } catch let e as XMapError {
            #expect(e.message.hasPrefix("unable to resolve 'no-such-host.invalid': "))
            #expect(e.message.count > "unable to resolve 'no-such-host.invalid': ".count)
            #expect(!e.message.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func namesWithControlCharactersStayOnOneLine() {
        #expect(throws: XMapError("unable to resolve 'bad\\u{0}name': the name contains a NUL character")) {
            try HostResolver.resolve("bad\u{0}name", family: .v4)
        }
    }

    @Test func gaiErrorText() {
        #expect(!HostResolver.errorText(status: EAI_NONAME, errno: 0).isEmpty)
        #expect(HostResolver.errorText(status: EAI_SYSTEM, errno: ENOMEM).contains(":"))
    }
}
