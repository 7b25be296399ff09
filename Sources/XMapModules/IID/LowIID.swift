import XMapCore

/// `low` (the default): the lowest host bit set, `::1` in a /64.
public enum LowIID: IIDModule {
    public static let name = "low"
    public static let helpText =
        "IID module that sets the lowest bit of the host part (::1), and counts up for --iid-num."
    public static func generator(args: String?, family: IPFamily) throws -> IIDGenerator {
        .counting(start: 1, descending: false)
    }
}
