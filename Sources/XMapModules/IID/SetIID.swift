import XMapCore

/// `set`: the host bits of the address in `--iid-args`.
public enum SetIID: IIDModule {
    public static let name = "set"
    public static let helpText =
        "IID module that uses the host part of the address given with --iid-args (e.g. --iid-args=::abcd:1234), and "
        + "counts up for --iid-num."

    public static func generator(args: String?, family: IPFamily) throws -> IIDGenerator {
        guard let args, !args.isEmpty else { throw XMapError("Set mode: NULL args for \(family)") }
        guard let a = IPAddress(args, family: family) else {
            throw XMapError("Set mode: unknown args `\(args)' for \(family)")
        }
        return .counting(start: a.value, descending: false)
    }
}
