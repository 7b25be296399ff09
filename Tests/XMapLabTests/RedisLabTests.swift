import Foundation
import Testing
import XMapTestSupport

extension LabScanTests {
    /// Results pushed to a real Redis server (`redis-server` on a Unix socket): every result
    /// arrives, failures are counted and fatal, and shards of one scan add up to the scan.
    @Suite("Redis")
    struct Redis {
        static func server(maxMemory: String? = nil) throws -> RedisServer {
            try #require(RedisServer.isInstalled, "redis-server is not installed (make deps installs it)")
            return try RedisServer(maxMemory: maxMemory)
        }

        @Test("redis-csv over IPv4 and redis-packed over IPv6: the lists hold exactly the ground truth")
        func outputs() throws {
            let lab = try Lab()
            defer { lab.down() }
            let redis = try Self.server()
            let r4 = try lab.xmap([
                "-4", "-M", "tcp_syn", "-p", "80", "-O", "redis-csv", "--output-args", "local://\(redis.socket)/csv",
                "-f", "saddr,sport,classification", "-R", "20000", "-c", "1", "-q", lab["LAB_TARGETS4"]
            ])
            #expect(r4.status == 0, "\(r4.stderr)")
            let rows = try redis.elements("csv").map { String(decoding: $0, as: UTF8.self) }
            #expect(rows.sorted() == (try lab.truth("tcp80_4.txt")).map { "\($0),80,synack" }.sorted())
            let r6 = try lab.xmap([
                "-6", "-x", "128", "-M", "icmp_echo", "-O", "redis-packed", "--output-args",
                "local://\(redis.socket)/packed", "-R", "20000", "-c", "1", "-q", lab["LAB_TARGETS6"]
            ])
            #expect(r6.status == 0, "\(r6.stderr)")
            let packed = try redis.elements("packed")
            #expect(packed.allSatisfy { $0.count == 16 })
            let addresses = packed.map { bytes -> String in
                var a = in6_addr()
                withUnsafeMutableBytes(of: &a) { $0.copyBytes(from: bytes) }
                var buf = [CChar](repeating: 0, count: 64)
                inet_ntop(AF_INET6, &a, &buf, 64)
                return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            #expect(addresses.sorted() == (try lab.truth("live6.txt")).sorted())
            // IPv4 packs 4 bytes, network order.
            let p4 = try lab.xmap([
                "-4", "-M", "icmp_echo", "-O", "redis-packed", "--output-args", "local://\(redis.socket)/p4",
                "-R", "20000", "-c", "1", "-q", lab["LAB_TARGETS4"]
            ])
            #expect(p4.status == 0, "\(p4.stderr)")
            let v4 = try redis.elements("p4").map { $0.map(String.init).joined(separator: ".") }
            #expect(v4.sorted() == (try lab.truth("live4.txt")).sorted())
        }

        @Test("Redis refusing writes mid-scan: one fatal line, exit 1, every result counted as pushed or lost")
        func failure() throws {
            let lab = try Lab()
            defer { lab.down() }
            let redis = try Self.server(maxMemory: "1200kb")
            let meta = lab["LAB_DIR"] + "/redis-meta.json"
            // A live /16 at full rate: 65,536 results, more than the server will take.
            let r = try lab.xmap([
                "-4", "-M", "icmp_echo", "-O", "redis-csv", "--output-args", "local://\(redis.socket)/full",
                "-f", "saddr,ttl,classification,timestamp_str", "-R", "0", "-c", "2", "-q", "-m", meta,
                lab["LAB_LIVE16"]
            ])
            #expect(r.status == 1)
            let fatal = r.stderr.split(separator: "\n").filter { $0.contains("[FATAL]") }
            #expect(fatal.count == 1 && fatal.first?.contains("could not push results to Redis") == true, "\(r.stderr)")
            #expect(fatal.first?.contains("OOM") == true, "\(fatal)")
            let m = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: meta))) as? [String: Any])
            let written = try #require(m["results_written"] as? Int), lost = try #require(m["results_lost"] as? Int)
            let stored = Int(try redis.cli(["llen", "full"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            #expect(
                written > 0 && lost > 0 && stored == written, "written \(written), lost \(lost), in Redis \(stored)")
            #expect(m["output_error"] is String)
        }

        @Test(
            "scale-out: three shards of one seed, one after another, push to one list: the union is the single scan, no duplicates"
        )
        func shards() throws {
            let lab = try Lab()
            defer { lab.down() }
            let redis = try Self.server()
            let common = ["-4", "-M", "icmp_echo", "-e", "1234", "-O", "redis-csv", "-R", "20000", "-c", "1", "-q"]
            for shard in 0..<3 {
                let r = try lab.xmap(
                    common + [
                        "--shards", "3", "--shard", "\(shard)", "--output-args",
                        "local://\(redis.socket)/sharded", lab["LAB_TARGETS4"]
                    ])
                #expect(r.status == 0, "\(r.stderr)")
            }
            let single = try lab.xmap(common + ["--output-args", "local://\(redis.socket)/single", lab["LAB_TARGETS4"]])
            #expect(single.status == 0, "\(single.stderr)")
            let sharded = try redis.elements("sharded").map { String(decoding: $0, as: UTF8.self) }
            let whole = try redis.elements("single").map { String(decoding: $0, as: UTF8.self) }
            #expect(Set(sharded).count == sharded.count, "duplicates across shards")
            #expect(sharded.sorted() == whole.sorted())
            #expect(whole.sorted() == (try lab.truth("live4.txt")).sorted())
        }
    }
}
