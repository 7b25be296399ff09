import CXMapLinux
import Testing
@testable import XMapIO

/// Every netmap structure xmap declares, against netmap's published header (net/netmap.h and
/// net/netmap_user.h, API 14, 64-bit Linux): sizes, field offsets and ioctl numbers. The kernel
/// copies requests by its own sizes, so a field missing here (API 13's nmreq_register, 48 bytes,
/// which made the kernel read nr_flags from the caller's stack) fails this test.
@Suite("netmap layout")
struct NetmapLayoutTests {
    @Test("control requests and ioctls, as netmap.c declares them")
    func requests() {
        var l = CXMap_netmap_layout_t()
        CXMap_netmap_layout(&l)
        #expect(l.api == 14 && l.register_request == 1)
        #expect(l.ioctl_ctrl == 0xC058_6997 && l.ioctl_txsync == 0x6994 && l.ioctl_rxsync == 0x6995)
        // struct nmreq_header: nr_version 0, nr_reqtype 2, nr_reserved 4, nr_name[64] 8, nr_options 72, nr_body 80.
        #expect(l.header_size == 88 && l.header_name == 8 && l.header_options == 72 && l.header_body == 80)
        // struct nmreq_register: nr_offset 0, nr_memsize 8, nr_tx_slots 16, nr_rx_slots 20, nr_tx_rings 24,
        // nr_rx_rings 26, nr_host_tx_rings 28, nr_host_rx_rings 30, nr_mem_id 32, nr_ringid 34, nr_mode 36,
        // nr_extra_bufs 40, nr_flags 48; 56 bytes.
        #expect(l.register_size == 56)
        #expect(l.register_memsize == 8 && l.register_tx_slots == 16 && l.register_tx_rings == 24)
        #expect(l.register_host_tx_rings == 28 && l.register_mem_id == 32 && l.register_ringid == 34)
        #expect(l.register_mode == 36 && l.register_extra_bufs == 40 && l.register_flags == 48)
    }

    @Test("shared memory: netmap_ring, netmap_slot and netmap_if, as the Swift side reads them")
    func sharedMemory() {
        // struct netmap_ring: buf_ofs 0, num_slots 8, nr_buf_size 12, ringid 16, dir 18, head 20, cur 24,
        // tail 28, flags 32, ts 40, offset_mask 56, buf_align 64, sem[128] at 128 (128-aligned), slot[] 256.
        #expect(NetmapRing.Layout.bufferOffset == 0 && NetmapRing.Layout.slotCount == 8)
        #expect(NetmapRing.Layout.bufferSize == 12 && NetmapRing.Layout.head == 20)
        #expect(NetmapRing.Layout.cur == 24 && NetmapRing.Layout.tail == 28 && NetmapRing.Layout.slots == 256)
        // struct netmap_slot: buf_idx 0, len 4, flags 6, ptr 8; 16 bytes.
        #expect(NetmapRing.Layout.slotSize == 16)
        // struct netmap_if: ni_name[16] 0, ni_version 16, ni_flags 20, ni_tx_rings 24, ni_rx_rings 28,
        // ni_bufs_head 32, ni_host_tx_rings 36, ni_host_rx_rings 40, ni_spare1[3] 44, ring_ofs[] 56.
        #expect(NetmapInterface.Layout.txRings == 24 && NetmapInterface.Layout.rxRings == 28)
        #expect(NetmapInterface.Layout.hostTxRings == 36 && NetmapInterface.Layout.ringOffsets == 56)
    }

    @Test(
        "register modes and flags: NR_REG_ALL_NIC 1, NR_REG_ONE_NIC 4, NR_TX_RINGS_ONLY 0x4000, NR_NO_TX_POLL 0x20000")
    func flags() {
        #expect(NetmapRegister.allNIC == 1 && NetmapRegister.oneNIC == 4)
        #expect(NetmapRegister.txRingsOnly == 0x4000 && NetmapRegister.noTxPoll == 0x20000)
    }
}
