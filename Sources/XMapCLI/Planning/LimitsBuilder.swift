import XMapCore
import XMapEngine

/// When the scan stops: `-n`, `-k`, `-t`, `-N`, `-c`.
struct LimitsBuilder {
    let options: XMapOptions

    /// Every limit but `-n`, which needs the target space (`maxTargets`).
    func build() throws -> ScanLimits {
        var limits = ScanLimits()
        limits.maxPackets = options.maxPackets ?? 0
        limits.maxRuntime = options.maxRuntime ?? 0
        limits.maxResults = options.maxResults ?? 0
        limits.cooldownSeconds = options.cooldownSecs ?? 5
        guard limits.cooldownSeconds >= 0 else { throw XMapError("--cooldown-secs must not be negative") }
        guard limits.maxRuntime >= 0 else { throw XMapError("--max-runtime must not be negative") }
        return limits
    }

    /// `-n N` or ZMap's `-n N%`: a percentage of 2^max-len prefixes times the ports, which for
    /// IPv4 at `-x 32` is ZMap's 2^32 × ports (not the allowed space). Capped at 2^64 − 1.
    static func maxTargets(_ text: String?, maxLen: Int, ports: Int) throws -> UInt64 {
        guard let text else { return 0 }
        if text.hasSuffix("%") {
            guard let pct = Double(text.dropLast()), pct > 0, pct <= 100 else {
                throw XMapError("invalid --max-targets percentage '\(text)'")
            }
            let space = Double(sign: .plus, exponent: maxLen, significand: 1) * Double(ports)
            let n = (space * pct / 100).rounded(.up)
            return n >= Double(UInt64.max) ? UInt64.max : UInt64(n)
        }
        guard let v = UInt64(text), v > 0 else { throw XMapError("invalid --max-targets '\(text)'") }
        return v
    }
}
