import XMapCore
import XMapEngine

/// When the scan stops: `-n`, `-k`, `-t`, `-N`, `-c`.
struct LimitsBuilder {
    let options: XMapOptions

    /// Every limit but `-n`, which needs the target space (`maxTargets`). Negative values get
    /// XMap's messages; 0 means no limit.
    func build() throws -> ScanLimits {
        var limits = ScanLimits()
        limits.cooldownSeconds = options.cooldownSecs ?? options.personality.defaultCooldown
        guard limits.cooldownSeconds >= 0 else { throw XMapError("invalid cooldown secs: `-c|--cooldown-secs='") }
        let packets = options.maxPackets ?? 0
        guard packets >= 0 else { throw XMapError("invalid max packets number: `-k|--max-packets='") }
        limits.maxPackets = UInt64(packets)
        limits.maxRuntime = options.maxRuntime ?? 0
        guard limits.maxRuntime >= 0 else { throw XMapError("invalid max runtime number: `-t|--max-runtime='") }
        let results = options.maxResults ?? 0
        guard results >= 0 else { throw XMapError("invalid max results number: `-N|--max-results='") }
        limits.maxResults = UInt64(results)
        return limits
    }

    /// `-n N` (0: no limit, as XMap) or ZMap's `-n N%`: a percentage of 2^max-len prefixes times
    /// the ports, which for IPv4 at `-x 32` is ZMap's 2^32 × ports (not the allowed space).
    /// Capped at 2^64 − 1.
    static func maxTargets(_ text: String?, maxLen: Int, ports: Int) throws -> UInt64 {
        guard let text else { return 0 }
        if text.hasSuffix("%") {
            guard let pct = Double(text.dropLast()), pct > 0, pct <= 100 else {
                throw XMapError("invalid --max-targets percentage '\(text)'")
            }
            let space = Double(sign: .plus, exponent: maxLen, significand: 1) * Double(ports)
            // Truncated, as ZMap does (0.0001% of 2^32 is 4,294).
            let n = (space * pct / 100).rounded(.down)
            return n >= Double(UInt64.max) ? UInt64.max : UInt64(n)
        }
        if let v = UInt64(text) { return v }
        if let v = Int64(text), v < 0 { throw XMapError("invalid max target number: `-n|--max-targets='") }
        throw XMapError("invalid --max-targets '\(text)'")
    }
}
