/// An error whose message is meant for the user: one line, no stack trace.
public struct XMapError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The one-line message, e.g. `invalid target port: 70000`.
    public let message: String

    /// The log module the error is reported under (`xmap` unless a subsystem says otherwise).
    public let module: String

    public init(_ message: String, module: String = "xmap") {
        self.message = message
        self.module = module
    }

    public var description: String { message }
}
