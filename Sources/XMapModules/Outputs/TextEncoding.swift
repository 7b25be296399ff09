/// Appends decimal text without going through String.
@inlinable func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
    if v == 0 { out.append(48); return }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: UInt64.max has 20 digits
    var n = v, count = 0
    withUnsafeMutableBytes(of: &digits) { d in
        while n > 0 {
            d[count] = UInt8(n % 10) + 48
            n /= 10
            count += 1
        }
        while count > 0 {
            count -= 1
            out.append(d[count])
        }
    }
}

@usableFromInline let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Appends lower-case hex of `bytes`.
@inlinable func appendHex(_ bytes: [UInt8], to out: inout [UInt8]) {
    for b in bytes {
        out.append(hexDigits[Int(b >> 4)])
        out.append(hexDigits[Int(b & 15)])
    }
}
