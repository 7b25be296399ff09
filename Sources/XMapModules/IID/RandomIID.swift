import XMapCore

/// `rand`: random host bits, reproducible from `--seed` (XMap seeds it from the clock).
public enum RandomIID: IIDModule {
    public static let name = "rand"
    public static let helpText = "IID module that fills the host part with random bits, reproducible from --seed."
    public static func generator(args: String?, family: IPFamily) throws -> IIDGenerator { .random }
}
