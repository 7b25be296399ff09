import XMapFuzzTargets

/// The target libFuzzer drives, chosen by `XMAP_FUZZ_TARGET` (read once).
let fuzzedTarget: FuzzTarget = {
    let name = getenv("XMAP_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    guard let target = FuzzTarget.named(name) else {
        fatalError("set XMAP_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
    }
    return target
}()

/// libFuzzer's entry point (in `make fuzz` builds, libFuzzer's `main` calls it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

#if canImport(Glibc)
import Glibc
#endif
