// xmap-fuzz. Built with `-DXMAP_LIBFUZZER` (`make fuzz`: AddressSanitizer, coverage, and
// libFuzzer's no-main library), it hands the target named by XMAP_FUZZ_TARGET to libFuzzer.
// Built normally, it lists the fuzz targets, writes their seed corpora, or replays inputs (files,
// folders, deterministic random bytes) through one.
#if canImport(Glibc)
import Glibc
#endif
import XMapCore
import XMapFuzzTargets

#if XMAP_LIBFUZZER
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

if getenv("XMAP_FUZZ_LIST") != nil {
    for t in FuzzTarget.all { print(t.name) }
    exit(0)
}
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
_ = fuzzedTarget  // fail at once on a bad XMAP_FUZZ_TARGET
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
#else

func usage() -> Never {
    print(
        """
        usage: xmap-fuzz list
               xmap-fuzz seeds DIR                        write each target's seed corpus to DIR/NAME/
               xmap-fuzz run NAME [--random N] [PATH...]  replay files (or every file in a folder) and N random inputs
        """)
    exit(2)
}

/// The files at `path`: the file itself, or every regular file in the folder.
func files(at path: String) -> [String] {
    guard let dir = opendir(path) else { return [path] }
    defer { closedir(dir) }
    var out: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) {
            String(cString: $0.baseAddress!.assumingMemoryBound(to: CChar.self))
        }
        if name != "." && name != ".." { out.append(path + "/" + name) }
    }
    return out.sorted()
}

func read(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        if n == 0 { break }
        out += buffer[0..<n]
    }
    return out
}

let args = Array(CommandLine.arguments.dropFirst())
switch args.first {
case "list":
    for t in FuzzTarget.all { print("\(t.name)\t\(t.summary)") }
case "seeds":
    guard args.count == 2 else { usage() }
    for t in FuzzTarget.all {
        let dir = args[1] + "/" + t.name
        var partial = ""
        for component in dir.split(separator: "/", omittingEmptySubsequences: false) {
            partial += (partial.isEmpty && !dir.hasPrefix("/") ? "" : "/") + component
            mkdir(partial, 0o755)
        }
        for (i, seed) in t.seeds().enumerated() {
            guard let f = fopen(dir + "/seed-\(i)", "wb") else {
                print("xmap-fuzz: cannot write \(dir)/seed-\(i)")
                exit(1)
            }
            _ = seed.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
            fclose(f)
        }
    }
case "run":
    guard args.count >= 2, let target = FuzzTarget.named(args[1]) else { usage() }
    var rest = Array(args.dropFirst(2))
    var random = 0
    if rest.first == "--random", rest.count >= 2, let n = Int(rest[1]) {
        random = n
        rest.removeFirst(2)
    }
    var runs = 0
    for path in rest.flatMap(files(at:)) {
        guard let bytes = read(path) else { continue }
        bytes.withUnsafeBytes { target.run($0) }
        runs += 1
    }
    var rng = SplitMix64(seed: 1)
    for _ in 0..<random {
        let bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        bytes.withUnsafeBytes { target.run($0) }
        runs += 1
    }
    print("fuzz \(target.name): \(runs) runs, 0 crashes (replay)")
default:
    usage()
}
#endif
