/// One netmap ring as the kernel shares it (netmap's `struct netmap_ring`, declared here from
/// netmap's published header, `net/netmap.h`), and the user side of its protocol. TX: the slots
/// [head, tail) belong to us; we fill slots from `cur`, then move `head` and `cur` past them and
/// ask the kernel to send them (`NIOCTXSYNC`), after which it moves `tail` on as it finishes.
/// One slot always stays between tail and head, so a ring of N slots holds N − 1 packets.
///
/// RX rings follow the same protocol the other way: [head, tail) holds received frames, which
/// we give back by moving head and cur to tail.
///
/// The kernel side is only the sync call, passed in, so the same logic runs against an
/// in-memory ring in tests.
public struct NetmapRing {
    /// Offsets in `struct netmap_ring` (64-bit): buf_ofs (int64) 0, num_slots 8, nr_buf_size 12,
    /// ringid 16, dir 18, head 20, cur 24, tail 28, flags 32, ts (timeval) 40, sem[128] aligned
    /// to 128, slots from 256; `struct netmap_slot` is buf_idx (u32), len (u16), flags (u16),
    /// ptr (u64): 16 bytes.
    public enum Layout {
        public static let bufferOffset = 0, slotCount = 8, bufferSize = 12, head = 20, cur = 24, tail = 28
        public static let slots = 256, slotSize = 16
    }

    public let base: UnsafeMutableRawPointer
    /// The kernel's half: `ioctl(fd, NIOCTXSYNC)` or `NIOCRXSYNC` (or a simulation of it).
    public let sync: () -> Void

    public init(_ base: UnsafeMutableRawPointer, sync: @escaping () -> Void) {
        self.base = base
        self.sync = sync
    }

    public var count: UInt32 { base.load(fromByteOffset: Layout.slotCount, as: UInt32.self) }
    public var bufferSize: UInt32 { base.load(fromByteOffset: Layout.bufferSize, as: UInt32.self) }
    public var head: UInt32 {
        get { base.load(fromByteOffset: Layout.head, as: UInt32.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: Layout.head, as: UInt32.self) }
    }
    public var cur: UInt32 {
        get { base.load(fromByteOffset: Layout.cur, as: UInt32.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: Layout.cur, as: UInt32.self) }
    }
    public var tail: UInt32 { base.load(fromByteOffset: Layout.tail, as: UInt32.self) }

    /// The slot after `i`.
    @inline(__always) public func next(_ i: UInt32) -> UInt32 { i + 1 == count ? 0 : i + 1 }

    /// Free slots: from `cur` up to `tail` (netmap's `nm_ring_space`).
    public var space: UInt32 {
        let c = cur, t = tail
        return t >= c ? t - c : t + count - c
    }

    /// The buffer of slot `i` (netmap's `NETMAP_BUF(ring, slot->buf_idx)`).
    public func buffer(_ i: UInt32) -> UnsafeMutableRawPointer {
        let slot = base + Layout.slots + Int(i) * Layout.slotSize
        let index = slot.load(as: UInt32.self)
        let offset = base.load(fromByteOffset: Layout.bufferOffset, as: Int64.self)
        return base + Int(offset) + Int(index) * Int(bufferSize)
    }

    /// Sets the length of slot `i`.
    public func setLength(_ i: UInt32, _ length: Int) {
        (base + Layout.slots + Int(i) * Layout.slotSize).storeBytes(
            of: UInt16(length), toByteOffset: 4, as: UInt16.self)
    }

    /// Copies one frame into the slot at `cur` and moves `head` and `cur` past it. Returns false,
    /// copying nothing, when the ring is full (sync, then try again) or the frame is longer than
    /// a netmap buffer.
    @inline(__always)
    public func push(_ frame: UnsafeRawPointer, length: Int) -> Bool {
        guard space > 0, length <= Int(bufferSize) else { return false }
        let c = cur
        buffer(c).copyMemory(from: frame, byteCount: length)
        setLength(c, length)
        let n = next(c)
        cur = n
        head = n
        return true
    }

    /// Queues `lengths.count` packets that `fill` writes into the slots from `cur` (slot index,
    /// buffer), syncing whenever the ring is full, then syncs once more so they go out. Returns
    /// the number of syncs (each one system call with a real ring).
    @discardableResult
    public func send(_ lengths: [Int], fill: (Int, UnsafeMutableRawPointer) -> Void) -> Int {
        var syncs = 0
        var i = 0
        while i < lengths.count {
            if space == 0 {
                sync()
                syncs += 1
                continue
            }
            let c = cur
            fill(i, buffer(c))
            setLength(c, lengths[i])
            let n = next(c)
            cur = n
            head = n
            i += 1
        }
        sync()
        return syncs + 1
    }

    /// Slot flag: the frame goes on in the next slot (netmap's `NS_MOREFRAG`).
    public static let moreFragments: UInt16 = 0x20

    /// RX: passes every frame in [head, tail) to `body` (of a frame spread over several slots,
    /// only its first slot, as ZMap does; `inFragment` carries that state from one call to the
    /// next), then returns the slots to the kernel (head = cur = tail). Lengths beyond the buffer
    /// size are clipped. Returns the number of slots consumed.
    @discardableResult
    public func receive(inFragment: inout Bool, _ body: (UnsafeRawBufferPointer) -> Void) -> Int {
        let t = tail
        var i = head
        var n = 0
        guard i < count, t < count else { return 0 }
        while i != t {
            let slot = base + Layout.slots + Int(i) * Layout.slotSize
            let flags = slot.load(fromByteOffset: 6, as: UInt16.self)
            if !inFragment {
                let length = min(Int(slot.load(fromByteOffset: 4, as: UInt16.self)), Int(bufferSize))
                body(UnsafeRawBufferPointer(start: buffer(i), count: length))
            }
            inFragment = flags & Self.moreFragments != 0
            i = next(i)
            n += 1
        }
        cur = t
        head = t
        return n
    }
}
