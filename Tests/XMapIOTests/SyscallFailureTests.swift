#if canImport(Glibc)
import Glibc
#endif
import Testing
import XMapCore
@testable import XMapIO

/// The I/O layer's documented answer to each failure a system call can report, with the
/// failures injected through the mocking driver (no root, no network, no full disk needed):
/// a signal (EINTR) is retried; a full socket buffer (EAGAIN, ENOBUFS) is retried after a pause
/// up to `--retries`, then the packet counts as failed; a full disk (ENOSPC) or an I/O error
/// (EIO) on the output or the checkpoint is reported, with every result accounted for.
@Suite("System call failures", .enabled(if: MockingDriver.isAvailable, "needs a debug build (ENABLE_MOCKING)"))
struct SyscallFailureTests {
    /// A scratch file path, removed by the caller.
    static func scratchPath(_ name: String) -> String {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        return "\(dir)/xmap-\(name)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    static func contents(_ path: String) -> String {
        (try? LocalFiles.read(path)).map { String(decoding: $0, as: UTF8.self) } ?? "<unreadable>"
    }

    // MARK: - Send

    /// A transmitter of four 20-byte packets (bytes i, i, …) over one end of a Unix datagram
    /// socket pair, whose other end the test reads: sendmmsg works on it without privileges.
    struct Pair: ~Copyable {
        let transmitter: PacketSocketTransmitter
        let peer: Int32

        init(retries: Int) {
            var fds: [Int32] = [0, 0]
            precondition(socketpair(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0, &fds) == 0)
            transmitter = PacketSocketTransmitter(
                socket: PacketSocket(adopting: fds[0]), batchCapacity: 4,
                packetCapacity: 64, link: nil, retries: retries)
            peer = fds[1]
            for i in 0..<4 {
                transmitter.packetBuffer(i).initializeMemory(as: UInt8.self, repeating: UInt8(i), count: 20)
                transmitter.setLength(i, 20)
            }
        }

        deinit { close(peer) }

