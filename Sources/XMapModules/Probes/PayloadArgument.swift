import XMapCore

/// Parses XMap's payload `--probe-args`: `text:STRING`, `hex:0102…`, `file:/path`.
public enum PayloadArgument {
    /// The payload bytes, `defaultPayload` when `args` is nil or empty.
    /// - Throws: `XMapError` for an unknown form, bad hex or an oversized payload.
    public static func parse(
        _ args: String?, defaultPayload: [UInt8], limit: Int, module: String,
        forms: String = "file:/path or text:STRING or hex:01020304",
        files: any FileSource
    ) throws -> [UInt8] {
        guard let args, !args.isEmpty else { return defaultPayload }
        let payload: [UInt8]
        if args.hasPrefix("text:") {
            payload = Array(args.dropFirst(5).utf8)
        } else if args.hasPrefix("hex:") {
            payload = try hex(String(args.dropFirst(4)))
        } else if args.hasPrefix("file:") {
            payload = try files.contents(of: String(args.dropFirst(5)), limit: limit)
        } else {
            throw XMapError("unknown \(module) probe specification '\(args)' (expected \(forms))")
        }
        if payload.count > limit {
            throw XMapError("\(module) payload is \(payload.count) bytes; at most \(limit) fit on the wire")
        }
        return payload
    }

    /// Decodes a hex string of even length.
    public static func hex(_ s: String) throws -> [UInt8] {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { throw XMapError("invalid hex input (length must be a multiple of 2)") }
        var out: [UInt8] = []
        out.reserveCapacity(u.count / 2)
        func nibble(_ c: UInt8) throws -> UInt8 {
            switch c {
            case 48...57: return c - 48
            case 97...102: return c - 87
            case 65...70: return c - 55
            default: throw XMapError("non-hex character: '\(Character(Unicode.Scalar(c)))'")
            }
        }
        var i = 0
        while i < u.count {
            out.append(try nibble(u[i]) << 4 | nibble(u[i + 1]))
            i += 2
        }
        return out
    }
}
