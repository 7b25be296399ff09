/// An error whose message is meant for the user: one line, no stack trace.
public struct XMapError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The one-line message, e.g. `invalid target port: 70000`.
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
