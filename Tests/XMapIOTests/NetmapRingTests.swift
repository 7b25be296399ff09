import Testing
import XMapIO

/// The netmap TX ring protocol against an in-memory ring whose "kernel" sends what lies between
/// its last position and `head`, and gives the slots back by moving `tail`.
@Suite struct NetmapRingTests {
    /// A ring of `slots` slots with 2048-byte buffers after them, laid out as netmap lays it out.
    final class MemoryRing {
        let slots: UInt32
        let memory: UnsafeMutableRawPointer
        let size: Int
        var kernelCur: UInt32 = 0  // the kernel's hwcur: first slot not yet sent
        var sent: [[UInt8]] = []
        /// How many slots the "NIC" completes per sync (all when nil).
        var completePerSync: Int?

        init(slots: UInt32) {
            self.slots = slots
            let buffers = NetmapRing.Layout.slots + Int(slots) * NetmapRing.Layout.slotSize
            size = buffers + Int(slots) * 2048
            memory = .allocate(byteCount: size, alignment: 128)
            memory.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            memory.storeBytes(of: Int64(buffers), toByteOffset: NetmapRing.Layout.bufferOffset, as: Int64.self)
            memory.storeBytes(of: slots, toByteOffset: NetmapRing.Layout.slotCount, as: UInt32.self)
            memory.storeBytes(of: UInt32(2048), toByteOffset: NetmapRing.Layout.bufferSize, as: UInt32.self)
            memory.storeBytes(of: slots - 1, toByteOffset: NetmapRing.Layout.tail, as: UInt32.self)
            for i in 0..<slots {
                // Buffers in reverse order, so the test sees that buf_idx is honoured.
                (memory + NetmapRing.Layout.slots + Int(i) * NetmapRing.Layout.slotSize).storeBytes(
                    of: slots - 1 - i, as: UInt32.self)
            }
        }

        deinit { memory.deallocate() }

        /// NIOCTXSYNC: send [kernelCur, head), then release those slots (tail = one before the
        /// first slot not yet sent).
        func sync() {
            let ring = NetmapRing(memory) {}
            var done = 0
            while kernelCur != ring.head && (completePerSync.map { done < $0 } ?? true) {
                let slot = memory + NetmapRing.Layout.slots + Int(kernelCur) * NetmapRing.Layout.slotSize
                let length = Int(slot.load(fromByteOffset: 4, as: UInt16.self))
                sent.append(Array(UnsafeRawBufferPointer(start: ring.buffer(kernelCur), count: length)))
                kernelCur = kernelCur + 1 == slots ? 0 : kernelCur + 1
                done += 1
            }
            let tail = kernelCur == 0 ? slots - 1 : kernelCur - 1
            memory.storeBytes(of: tail, toByteOffset: NetmapRing.Layout.tail, as: UInt32.self)
        }
    }

    @Test("slots, head, cur and tail: N − 1 packets fit, a full ring syncs, every packet goes out once, in order")
    func protocolOrder() {
        let mem = MemoryRing(slots: 8)
        let ring = NetmapRing(mem.memory) { mem.sync() }
        #expect(ring.count == 8 && ring.space == 7 && ring.head == 0 && ring.cur == 0)
        // 7 packets fill the ring: one sync at the end only.
        #expect(ring.send(Array(repeating: 3, count: 7)) { i, b in b.storeBytes(of: UInt8(i), as: UInt8.self) } == 1)
        #expect(mem.sent.count == 7 && ring.head == 7 && ring.cur == 7 && ring.tail == 6)
        // 20 more wrap around the ring: the full ring forces syncs on the way.
        let syncs = ring.send(Array(repeating: 2, count: 20)) { i, b in b.storeBytes(of: UInt8(100 + i), as: UInt8.self)
        }
        #expect(syncs >= 3)
        #expect(mem.sent.count == 27)
        let expected: [UInt8] = (0..<7).map { UInt8($0) } + (0..<20).map { UInt8(100 + $0) }
        let firstBytes: [UInt8] = mem.sent.map { $0[0] }
        #expect(firstBytes == expected)
        #expect(mem.sent.allSatisfy { $0.count == 3 || $0.count == 2 })
        let head: UInt32 = 27 % 8
        #expect(ring.head == head)
        #expect(ring.cur == head && ring.space == 7)
    }

