import Testing
import XMapCore
import XMapModules

/// IID modules: each fills the host bits as XMap's does, and `--iid-num` gives distinct ones.
@Suite struct IIDModuleTests {
    static let mask: UInt128 = (1 << 64) - 1

    func bits(_ name: String, args: String? = nil, n: Int = 0, mask: UInt128 = mask) throws -> UInt128 {
        var r = SplitMix64(seed: 1)
        return try IIDCatalog.module(named: name)!.generator(args: args, family: .v6).hostBits(
            n: n, hostMask: mask, random: &r)
    }

    @Test func modules() throws {
        #expect(try bits("low") == 1)
        #expect(try bits("default") == 1)
        #expect(try bits("low", mask: 0) == 0)
        #expect(try bits("full") == Self.mask)
        #expect(try bits("full", n: 2) == Self.mask - 2)
        #expect(try bits("zero") == 0)
        #expect(try bits("low_fill") == 0xFFFF)
        #expect(try bits("set", args: "::abcd:1234") == 0xABCD_1234)
        #expect(throws: XMapError("Set mode: unknown args `nonsense' for IPv6")) { try bits("set", args: "nonsense") }
        #expect(throws: XMapError("Set mode: NULL args for IPv6")) { try bits("set") }
        #expect(IIDCatalog.module(named: "nosuch") == nil)
    }

    @Test("rand draws fresh bits per IID; --iid-num counts distinct host parts")
    func distinct() throws {
        var r = SplitMix64(seed: 1)
        let rand = try RandomIID.generator(args: nil, family: .v6)
        let a = rand.hostBits(n: 0, hostMask: Self.mask, random: &r),
            b = rand.hostBits(n: 1, hostMask: Self.mask, random: &r)
        #expect(a != b && a & ~Self.mask == 0)
        for name in ["low", "zero", "full", "low_fill"] {
            let g = try IIDCatalog.module(named: name)!.generator(args: nil, family: .v6)
            #expect(Set((0..<5).map { g.hostBits(n: $0, hostMask: Self.mask, random: &r) }).count == 5, "\(name)")
        }
    }

    @Test func listing() {
        #expect(IIDCatalog.listing == "IID-modules:\nfull\nlow\nlow_fill\nrand\nset\nzero\n")
    }
}
