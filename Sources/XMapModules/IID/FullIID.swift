import XMapCore

/// `full`: every host bit one.
public enum FullIID: IIDModule {
    public static let name = "full"
    public static let helpText =
        "IID module that sets every bit of the host part (::ffff:ffff:ffff:ffff in a /64), and counts down for "
        + "--iid-num."
    public static func generator(args: String?, family: IPFamily) throws -> IIDGenerator {
        .counting(start: ~0, descending: true)
    }
}