    @Test("a slow NIC: the sender waits on a full ring and loses nothing")
    func slowKernel() {
        let mem = MemoryRing(slots: 4)
        mem.completePerSync = 1
        let ring = NetmapRing(mem.memory) { mem.sync() }
        ring.send(Array(repeating: 1, count: 10)) { i, b in b.storeBytes(of: UInt8(i), as: UInt8.self) }
        // The final sync sends one more; drain the rest as the kernel would on later syncs.
        while mem.sent.count < 10 { mem.sync() }
        let firstBytes: [UInt8] = mem.sent.map { $0[0] }
        let expected: [UInt8] = (0..<10).map { UInt8($0) }
        #expect(firstBytes == expected)
    }

    @Test("next wraps, space counts across the wrap, buffers follow buf_idx")
    func arithmetic() {
        let mem = MemoryRing(slots: 4)
        let ring = NetmapRing(mem.memory) {}
        #expect(ring.next(0) == 1 && ring.next(3) == 0)
        ring.cur = 3
        mem.memory.storeBytes(of: UInt32(1), toByteOffset: NetmapRing.Layout.tail, as: UInt32.self)
        #expect(ring.space == 2)
        let buffers = NetmapRing.Layout.slots + 4 * NetmapRing.Layout.slotSize
        let third: UnsafeMutableRawPointer = mem.memory + (buffers + 3 * 2048)
        #expect(ring.buffer(0) == third)
    }
}

/// The receive side of the ring protocol, the TX push, and the port's ring table.
@Suite struct NetmapReceiveTests {
    typealias MemoryRing = NetmapRingTests.MemoryRing

    /// Puts a received frame of `bytes` in slot `i` with slot flags `flags` (what the kernel does).
    func deliver(_ mem: MemoryRing, slot i: UInt32, _ bytes: [UInt8], flags: UInt16 = 0, length: Int? = nil) {
        let ring = NetmapRing(mem.memory) {}
        let s = mem.memory + NetmapRing.Layout.slots + Int(i) * NetmapRing.Layout.slotSize
        s.storeBytes(of: UInt16(length ?? bytes.count), toByteOffset: 4, as: UInt16.self)
        s.storeBytes(of: flags, toByteOffset: 6, as: UInt16.self)
        bytes.withUnsafeBytes { ring.buffer(i).copyMemory(from: $0.baseAddress!, byteCount: bytes.count) }
    }

    func setTail(_ mem: MemoryRing, _ t: UInt32) {
        mem.memory.storeBytes(of: t, toByteOffset: NetmapRing.Layout.tail, as: UInt32.self)
    }

    @Test("frames in [head, tail) are read once, in order, across the wrap; the slots go back (head = cur = tail)")
    func receiveOrder() {
        let mem = MemoryRing(slots: 4)
        let ring = NetmapRing(mem.memory) {}
        mem.memory.storeBytes(of: UInt32(2), toByteOffset: NetmapRing.Layout.head, as: UInt32.self)
        ring.cur = 2
        for (slot, byte) in [(2, 10), (3, 11), (0, 12)] { deliver(mem, slot: UInt32(slot), [UInt8(byte), 0xEE]) }
        setTail(mem, 1)
        var seen: [[UInt8]] = []
        var fragment = false
        #expect(ring.receive(inFragment: &fragment) { seen.append(Array($0)) } == 3)
        #expect(seen == [[10, 0xEE], [11, 0xEE], [12, 0xEE]])
        #expect(ring.head == 1 && ring.cur == 1)
        // Nothing new: nothing read.
        #expect(ring.receive(inFragment: &fragment) { _ in Issue.record("read twice") } == 0)
    }

