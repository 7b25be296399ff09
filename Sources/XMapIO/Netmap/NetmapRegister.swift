/// netmap's register modes and flags, from its published header (`net/netmap.h`, API 14):
/// `NR_REG_ALL_NIC`, `NR_REG_ONE_NIC`, `NR_TX_RINGS_ONLY`, `NR_NO_TX_POLL`.
public enum NetmapRegister {
    public static let allNIC: UInt32 = 1, oneNIC: UInt32 = 4
    public static let txRingsOnly: UInt64 = 0x4000, noTxPoll: UInt64 = 0x20000
}