        /// The first byte of each datagram waiting at the peer.
        func received() -> [UInt8] {
            var firsts: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 256)
            while recv(peer, &buffer, buffer.count, Int32(MSG_DONTWAIT)) == 20 { firsts.append(buffer[0]) }
            return firsts
        }
    }

    @Test("send: EINTR is retried at once; nothing fails")
    func sendInterrupted() {
        MockingDriver.withMocking { driver in
            let pair = Pair(retries: 1)
            driver.fail("sendmmsg", errno: EINTR)
            #expect(pair.transmitter.send(count: 4) == 0)
            #expect(driver.count("sendmmsg") == 2)
            #expect(pair.received() == [0, 1, 2, 3])
        }
    }

    @Test("send: EAGAIN and ENOBUFS are retried after a pause while --retries allows; nothing fails")
    func sendBufferFullRetried() {
        MockingDriver.withMocking { driver in
            let pair = Pair(retries: 3)
            driver.fail("sendmmsg", errno: EAGAIN)
            driver.fail("sendmmsg", errno: ENOBUFS)
            #expect(pair.transmitter.send(count: 4) == 0)
            #expect(
                driver.trace.filter { $0 == "sendmmsg" || $0 == "nanosleep" }
                    == ["sendmmsg", "nanosleep", "sendmmsg", "nanosleep", "sendmmsg"])
            #expect(pair.received() == [0, 1, 2, 3])
        }
    }

    @Test("send: a packet the kernel keeps refusing counts as failed after --retries attempts, and the rest go")
    func sendFailsAfterRetries() {
        MockingDriver.withMocking { driver in
            let pair = Pair(retries: 2)
            driver.fail("sendmmsg", errno: ENOBUFS, times: 2)  // packet 0, both attempts
            driver.fail("sendmmsg", errno: EIO, times: 2)  // packet 1, both attempts (no pause)
            #expect(pair.transmitter.send(count: 4) == 2)
            #expect(driver.count("sendmmsg") == 5)
            #expect(driver.count("nanosleep") == 1)
            #expect(pair.received() == [2, 3])
        }
    }

    @Test("send: with the buffer full for good, every packet of the batch counts as failed")
    func sendAllFail() {
        MockingDriver.withMocking { driver in
            let pair = Pair(retries: 1)
            driver.failAlways("sendmmsg", errno: ENOBUFS)
            #expect(pair.transmitter.send(count: 4) == 4)
            #expect(driver.count("sendmmsg") == 4)
            driver.stopFailing("sendmmsg")
            #expect(pair.transmitter.send(count: 4) == 0)
            #expect(pair.received() == [0, 1, 2, 3])
        }
    }

    // MARK: - Receive

    /// A pcap file (Ethernet) holding one IPv4 packet and one ARP frame.
    static func savefile() throws -> String {
        var file: [UInt8] = [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 1, 0, 0, 0]
        func frame(_ bytes: [UInt8]) {
            let n = UInt32(bytes.count)
            let length = [UInt8(n & 0xFF), UInt8(n >> 8), 0, 0]
            file += [0, 0, 0, 0, 0, 0, 0, 0] + length + length + bytes
        }
        let ethernet: (UInt16) -> [UInt8] = { [2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2, UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let ip: [UInt8] = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 1, 0, 0, 192, 0, 2, 9, 192, 0, 2, 1]
        frame(ethernet(0x0800) + ip)
        frame(ethernet(0x0806) + [UInt8](repeating: 0, count: 28))
        let path = scratchPath("capture.pcap")
        let fd = try LocalFiles.openForWriting(path)
        defer { Posix.close(fd) }
        try file.withUnsafeBytes { try Posix.writeAll(fd, $0) }
        return path
    }

    @Test("receive: EINTR while waiting is retried; frames without an IP packet are counted, not handed over")
    func receiveInterrupted() throws {
        let path = try Self.savefile()
        defer { unlink(path) }
        try MockingDriver.withMocking { driver in
            let capture = try PcapCapture(savefile: path, family: .v4)
            var packets: [[UInt8]] = []
            #expect(try capture.next { packets.append(Array($0)) })
            #expect(try capture.next { packets.append(Array($0)) })  // the ARP frame
            #expect(packets.count == 1 && packets.first?.count == 20)
            #expect(capture.statistics().unframed == 1)
            driver.fail("poll", errno: EINTR)
            #expect(try !capture.next { packets.append(Array($0)) })  // nothing more, after one wait
            #expect(driver.count("poll") == 2)
        }
    }

    @Test("receive: a wait that fails (not EINTR) is an error the receiver reports", arguments: [EIO, ENOMEM, EAGAIN])
    func receiveFails(_ code: Int32) throws {
        let path = try Self.savefile()
        defer { unlink(path) }
        try MockingDriver.withMocking { driver in
            let capture = try PcapCapture(savefile: path, family: .v4)
            while try capture.nextIfReady({ _ in }) {}
            driver.fail("poll", errno: code)
            #expect(throws: SystemError(call: "poll", errno: code)) { try capture.next { _ in } }
        }
    }

    // MARK: - Output

    func record(_ i: Int) -> (inout [UInt8]) -> Void { { $0.append(contentsOf: Array("record \(i)\n".utf8)) } }

    @Test("output: EINTR is retried and EAGAIN waits for room; every record is written")
    func outputRetried() throws {
        let path = Self.scratchPath("out.csv")
        defer { unlink(path) }
        try MockingDriver.withMocking { driver in
            let sink = try OutputSink(path: path)
            for i in 0..<3 { sink.appendRecord(record(i)) }
            driver.fail("write", errno: EINTR)
            driver.fail("write", errno: EAGAIN)
            #expect(sink.flush())
            #expect(driver.trace.filter { $0 == "write" || $0 == "poll" } == ["write", "write", "poll", "write"])
            #expect(sink.recordsWritten == 3 && sink.recordsLost == 0 && sink.failureDescription == nil)
        }
        #expect(Self.contents(path) == "record 0\nrecord 1\nrecord 2\n")
    }

    @Test(
        "output: ENOSPC and EIO stop the output; what was written stays, the rest is counted lost and reported",
        arguments: [(ENOSPC, "No space left on device"), (EIO, "Input/output error")])
    func outputFails(_ code: Int32, _ text: String) throws {
        let path = Self.scratchPath("out.csv")
        defer { unlink(path) }
        try MockingDriver.withMocking { driver in
            let sink = try OutputSink(path: path)
            sink.writeHeader(Array("header\n".utf8))
            for i in 0..<2 { sink.appendRecord(record(i)) }
            #expect(sink.flush())
            for i in 2..<5 { sink.appendRecord(record(i)) }
            driver.fail("write", errno: code)
            #expect(!sink.flush())
            #expect(sink.hasFailed && sink.failure == SystemError(call: "write", errno: code))
            sink.appendRecord(record(5))  // after the failure: counted, not written
            #expect(!sink.flush())
            #expect(driver.count("write") == 2)
            #expect(sink.recordsWritten == 2 && sink.recordsLost == 4)
            #expect(
                sink.failureDescription
                    == "could not write results to '\(path)': \(text) (2 results written, 4 lost)")
        }
        #expect(Self.contents(path) == "header\nrecord 0\nrecord 1\n")
    }

    // MARK: - Checkpoint file

    @Test("checkpoint file: EINTR is retried; ENOSPC and EIO (write or sync) are reported with the file's name")
    func checkpointFile() throws {
        let path = Self.scratchPath("checkpoint")
        defer { unlink(path) }
        try MockingDriver.withMocking { driver in
            let file = try SlotFile(path: path, capacity: 100)
            driver.fail("pwrite", errno: EINTR)
            try file.write(Array("{\"a\": 1}".utf8))
            #expect(driver.count("pwrite") == 2 && driver.count("fdatasync") == 1)
            for (call, code, text) in [
                ("pwrite", ENOSPC, "No space left on device"),
                ("fdatasync", EIO, "Input/output error")
            ] {
                driver.fail(call, errno: code)
                #expect(throws: XMapError("unable to write '\(path)': \(text)")) {
                    try file.write(Array("{\"a\": 2}".utf8))
                }
            }
            try file.write(Array("{\"a\": 3}".utf8))
        }
        #expect(Self.contents(path).isEmpty == false)
        #expect(try SlotFile.read(path) == Array("{\"a\": 3}".utf8))
    }

    // MARK: - Directories

    @Test("directory listing: readdir's failure is an error, not a short list; a missing directory is ENOENT")
    func directoryEntries() throws {
        #expect(throws: SystemError(call: "opendir", errno: ENOENT)) {
            try Posix.directoryEntries("/nonexistent-\(getpid())")
        }
        let names = try Posix.directoryEntries("/proc/self")
        #expect(names.contains("status") && !names.contains(".") && !names.contains(".."))
        MockingDriver.withMocking { driver in
            driver.fail("readdir", errno: EIO)
            #expect(throws: SystemError(call: "readdir", errno: EIO)) { try Posix.directoryEntries("/proc/self") }
            #expect(Posix.transmitQueues("lo") >= 1)
        }
    }
}
