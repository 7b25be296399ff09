import XMapCore
import XMapEngine

/// `--capture-buffer`: the capture ring's size, or one sized from the send rate and the probe
/// module's capture length.
struct CapturePlanBuilder {
    let options: XMapOptions

    /// The smallest and largest sizes `--capture-buffer` accepts.
    static let smallest = 1 << 20
    static let largest = 1 << 30

    func build(rate: Int, snaplen: Int) throws -> CapturePlan {
        guard let text = options.captureBuffer else {
            return CapturePlan(bufferBytes: CapturePlan.automaticBufferBytes(rate: rate, snaplen: snaplen))
        }
        return CapturePlan(bufferBytes: try Self.size(text))
    }

    /// A size in bytes: digits with an optional binary suffix K, M or G, between 1M and 1G.
    static func size(_ text: String) throws -> Int {
        var digits = Substring(text)
        var shift = 0
        if let last = digits.last, !last.isNumber {
            switch last {
            case "K", "k": shift = 10
            case "M", "m": shift = 20
            case "G", "g": shift = 30
            default: throw XMapError("invalid --capture-buffer '\(text)': use bytes or a number with K, M or G")
            }
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else {
            throw XMapError("invalid --capture-buffer '\(text)': use bytes or a number with K, M or G")
        }
        guard n <= largest >> shift, n << shift >= smallest else {
            throw XMapError("--capture-buffer must be between 1M and 1G (got \(text))")
        }
        return n << shift
    }
}
