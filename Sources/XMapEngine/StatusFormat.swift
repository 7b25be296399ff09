/// Number and time formatting for XMap's status line.
enum StatusFormat {
    /// `672 ` below 1000, else `35.05 K`, `104.8 K`, `1.20 M` … (powers of `base`).
    static func number(_ value: Double, base: Double = 1000) -> String {
        if value < 1000 { return "\(Int(value.rounded())) " }
        let units = ["K", "M", "G", "T"]
        var v = value / base
        var u = 0
        while v >= 1000 && u < units.count - 1 {
            v /= base
            u += 1
        }
        return fixed(v, v < 100 ? 2 : v < 1000 ? 1 : 0) + " " + units[u]
    }

    /// `%.Nf` without Foundation.
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let r = (v * scale).rounded()
        let whole = Int(r / scale)
        if decimals == 0 { return "\(whole)" }
        let frac = Int(r) - whole * Int(scale)
        var f = "\(abs(frac))"
        while f.count < decimals { f = "0" + f }
        return "\(whole).\(f)"
    }

    /// `m:ss`, `h:mm:ss` or `Nd h:mm:ss`, right-aligned to 5 characters.
    static func elapsed(_ seconds: Int) -> String {
        let d = seconds / 86400, h = (seconds / 3600) % 24, m = (seconds / 60) % 60, s = seconds % 60
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        let text: String
        if d > 0 {
            text = "\(d)d \(h):\(two(m)):\(two(s))"
        } else if h > 0 {
            text = "\(h):\(two(m)):\(two(s))"
        } else {
            text = "\(m):\(two(s))"
        }
        return text.count >= 5 ? text : String(repeating: " ", count: 5 - text.count) + text
    }

    /// Remaining time like XMap: `Ns`, `NmSSs`, `NhMMm`, `NdHHh`.
    static func remaining(_ seconds: Int) -> String {
        func two(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(two(seconds % 60))s" }
        if seconds < 86400 { return "\(seconds / 3600)h\(two((seconds / 60) % 60))m" }
        return "\(seconds / 86400)d\(two((seconds / 3600) % 24))h"
    }
}
