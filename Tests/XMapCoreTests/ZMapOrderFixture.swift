import Testing

/// ZMap 4's target orders recorded from the reference build (commit 8de8833): `ziterate --seed S [-p PORTS]
/// [-b FILE] [--shards S·T --shard n·T+t] SUBNETS` for each sub-shard (ziterate is single-threaded and its
/// order equals `zmap -T 1`'s; thread t of `-T T --shards N --shard n` walks sub-shard n·T + t), and
/// `zmap --dryrun -T T -n M -r 100000000 --batch 65535` for the `--max-targets` cases (real sender threads:
/// each printed its part in one block). Sender-thread segments were also checked against `zmap --dryrun -T k`.
/// `generator` is the metadata field of `zmap -m` for the same scan. `scripts/record-zmap-order.py` re-records
/// the elements of `zmapRecordedOrders` (its output is pasted below as is).
///
/// A target is written `ip` (no port list: ZMap's single port 0) or `ip,port`. `hash` is FNV-1a 64 over
/// every target as 4 address bytes then 2 port bytes, big-endian. Small segments are listed in full in
/// `head`; larger ones give their first and last four targets. `prefixOnly` segments are the first `count`
/// targets of a space too large to walk in a test.
struct RecordedOrder: Sendable, CustomTestStringConvertible {
    struct Segment: Sendable {
        let count: Int
        let hash: UInt64
        let prefixOnly: Bool
        let head: [String]
        let tail: [String]

        init(count: Int, hash: UInt64, prefixOnly: Bool = false, head: [String], tail: [String] = []) {
            self.count = count
            self.hash = hash
            self.prefixOnly = prefixOnly
            self.head = head
            self.tail = tail
        }
    }

    let title: String
    /// Subnets as given to ZMap (empty: all of IPv4).
    let allow: String
    /// The blocklist file's lines.
    let block: String
    /// `-p` (empty: none).
    let ports: String
    let seed: UInt64
    let shards: Int, shard: Int, threads: Int
    let maxTargets: UInt64?
    let generator: UInt64
    /// One per sender thread.
    let segments: [Segment]

    init(
        _ title: String, allow: String, block: String = "", ports: String = "", seed: UInt64, shards: Int = 1,
        shard: Int = 0, threads: Int = 1, maxTargets: UInt64? = nil, generator: UInt64, segments: [Segment]
    ) {
        self.title = title
        self.allow = allow
        self.block = block
        self.ports = ports
        self.seed = seed
        self.shards = shards
        self.shard = shard
        self.threads = threads
        self.maxTargets = maxTargets
        self.generator = generator
        self.segments = segments
    }

    var testDescription: String { title }
}

