#if NETMAP
#if canImport(Glibc)
import Glibc
#endif
import XMapCore

/// `--netmap-wait-ping` with the netmap backend, where the kernel no longer sees the interface:
/// echo requests go out on TX ring 0 of the main port, replies and the gateway's ARP or
/// neighbor requests come in through the capture (ZMap's wait-ping phase in `recv-netmap.c`).
/// Runs before the senders start, so ring 0 has no other writer.
public enum NetmapEchoWait {
    /// Sends an echo request to `address` once a second until one is answered.
    /// - Throws: `XMapError` after `timeoutSeconds` without a reply.
    public static func wait(
        for address: IPAddress, from source: IPAddress, link: EthernetHeader, port: NetmapPort,
        capture: NetmapCapture, control: NetmapControlQueue, timeoutSeconds: Int = 60
    ) throws {
        let ring = port.txRing(0)
        func send(_ frame: [UInt8]) {
            frame.withUnsafeBytes { b in _ = ring.push(b.baseAddress!, length: b.count) }
            ring.sync()
        }
        try EchoWait.loop(for: address, timeoutSeconds: timeoutSeconds) { identifier, sequence in
            send(
                EchoRequestFrame.build(
                    link: link, source: source, destination: address, identifier: identifier, sequence: sequence))
        } answered: { identifier, _ in
            var answered = false
            _ = try capture.next { ip in
                if EchoRequestFrame.isReply(ip, from: address, identifier: identifier) { answered = true }
            }
            if control.hasPending { for frame in control.take() { send(frame) } }
            return answered
        }
    }
}
#endif
