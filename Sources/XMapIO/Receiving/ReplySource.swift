/// The receive side of the packet I/O seam: where the receive thread gets candidate replies.
/// A source hands over IP packets; link-layer framing (Ethernet, Linux cooked capture, raw IP)
/// is its own business.
public protocol ReplySource: AnyObject {
    /// Passes the next IP packet of the scan's family to `body`, waiting up to a short poll
    /// interval for one. Returns false when none arrived in that time.
    /// - Throws: `XMapError` when the source fails.
    func next(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool

    /// Passes the next IP packet already captured to `body`, without waiting. Returns false when
    /// the source holds none (the receiver drains the buffer this way when the cooldown ends).
    func nextIfReady(_ body: (UnsafeRawBufferPointer) -> Void) throws -> Bool

    /// Packets received and dropped, for the status line and the metadata.
    func statistics() -> CaptureStatistics
}

/// A reply source's counters.
public struct CaptureStatistics: Sendable, Equatable {
    /// Packets that passed the filter.
    public var received: UInt64
    /// Dropped because the buffer was full.
    public var dropped: UInt64
    /// Dropped by the interface.
    public var interfaceDropped: UInt64
    /// Frames without an IP packet of the scan's family (not handed over).
    public var unframed: UInt64

    public init(received: UInt64 = 0, dropped: UInt64 = 0, interfaceDropped: UInt64 = 0, unframed: UInt64 = 0) {
        self.received = received
        self.dropped = dropped
        self.interfaceDropped = interfaceDropped
        self.unframed = unframed
    }
}
