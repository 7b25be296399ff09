// swift-tools-version: 6.1
import PackageDescription

/// Release-mode settings for the modules on the per-packet path.
let hotPathSwiftSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
    .define("NETMAP", .when(traits: ["Netmap"]))
]

let package = Package(
    name: "xmap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xmap", targets: ["xmap"]),
        .executable(name: "xmap-bench", targets: ["xmap-bench"]),
        .executable(name: "xmap-fuzz", targets: ["xmap-fuzz"]),
        .executable(name: "xmap-docs", targets: ["xmap-docs"]),
        .library(name: "XMapCore", targets: ["XMapCore"])
    ],
    // `swift build --traits Netmap` builds the netmap backend (ZMap's -DWITH_NETMAP=ON): it needs
    // netmap's kernel module (/dev/netmap) at run time, nothing at build time.
    traits: [
        .trait(name: "Netmap", description: "The netmap packet I/O backend (--backend netmap)"),
        .default(enabledTraits: [])
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1")
    ],
    targets: [
        // C: AES-128 (AES-NI with a portable fallback). Pure computation, no I/O.
        .target(name: "CXMapCrypto", cSettings: [.unsafeFlags(["-O2"])]),
        // C: Linux-only socket API that Glibc does not export to Swift (sendmmsg, sockaddr_ll, netlink).
        .target(name: "CXMapLinux", cSettings: [.define("_GNU_SOURCE")]),
        // libpcap from the system (apt: libpcap-dev).
        .systemLibrary(name: "CPcap", pkgConfig: "libpcap", providers: [.apt(["libpcap-dev"])]),
        // hiredis without pkg-config: its flags carry -D_FILE_OFFSET_BITS=64, which SwiftPM refuses
        // with a warning on every command; the header is <hiredis/hiredis.h> in /usr/include.
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),

        // Addresses, targets, permutation, packets, validation, fields: no I/O.
        .target(name: "XMapCore", dependencies: ["CXMapCrypto"], swiftSettings: hotPathSwiftSettings),
        // Probe, output and IID modules behind small protocols.
        .target(name: "XMapModules", dependencies: ["XMapCore"], swiftSettings: hotPathSwiftSettings),
        // Linux packet I/O (the transmitter and reply-source seams), files, network detection:
        // the only module that calls libc, through one funnel (Internals/Syscalls.swift and
        // System.swift). Debug builds let tests make its system calls fail (Internals/Mocking.swift).
        .target(
            name: "XMapIO", dependencies: ["XMapCore", "CXMapLinux", "CPcap", "CHiredis"],
            swiftSettings: hotPathSwiftSettings
                + [.define("ENABLE_MOCKING", .when(configuration: .debug))]),
        // Scan engine: sender, receiver and monitor threads.
        .target(
            name: "XMapEngine", dependencies: ["XMapCore", "XMapModules", "XMapIO"],
            swiftSettings: hotPathSwiftSettings),
        // Command line: options, validation, help.
        .target(
            name: "XMapCLI",
            dependencies: [
                "XMapEngine", "XMapModules", "XMapIO", "XMapCore"
            ]),
        .executableTarget(name: "xmap", dependencies: ["XMapCLI"]),
        // Man pages and shell completions from the option tables (`make docs`; not installed).
        .executableTarget(name: "xmap-docs", dependencies: ["XMapCLI"]),
        // Generation benchmark (`make bench`): permutation, lookup and packet build, no I/O.
        .executableTarget(
            name: "xmap-bench", dependencies: ["XMapCore", "XMapModules"],
            swiftSettings: hotPathSwiftSettings),
        // Fuzz targets (every parser of untrusted input) and their driver (`make fuzz`); the
        // replies target takes every probe module from the engine's catalog.
        .target(name: "XMapFuzzTargets", dependencies: ["XMapCore", "XMapModules", "XMapEngine"]),
        .executableTarget(name: "xmap-fuzz", dependencies: ["XMapFuzzTargets", "XMapCore"]),

        .testTarget(
            name: "XMapCoreTests",
            dependencies: [
                "XMapCore", .product(name: "PropertyBased", package: "swift-property-based")
            ]),
        // Helpers shared by the test targets: run the built binary, the namespace lab, probe fixtures.
        .target(name: "XMapTestSupport", dependencies: ["XMapCore", "XMapModules"], path: "Tests/XMapTestSupport"),
        .testTarget(name: "XMapModulesTests", dependencies: ["XMapModules", "XMapCore", "XMapTestSupport"]),
        .testTarget(
            name: "XMapEngineTests", dependencies: ["XMapEngine", "XMapModules", "XMapCore", "XMapTestSupport"]),
        .testTarget(
            name: "XMapCLITests", dependencies: ["XMapCLI", "XMapEngine", "XMapIO", "XMapCore", "XMapTestSupport"],
            exclude: ["Golden", "XMapDryRuns", "ZMapDryRuns", "ZMapTools"]),
        .testTarget(name: "XMapIOTests", dependencies: ["XMapIO", "XMapCore"]),
        .testTarget(name: "XMapLabTests", dependencies: ["XMapCore", "XMapTestSupport"]),
        .testTarget(name: "XMapFuzzTargetTests", dependencies: ["XMapFuzzTargets", "XMapEngine", "XMapCore"])
    ]
)