    @Test("a frame over several slots (NS_MOREFRAG) is passed once, by its first slot, also when it spans two walks")
    func fragments() {
        let mem = MemoryRing(slots: 8)
        let ring = NetmapRing(mem.memory) {}
        deliver(mem, slot: 0, [1], flags: NetmapRing.moreFragments)
        deliver(mem, slot: 1, [2], flags: NetmapRing.moreFragments)
        deliver(mem, slot: 2, [3])
        deliver(mem, slot: 3, [4], flags: NetmapRing.moreFragments)
        setTail(mem, 4)
        var seen: [UInt8] = []
        var fragment = false
        ring.receive(inFragment: &fragment) { seen.append($0[0]) }
        #expect(seen == [1, 4] && fragment)
        deliver(mem, slot: 4, [5])
        deliver(mem, slot: 5, [6])
        setTail(mem, 6)
        ring.receive(inFragment: &fragment) { seen.append($0[0]) }
        #expect(seen == [1, 4, 6] && !fragment)
    }

    @Test("a slot length beyond the buffer is clipped to the buffer; head or tail out of range reads nothing")
    func hostileIndexes() {
        let mem = MemoryRing(slots: 4)
        let ring = NetmapRing(mem.memory) {}
        deliver(mem, slot: 0, [7], length: 65535)
        setTail(mem, 1)
        var lengths: [Int] = []
        var fragment = false
        ring.receive(inFragment: &fragment) { lengths.append($0.count) }
        #expect(lengths == [2048])
        setTail(mem, 9)
        #expect(ring.receive(inFragment: &fragment) { _ in Issue.record("read past the ring") } == 0)
    }

    @Test("push copies a frame into the slot at cur; a full ring or an oversized frame is refused, untouched")
    func push() {
        let mem = MemoryRing(slots: 4)
        let ring = NetmapRing(mem.memory) { mem.sync() }
        let frame: [UInt8] = [9, 8, 7]
        for _ in 0..<3 { #expect(frame.withUnsafeBytes { ring.push($0.baseAddress!, length: 3) }) }
        #expect(!frame.withUnsafeBytes { ring.push($0.baseAddress!, length: 3) })  // N − 1 slots
        #expect(ring.head == 3 && ring.cur == 3)
        ring.sync()
        #expect(mem.sent == [frame, frame, frame])
        let big = [UInt8](repeating: 1, count: 2049)
        #expect(!big.withUnsafeBytes { ring.push($0.baseAddress!, length: big.count) })
        #expect(ring.head == 3)
    }

    @Test("the port's ring table: TX rings first, then the host TX ring(s), then the RX rings")
    func interfaceTable() {
        let memory = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 8)
        defer { memory.deallocate() }
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
        memory.storeBytes(of: UInt32(2), toByteOffset: NetmapInterface.Layout.txRings, as: UInt32.self)
        memory.storeBytes(of: UInt32(3), toByteOffset: NetmapInterface.Layout.rxRings, as: UInt32.self)
        for i in 0..<8 {
            memory.storeBytes(
                of: 1000 + 100 * i, toByteOffset: NetmapInterface.Layout.ringOffsets + 8 * i, as: Int.self)
        }
        let nif = NetmapInterface(memory)
        #expect(nif.txRingCount == 2 && nif.rxRingCount == 3)
        #expect(nif.txRing(1) == memory + 1100)
        // Older netmap: the host ring count is not filled in, there is one.
        #expect(nif.rxRing(0) == memory + 1300)
        memory.storeBytes(of: UInt32(2), toByteOffset: NetmapInterface.Layout.hostTxRings, as: UInt32.self)
        #expect(nif.rxRing(0) == memory + 1400 && nif.rxRing(2) == memory + 1600)
    }

    @Test("the control queue hands every submitted frame to one taker, once")
    func controlQueue() {
        let q = NetmapControlQueue()
        #expect(!q.hasPending && q.take().isEmpty)
        q.submit([1])
        q.submit([2, 3])
        #expect(q.hasPending)
        #expect(q.take() == [[1], [2, 3]])
        #expect(!q.hasPending && q.take().isEmpty)
    }
}
