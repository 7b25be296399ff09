import XMapCore

/// `low_fill`: the last 16 host bits set (`::ffff`), for periphery discovery (`icmp_echo_gw`).
public enum LowFillIID: IIDModule {
    public static let name = "low_fill"
    public static let helpText =
        "IID module that sets the last 16 bits of the host part (::ffff), for periphery discovery with icmp_echo_gw, "
        + "and counts down for --iid-num."
    public static func generator(args: String?, family: IPFamily) throws -> IIDGenerator {
        .counting(start: 0xFFFF, descending: true)
    }
}
