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
        var kernelCur: UInt32 = 0   // the kernel's hwcur: first slot not yet sent
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
                (memory + NetmapRing.Layout.slots + Int(i) * NetmapRing.Layout.slotSize).storeBytes(of: slots - 1 - i, as: UInt32.self)
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
        let syncs = ring.send(Array(repeating: 2, count: 20)) { i, b in b.storeBytes(of: UInt8(100 + i), as: UInt8.self) }
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
