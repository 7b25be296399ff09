import XMapIO

/// What the scan gives up once it is set up (see `Privileges`).
public struct PrivilegePlan: Sendable {
    /// Drop privileges and filter system calls after set-up (false: `--no-drop-privileges` or
    /// `--user root`).
    public var drop = true
    /// The user a scan started as root becomes.
    public var user: ScanUser?

    public init(drop: Bool = true, user: ScanUser? = nil) {
        self.drop = drop
        self.user = user
    }

    /// Gives up privileges as planned (nothing when `drop` is false).
    func apply() throws {
        guard drop else { return }
        try Privileges.dropAfterSetup(to: user)
    }
}
