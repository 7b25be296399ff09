import XMapCore

/// `zero`: every host bit zero.
public enum ZeroIID: IIDModule {
    public static let name = "zero"
    public static let helpText = "IID module that leaves the host part zero (::), and counts up for --iid-num."
    public static func generator(args: String?, family: IPFamily) throws -> IIDGenerator {
        .counting(start: 0, descending: false)
    }
}