let zmapRecordedOrders: [RecordedOrder] = [
    // Small spaces, listed in full.
    RecordedOrder(
        "a /28, seed 1", allow: "192.0.2.0/28", seed: 1, generator: 74,
        segments: [
            .init(
                count: 16, hash: 0xebd32ea8fbf748b5,
                head: [
                    "192.0.2.5", "192.0.2.15", "192.0.2.8", "192.0.2.12", "192.0.2.1", "192.0.2.9", "192.0.2.2",
                    "192.0.2.14", "192.0.2.13", "192.0.2.7", "192.0.2.11", "192.0.2.10", "192.0.2.0", "192.0.2.4",
                    "192.0.2.6", "192.0.2.3"
                ])
        ]),
    RecordedOrder(
        "a single address, no port", allow: "192.0.2.7", seed: 3, generator: 224,
        segments: [
            .init(count: 1, hash: 0x6ea90a3d3ca5991e, head: ["192.0.2.7"])
        ]),
    RecordedOrder(
        "a single address, two ports", allow: "192.0.2.7", ports: "80,443", seed: 1, generator: 74,
        segments: [
            .init(count: 2, hash: 0xe3ac6a3d41160d5d, head: ["192.0.2.7,443", "192.0.2.7,80"])
        ]),
    RecordedOrder(
        "three addresses: most elements decode past the last address index", allow: "192.0.2.1 192.0.2.9 192.0.2.200",
        seed: 31, generator: 138,
        segments: [
            .init(count: 3, hash: 0x4f9f97e9cb96c78b, head: ["192.0.2.9", "192.0.2.1", "192.0.2.200"])
        ]),
    RecordedOrder(
        "five addresses, three ports", allow: "192.0.2.0/30 192.0.2.100", ports: "1,2,3", seed: 7, generator: 115,
        segments: [
            .init(
                count: 15, hash: 0x74f9722ba55d2a6b,
                head: [
                    "192.0.2.2,3", "192.0.2.3,1", "192.0.2.2,1", "192.0.2.1,3", "192.0.2.100,2", "192.0.2.3,2",
                    "192.0.2.0,3", "192.0.2.3,3", "192.0.2.1,2", "192.0.2.100,3", "192.0.2.0,1", "192.0.2.1,1",
                    "192.0.2.0,2", "192.0.2.2,2", "192.0.2.100,1"
                ])
        ]),
    RecordedOrder(
        "unsorted ports", allow: "192.0.2.0/28", ports: "443,80,22,8080", seed: 6, generator: 82,
        segments: [
            .init(
                count: 64, hash: 0x5be910596d2e4725,
                head: [
                    "192.0.2.11,443", "192.0.2.2,443", "192.0.2.4,80", "192.0.2.13,22", "192.0.2.2,22",
                    "192.0.2.10,443",
                    "192.0.2.5,443", "192.0.2.8,8080", "192.0.2.6,443", "192.0.2.5,80", "192.0.2.1,443",
                    "192.0.2.0,443",
                    "192.0.2.10,80", "192.0.2.12,80", "192.0.2.10,8080", "192.0.2.2,80", "192.0.2.12,443",
                    "192.0.2.0,80",
                    "192.0.2.4,8080", "192.0.2.0,8080", "192.0.2.7,22", "192.0.2.4,443", "192.0.2.9,8080",
                    "192.0.2.1,8080", "192.0.2.13,443", "192.0.2.15,80", "192.0.2.8,80", "192.0.2.4,22",
                    "192.0.2.3,8080",
                    "192.0.2.6,22", "192.0.2.7,443", "192.0.2.3,443", "192.0.2.9,80", "192.0.2.7,8080", "192.0.2.13,80",
                    "192.0.2.14,22", "192.0.2.8,443", "192.0.2.14,80", "192.0.2.15,22", "192.0.2.6,80",
                    "192.0.2.15,8080",
                    "192.0.2.3,22", "192.0.2.0,22", "192.0.2.12,8080", "192.0.2.7,80", "192.0.2.1,80", "192.0.2.11,22",
                    "192.0.2.8,22", "192.0.2.10,22", "192.0.2.1,22", "192.0.2.14,8080", "192.0.2.9,443",
                    "192.0.2.2,8080",
                    "192.0.2.12,22", "192.0.2.3,80", "192.0.2.5,8080", "192.0.2.6,8080", "192.0.2.14,443",
                    "192.0.2.11,8080", "192.0.2.15,443", "192.0.2.5,22", "192.0.2.13,8080", "192.0.2.9,22",
                    "192.0.2.11,80"
                ])
        ]),
    RecordedOrder(
        "a repeated port", allow: "192.0.2.0/29", ports: "80,80,443", seed: 6, generator: 82,
        segments: [
            .init(
                count: 24, hash: 0xf82dcf6ce8ec3d75,
                head: [
                    "192.0.2.2,80", "192.0.2.4,80", "192.0.2.2,443", "192.0.2.5,80", "192.0.2.6,80", "192.0.2.5,80",
                    "192.0.2.1,80", "192.0.2.0,80", "192.0.2.2,80", "192.0.2.0,80", "192.0.2.7,443", "192.0.2.4,80",
                    "192.0.2.4,443", "192.0.2.6,443", "192.0.2.7,80", "192.0.2.3,80", "192.0.2.6,80", "192.0.2.3,443",
                    "192.0.2.0,443", "192.0.2.7,80", "192.0.2.1,80", "192.0.2.1,443", "192.0.2.3,80", "192.0.2.5,443"
                ])
        ]),
    // A /24 under several seeds (ZMap parses --seed with strtoll: 2^64-1 is given as -1).
    RecordedOrder(
        "a /24, seed 0", allow: "198.51.100.0/24", seed: 0, generator: 247,
        segments: [
            .init(
                count: 256, hash: 0x3ceb33981405d78d,
                head: ["198.51.100.38", "198.51.100.123", "198.51.100.44", "198.51.100.63"],
                tail: ["198.51.100.42", "198.51.100.83", "198.51.100.187", "198.51.100.175"])
        ]),
    RecordedOrder(
        "a /24, seed 2", allow: "198.51.100.0/24", seed: 2, generator: 90,
        segments: [
            .init(
                count: 256, hash: 0xab98fc9b893ca25d,
                head: ["198.51.100.174", "198.51.100.72", "198.51.100.144", "198.51.100.199"],
                tail: ["198.51.100.106", "198.51.100.120", "198.51.100.95", "198.51.100.158"])
        ]),
    RecordedOrder(
        "a /24, seed 5, one port", allow: "198.51.100.0/24", ports: "80", seed: 5, generator: 37,
        segments: [
            .init(
                count: 256, hash: 0x4d951d78b49f33f5,
                head: ["198.51.100.215,80", "198.51.100.24,80", "198.51.100.153,80", "198.51.100.43,80"],
                tail: ["198.51.100.159,80", "198.51.100.8,80", "198.51.100.75,80", "198.51.100.241,80"])
        ]),
    RecordedOrder(
        "a /24, seed 42, one port", allow: "198.51.100.0/24", ports: "443", seed: 42, generator: 76,
        segments: [
            .init(
                count: 256, hash: 0x70aedaf022033745,
                head: ["198.51.100.93,443", "198.51.100.204,443", "198.51.100.159,443", "198.51.100.80,443"],
                tail: ["198.51.100.205,443", "198.51.100.235,443", "198.51.100.202,443", "198.51.100.7,443"])
        ]),
    RecordedOrder(
        "a /24, seed 2^63-1", allow: "198.51.100.0/24", seed: 9223372036854775807, generator: 41,
        segments: [
            .init(
                count: 256, hash: 0x9b5e13b2609bb2d5,
                head: ["198.51.100.46", "198.51.100.127", "198.51.100.107", "198.51.100.58"],
                tail: ["198.51.100.95", "198.51.100.80", "198.51.100.236", "198.51.100.207"])
        ]),
    RecordedOrder(
        "a /24, seed 2^64-1", allow: "198.51.100.0/24", seed: 18446744073709551615, generator: 3,
        segments: [
            .init(
                count: 256, hash: 0x779e52554ff35f5d,
                head: ["198.51.100.74", "198.51.100.224", "198.51.100.160", "198.51.100.225"],
                tail: ["198.51.100.38", "198.51.100.116", "198.51.100.93", "198.51.100.24"])
        ]),
    // Larger prefixes, several subnets, lists.
    RecordedOrder(
        "a /20", allow: "10.20.16.0/20", seed: 1, generator: 45318,
        segments: [
            .init(
                count: 4096, hash: 0xf5f74444eabdb8bd,
                head: ["10.20.17.172", "10.20.18.209", "10.20.27.6", "10.20.23.35"],
                tail: ["10.20.27.208", "10.20.30.110", "10.20.27.158", "10.20.29.135"])
        ]),
    RecordedOrder(
        "a /20, one port", allow: "10.20.16.0/20", ports: "80", seed: 9, generator: 61249,
        segments: [
            .init(
                count: 4096, hash: 0x33c3bf03e806f8cd,
                head: ["10.20.30.152,80", "10.20.24.152,80", "10.20.24.129,80", "10.20.26.10,80"],
                tail: ["10.20.24.115,80", "10.20.25.204,80", "10.20.26.86,80", "10.20.30.87,80"])
        ]),
    RecordedOrder(
        "a /16", allow: "10.7.0.0/16", seed: 1, generator: 45318,
        segments: [
            .init(
                count: 65536, hash: 0xcd43f5164651b075,
                head: ["10.7.225.118", "10.7.243.226", "10.7.1.172", "10.7.165.229"],
                tail: ["10.7.44.247", "10.7.102.183", "10.7.89.72", "10.7.82.248"])
        ]),
    RecordedOrder(
        "a /16, one port", allow: "172.30.0.0/16", ports: "22", seed: 77, generator: 59832,
        segments: [
            .init(
                count: 65536, hash: 0x73f92884f2c8f7d5,
                head: ["172.30.67.68,22", "172.30.233.46,22", "172.30.139.229,22", "172.30.99.151,22"],
                tail: ["172.30.159.115,22", "172.30.157.205,22", "172.30.89.254,22", "172.30.116.30,22"])
        ]),
    RecordedOrder(
        "several subnets", allow: "192.0.2.0/28 198.51.100.128/25 203.0.113.5 10.0.0.0/22", seed: 11, generator: 9421,
        segments: [
            .init(
                count: 1169, hash: 0xb279055108ccfe18,
                head: ["10.0.2.112", "10.0.0.21", "10.0.1.87", "10.0.2.119"],
                tail: ["10.0.1.164", "10.0.0.117", "192.0.2.15", "10.0.1.137"])
        ]),
    RecordedOrder(
        "a blocklist punching holes", allow: "10.0.0.0/22", block: "10.0.1.0/24 10.0.2.7 10.0.0.128/26", seed: 13,
        generator: 16590,
        segments: [
            .init(
                count: 703, hash: 0x78ff68f6a3f67d48,
                head: ["10.0.3.130", "10.0.0.25", "10.0.2.27", "10.0.2.31"],
                tail: ["10.0.0.62", "10.0.0.223", "10.0.0.74", "10.0.3.12"])
        ]),
    RecordedOrder(
        "a /16 among small prefixes, with holes",
        allow: "9.9.9.9 10.0.0.0/16 10.1.0.0/20 192.168.1.0/30 172.16.0.0/17", block: "10.0.64.5 10.0.200.0/24",
        seed: 21, generator: 1491893,
        segments: [
            .init(
                count: 102148, hash: 0xf4739ecb493f8284,
                head: ["10.0.245.206", "10.0.72.48", "10.0.28.183", "172.16.78.44"],
                tail: ["172.16.96.34", "10.0.161.59", "172.16.96.42", "10.0.108.255"])
        ]),
    RecordedOrder(
        "overlapping prefixes, a /18 with one hole",
        allow: "10.0.0.0/16 10.0.0.0/30 8.8.8.8/31 10.5.0.0/18 10.6.0.0/19", block: "10.5.0.1", seed: 4,
        generator: 1948218,
        segments: [
            .init(
                count: 90113, hash: 0x9a4e33f9ede445c4,
                head: ["10.0.174.0", "10.5.20.97", "10.0.219.11", "10.5.62.196"],
                tail: ["10.5.5.9", "10.0.155.206", "10.0.188.20", "10.0.141.54"])
        ]),
    // Port lists.
    RecordedOrder(
        "three ports", allow: "192.0.2.0/26", ports: "80,443,22", seed: 3, generator: 224,
        segments: [
            .init(
                count: 192, hash: 0xe9290c79224d03f9,
                head: ["192.0.2.56,22", "192.0.2.54,22", "192.0.2.56,443", "192.0.2.41,80"],
                tail: ["192.0.2.42,80", "192.0.2.19,80", "192.0.2.7,80", "192.0.2.17,22"])
        ]),
    RecordedOrder(
        "a port range and single ports", allow: "192.0.2.0/27", ports: "1000-1010,22,80", seed: 8, generator: 56666,
        segments: [
            .init(
                count: 416, hash: 0x2c428f2aeafe32c9,
                head: ["192.0.2.20,1007", "192.0.2.19,80", "192.0.2.26,1001", "192.0.2.7,1009"],
                tail: ["192.0.2.29,1008", "192.0.2.22,1003", "192.0.2.20,22", "192.0.2.13,1005"])
        ]),
    // Shards (one sender thread each).
    RecordedOrder(
        "shard 0 of 3", allow: "198.51.100.0/24", ports: "80,443", seed: 17, shards: 3, shard: 0, generator: 52231,
        segments: [
            .init(
                count: 169, hash: 0x66d0111e89f3fee3,
                head: ["198.51.100.178,443", "198.51.100.62,80", "198.51.100.148,443", "198.51.100.8,80"],
                tail: ["198.51.100.166,80", "198.51.100.159,443", "198.51.100.226,80", "198.51.100.252,80"])
        ]),
    RecordedOrder(
        "shard 1 of 3", allow: "198.51.100.0/24", ports: "80,443", seed: 17, shards: 3, shard: 1, generator: 52231,
        segments: [
            .init(
                count: 163, hash: 0x00a69d2b39f236bc,
                head: ["198.51.100.170,80", "198.51.100.206,80", "198.51.100.106,443", "198.51.100.108,443"],
                tail: ["198.51.100.137,443", "198.51.100.121,443", "198.51.100.177,80", "198.51.100.99,443"])
        ]),
    RecordedOrder(
        "shard 2 of 3", allow: "198.51.100.0/24", ports: "80,443", seed: 17, shards: 3, shard: 2, generator: 52231,
        segments: [
            .init(
                count: 180, hash: 0xaddbbdfd873912da,
                head: ["198.51.100.146,443", "198.51.100.86,443", "198.51.100.19,80", "198.51.100.203,443"],
                tail: ["198.51.100.61,443", "198.51.100.212,80", "198.51.100.161,443", "198.51.100.214,443"])
        ]),
    // Sender threads: one segment per thread.
    RecordedOrder(
        "two threads", allow: "198.51.100.0/24", ports: "80", seed: 19, threads: 2, generator: 148,
        segments: [
            .init(
                count: 128, hash: 0x81adef20474f8904,
                head: ["198.51.100.43,80", "198.51.100.86,80", "198.51.100.25,80", "198.51.100.249,80"],
                tail: ["198.51.100.241,80", "198.51.100.92,80", "198.51.100.142,80", "198.51.100.89,80"]),
            .init(
                count: 128, hash: 0xea95e83c5a0cd964,
                head: ["198.51.100.212,80", "198.51.100.169,80", "198.51.100.230,80", "198.51.100.6,80"],
                tail: ["198.51.100.14,80", "198.51.100.163,80", "198.51.100.113,80", "198.51.100.166,80"])
        ]),
    RecordedOrder(
        "four threads", allow: "198.51.100.0/23", ports: "80,443", seed: 19, threads: 4, generator: 15373,
        segments: [
            .init(
                count: 246, hash: 0x37f85ac7b5d79ee8,
                head: ["198.51.100.90,443", "198.51.100.58,80", "198.51.101.0,443", "198.51.101.132,443"],
                tail: ["198.51.101.8,80", "198.51.101.130,443", "198.51.101.73,80", "198.51.101.147,443"]),
            .init(
                count: 239, hash: 0xb84bd053d7957416,
                head: ["198.51.100.207,443", "198.51.100.118,80", "198.51.100.61,443", "198.51.100.254,443"],
                tail: ["198.51.100.101,443", "198.51.100.105,443", "198.51.101.190,443", "198.51.100.65,80"]),
            .init(
                count: 273, hash: 0xc941047071851513,
                head: ["198.51.100.174,443", "198.51.100.112,80", "198.51.101.104,80", "198.51.100.117,80"],
                tail: ["198.51.101.115,80", "198.51.100.46,443", "198.51.101.222,80", "198.51.101.143,443"]),
            .init(
                count: 266, hash: 0x65d505cc0dc8e0d1,
                head: ["198.51.100.60,443", "198.51.100.113,443", "198.51.101.154,443", "198.51.100.189,80"],
                tail: ["198.51.101.167,80", "198.51.101.26,80", "198.51.100.123,80", "198.51.100.238,443"])
        ]),
    RecordedOrder(
        "shard 2 of 3 with four threads", allow: "10.1.0.0/20", ports: "80", seed: 23, shards: 3, shard: 2, threads: 4,
        generator: 29973,
        segments: [
            .init(
                count: 342, hash: 0x49156c28e2329ca8,
                head: ["10.1.0.78,80", "10.1.10.226,80", "10.1.6.4,80", "10.1.4.235,80"],
                tail: ["10.1.1.90,80", "10.1.2.59,80", "10.1.7.193,80", "10.1.14.70,80"]),
            .init(
                count: 339, hash: 0x8285480087b288e5,
                head: ["10.1.12.227,80", "10.1.2.208,80", "10.1.13.245,80", "10.1.1.3,80"],
                tail: ["10.1.1.113,80", "10.1.13.181,80", "10.1.12.248,80", "10.1.1.14,80"]),
            .init(
                count: 340, hash: 0x93db465bebd7da65,
                head: ["10.1.6.54,80", "10.1.5.79,80", "10.1.8.225,80", "10.1.0.121,80"],
                tail: ["10.1.11.181,80", "10.1.6.110,80", "10.1.4.179,80", "10.1.15.153,80"]),
            .init(
                count: 326, hash: 0x81d04c485a1b9911,
                head: ["10.1.4.249,80", "10.1.2.79,80", "10.1.3.29,80", "10.1.4.226,80"],
                tail: ["10.1.0.98,80", "10.1.10.218,80", "10.1.7.70,80", "10.1.8.126,80"])
        ]),
    RecordedOrder(
        "three threads, three addresses: an empty segment", allow: "192.0.2.1 192.0.2.9 192.0.2.200", seed: 31,
        threads: 3, generator: 138,
        segments: [
            .init(count: 2, hash: 0x0301a41e2b90a9c9, head: ["192.0.2.9", "192.0.2.1"]),
            .init(count: 1, hash: 0x6db8633e5e1d4a87, head: ["192.0.2.200"]),
            .init(count: 0, hash: 0xcbf29ce484222325, head: [])
        ]),
    // --max-targets, split over sub-shards (recorded from zmap --dryrun with real sender threads).
    RecordedOrder(
        "max 10, one thread", allow: "198.51.100.0/24", ports: "80", seed: 5, maxTargets: 10, generator: 37,
        segments: [
            .init(
                count: 10, hash: 0xe9deef19624c1ca7,
                head: [
                    "198.51.100.215,80", "198.51.100.24,80", "198.51.100.153,80", "198.51.100.43,80",
                    "198.51.100.85,80",
                    "198.51.100.97,80", "198.51.100.27,80", "198.51.100.7,80", "198.51.100.38,80", "198.51.100.157,80"
                ])
        ]),
    RecordedOrder(
        "max 9 over 4 threads", allow: "198.51.100.0/24", ports: "80", seed: 9, threads: 4, maxTargets: 9,
        generator: 147,
        segments: [
            .init(
                count: 3, hash: 0xc439111cc7a08c31,
                head: [
                    "198.51.100.159,80", "198.51.100.132,80", "198.51.100.18,80"
                ]),
            .init(count: 2, hash: 0x899c64242115888e, head: ["198.51.100.246,80", "198.51.100.71,80"]),
            .init(count: 2, hash: 0x36ba34354c506d98, head: ["198.51.100.96,80", "198.51.100.123,80"]),
            .init(count: 2, hash: 0xf3607aad7a9e60ea, head: ["198.51.100.9,80", "198.51.100.184,80"])
        ]),
    RecordedOrder(
        "max 100 over 4 threads", allow: "198.51.100.0/24", ports: "80", seed: 5, threads: 4, maxTargets: 100,
        generator: 37,
        segments: [
            .init(
                count: 25, hash: 0xc761c84832b135f7,
                head: ["198.51.100.215,80", "198.51.100.24,80", "198.51.100.153,80", "198.51.100.43,80"],
                tail: ["198.51.100.60,80", "198.51.100.200,80", "198.51.100.240,80", "198.51.100.178,80"]),
            .init(
                count: 25, hash: 0x600e14a30781d332,
                head: ["198.51.100.114,80", "198.51.100.142,80", "198.51.100.150,80", "198.51.100.189,80"],
                tail: ["198.51.100.204,80", "198.51.100.131,80", "198.51.100.0,80", "198.51.100.36,80"]),
            .init(
                count: 25, hash: 0xc12a99bfe58cc6de,
                head: ["198.51.100.40,80", "198.51.100.231,80", "198.51.100.102,80", "198.51.100.212,80"],
                tail: ["198.51.100.195,80", "198.51.100.55,80", "198.51.100.15,80", "198.51.100.77,80"]),
            .init(
                count: 25, hash: 0x77d4d8ca8eadd3ab,
                head: ["198.51.100.141,80", "198.51.100.113,80", "198.51.100.105,80", "198.51.100.66,80"],
                tail: ["198.51.100.51,80", "198.51.100.124,80", "198.51.100.255,80", "198.51.100.219,80"])
        ]),
    RecordedOrder(
        "max 103 over 4 threads", allow: "198.51.100.0/23", ports: "80", seed: 6, threads: 4, maxTargets: 103,
        generator: 65324,
        segments: [
            .init(
                count: 26, hash: 0xbd56579f57e88ca2,
                head: ["198.51.100.122,80", "198.51.100.101,80", "198.51.100.61,80", "198.51.101.201,80"],
                tail: ["198.51.101.30,80", "198.51.100.109,80", "198.51.100.5,80", "198.51.100.163,80"]),
            .init(
                count: 26, hash: 0xec0ff0a910d25c2b,
                head: ["198.51.101.159,80", "198.51.101.132,80", "198.51.100.60,80", "198.51.101.205,80"],
                tail: ["198.51.100.177,80", "198.51.100.150,80", "198.51.101.89,80", "198.51.101.208,80"]),
            .init(
                count: 26, hash: 0x0630e84f4f1cf381,
                head: ["198.51.100.183,80", "198.51.101.124,80", "198.51.101.131,80", "198.51.101.182,80"],
                tail: ["198.51.100.131,80", "198.51.101.105,80", "198.51.100.4,80", "198.51.101.251,80"]),
            .init(
                count: 25, hash: 0x289325f9e354f4f7,
                head: ["198.51.101.128,80", "198.51.100.20,80", "198.51.101.129,80", "198.51.100.219,80"],
                tail: ["198.51.100.48,80", "198.51.101.250,80", "198.51.100.198,80", "198.51.100.27,80"])
        ]),
    RecordedOrder(
        "max 101 over 2 shards x 3 threads, shard 1", allow: "198.51.100.0/22", ports: "80,443", seed: 7, shards: 2,
        shard: 1, threads: 3, maxTargets: 101, generator: 52901,
        segments: [
            .init(
                count: 17, hash: 0xa2aece70e5d8128b,
                head: ["198.51.103.5,443", "198.51.100.87,80", "198.51.103.202,80", "198.51.103.55,443"],
                tail: ["198.51.100.170,80", "198.51.101.236,443", "198.51.102.151,443", "198.51.102.144,443"]),
            .init(
                count: 17, hash: 0x71e1d2499a2fe86f,
                head: ["198.51.100.116,443", "198.51.100.255,80", "198.51.101.88,80", "198.51.100.50,80"],
                tail: ["198.51.100.119,443", "198.51.103.121,443", "198.51.100.173,443", "198.51.102.46,80"]),
            .init(
                count: 16, hash: 0x80b92007463d357c,
                head: ["198.51.101.164,443", "198.51.103.123,80", "198.51.102.244,443", "198.51.103.36,80"],
                tail: ["198.51.102.182,443", "198.51.103.104,80", "198.51.102.114,443", "198.51.102.16,443"])
        ]),
    RecordedOrder(
        "max 5 over 2 threads, three ports", allow: "192.0.2.0/28", ports: "80,443,22", seed: 11, threads: 2,
        maxTargets: 5, generator: 237,
        segments: [
            .init(count: 3, hash: 0x9701b88c714a382e, head: ["192.0.2.0,80", "192.0.2.15,80", "192.0.2.10,22"]),
            .init(count: 2, hash: 0xa8205bd2b28900e6, head: ["192.0.2.8,80", "192.0.2.3,22"])
        ]),
    // Every group of the table (the first 20,000 targets of spaces too large to list).
    RecordedOrder(
        "a /8 (group 2^24+43)", allow: "10.0.0.0/8", seed: 1, generator: 1572670,
        segments: [
            .init(
                count: 20000, hash: 0x3803c7d14f07ce7f, prefixOnly: true,
                head: ["10.61.234.10", "10.35.20.62", "10.197.67.83", "10.71.220.154"],
                tail: ["10.190.251.174", "10.171.119.181", "10.108.35.215", "10.152.243.247"])
        ]),
    RecordedOrder(
        "a /16 with 4096 ports (group 2^28+3)", allow: "10.0.0.0/16", ports: "1-4096", seed: 2, generator: 1185731,
        segments: [
            .init(
                count: 20000, hash: 0x77ee7cad23bfb8df, prefixOnly: true,
                head: ["10.0.145.3,2627", "10.0.82.250,1764", "10.0.116.16,959", "10.0.19.22,1983"],
                tail: ["10.0.212.87,3629", "10.0.148.34,414", "10.0.182.22,1259", "10.0.58.6,153"])
        ]),
    RecordedOrder(
        "all of IPv4 (group 2^32+15)", allow: "", ports: "80", seed: 1, generator: 1576669,
        segments: [
            .init(
                count: 20000, hash: 0xe73ace7d74703744, prefixOnly: true,
                head: ["201.65.212.199,80", "69.100.237.44,80", "165.56.99.223,80", "15.132.145.138,80"],
                tail: ["58.205.57.227,80", "101.171.142.100,80", "124.21.33.198,80", "108.89.33.99,80"])
        ]),
    RecordedOrder(
        "all of IPv4, two ports (group 2^33+17)", allow: "", ports: "80,443", seed: 2, generator: 1185730,
        segments: [
            .init(
                count: 20000, hash: 0x91d559c3df3b17b8, prefixOnly: true,
                head: ["233.36.170.150,443", "113.62.136.196,443", "135.83.16.192,80", "170.187.114.40,80"],
                tail: ["243.5.73.175,80", "75.117.93.202,443", "204.134.188.87,443", "208.203.133.0,80"])
        ]),
    RecordedOrder(
        "all of IPv4, three ports (group 2^34+25)", allow: "", ports: "80,443,8080", seed: 3, generator: 3000442,
        segments: [
            .init(
                count: 20000, hash: 0x40e041ac7e29d34e, prefixOnly: true,
                head: ["136.191.118.206,80", "47.153.230.235,8080", "16.221.133.209,80", "55.70.128.160,8080"],
                tail: ["117.217.80.171,443", "172.25.244.56,8080", "50.193.99.43,8080", "25.80.136.194,80"])
        ]),
    RecordedOrder(
        "all of IPv4, 16 ports (group 2^36+31)", allow: "", ports: "1-16", seed: 4, generator: 1958108,
        segments: [
            .init(
                count: 20000, hash: 0x980933518cdd3799, prefixOnly: true,
                head: ["139.168.60.123,3", "155.29.223.68,6", "67.108.191.56,2", "73.219.17.29,11"],
                tail: ["162.168.80.234,8", "193.167.177.116,8", "201.50.101.158,16", "10.217.53.140,7"])
        ]),
    RecordedOrder(
        "all of IPv4, 256 ports (group 2^40+15)", allow: "", ports: "1-256", seed: 5, generator: 1296982,
        segments: [
            .init(
                count: 20000, hash: 0xab4bf2b0290bbf46, prefixOnly: true,
                head: ["128.145.158.176,135", "236.166.201.189,81", "33.173.216.24,45", "148.31.155.147,158"],
                tail: ["17.178.6.183,138", "248.36.254.7,185", "116.219.201.211,96", "183.48.239.64,119"])
        ])
    // The two largest groups (2^44+7 and 2^48+23) are not here: ZMap's 64-bit step wraps in them
    // and its order repeats targets; xmap multiplies exactly (see ZMapOrderIterator), so only the
    // first target agrees (ZMapOrderTests.overflowLoopFixed).
]
