#if canImport(Glibc)
import Glibc
#endif
import Synchronization
import XMapCore
import XMapIO

/// The `ztee` command (xmap invoked as `ztee`): ZMap's buffering output splitter. It copies
/// standard input to a file byte for byte and prints the address of each record on stdout
/// (`ZTeeRecords` says which). A reader thread takes input as fast as it comes into an unbounded
/// queue; the main thread writes the file and stdout, each batch of queued lines with one write
/// per destination; an optional monitor thread reports the rates once a second (`-m`, `-u`).
/// Exit status 0, or 1 after one fatal log line. Differences from ZMap: docs/zmap-users.md.
public enum ZTeeMain {
    /// Runs ztee with `arguments` (without the program name); never returns.
    public static func run(arguments: [String]) -> Never {
        InterruptSignal.ignoreBrokenPipes()
        var options = ZTeeOptions()
        let operands = ZMapTool.parse("ztee", arguments, table: ZTeeOptions.table, into: &options)
        if options.help { writeStdout(ZTeeOptions.helpText); exit(0) }
        if options.version { writeStdout(ZMapTool.version("ztee") + "\n"); exit(0) }

        Log.configure(level: .warn)
        if let path = options.logFile {
            guard let fd = try? LocalFiles.openForWriting(path) else { fail("Could not open log file") }
            Log.configure(level: .warn, fd: fd)
        }
        guard let outputPath = operands.first else { fail("No output file specified") }
        if operands.count > 1 { fail("Extra positional arguments starting with \(operands[1])") }
        let output: Int32
        do { output = try Posix.open(outputPath, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644) } catch {
            fail("Could not open output file \(outputPath), \(error.errnoText)")
        }
        var status: Int32? = nil
        if let path = options.statusUpdatesFile {
            do { status = try Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC, mode: 0o644) } catch {
                fail("unable to open status updates file \(path) (\(error.errnoText))")
            }
        }

        let input = InputPump()
        var batch = input.queue.takeAll() ?? []
        var records: ZTeeRecords? = nil
        if let first = batch.first {
            let firstLine = first.prefix(through: first.firstIndex(of: 10) ?? first.endIndex - 1)
            do {
                records = try ZTeeRecords(firstLine: firstLine, raw: options.raw, successOnly: options.successOnly)
            } catch {
                switch error {
                case .successNeedsRecords: fail("success filter requires csv input")
                case .noSuccessColumn: fail("Could not find success field")
                case .noAddressColumn: fail("Unable to find IP/SADDR field")
                }
            }
        }

        let finished = CompletionSignal()
        var monitor: OSThread? = nil
        if options.monitor || status != nil {
            monitor = startMonitor(input: input, toStderr: options.monitor, statusFile: status, finished: finished)
        }
        if var records {
            var toStdout: [UInt8] = []
            while true {
                var toFile: [UInt8] = []
                var lines = 0
                toStdout.removeAll(keepingCapacity: true)
                for block in batch {
                    toFile += block
                    var start = block.startIndex
                    while start < block.endIndex {
                        let end = block[start...].firstIndex(of: 10).map { $0 + 1 } ?? block.endIndex
                        if let warning = records.process(block[start..<end], into: &toStdout) {
                            Log.warn(warning, module: "ztee")
                        }
                        start = end
                        lines += 1
                    }
                }
                ZMapTool.write(toFile, to: output, orFail: "Error writing to output file", module: "ztee")
                ZMapTool.write(toStdout, to: 1, orFail: "Error writing to stdout", module: "ztee")
                input.linesWritten.add(lines, ordering: .relaxed)
                guard let next = input.queue.takeAll() else { break }
                batch = next
            }
        }
        Posix.close(output)
        finished.complete()
        monitor?.join()
        if let status { Posix.close(status) }
        exit(0)
    }

    /// A fatal log line from ztee, exit status 1.
    static func fail(_ message: String) -> Never { ZMapTool.fail(message, module: "ztee") }

    /// Standard input, read by its own thread into `queue` (blocks of whole lines) as fast as it
    /// arrives, with counts of the lines read and written (the difference is the buffer).
    final class InputPump: Sendable {
        let queue = BlockingQueue<[UInt8]>()
        /// Lines read so far.
        let linesRead = Atomic<Int>(0)
        /// Lines written to the file (and processed for stdout) so far.
        let linesWritten = Atomic<Int>(0)
        /// When reading started (`Posix.monotonicNanos`).
        let started = Posix.monotonicNanos()

        init() {
            do {
                _ = try OSThread.spawn(name: "ztee reader") { [self] in run() }
            } catch {
                ZTeeMain.fail("unable to start read thread: \(error.errnoText)")
            }
        }

        private func run() {
            var reader = LineBlockReader(fd: 0)
            while true {
                let block: LineBlockReader.Block
                do { block = try reader.next() } catch { ZTeeMain.fail("unable to read input: \(error.errnoText)") }
                guard case .lines(let bytes) = block else { break }
                var lines = 0
                for b in bytes where b == 10 { lines += 1 }
                if bytes.last != 10 { lines += 1 }
                linesRead.add(lines, ordering: .relaxed)
                queue.push(bytes)
            }
            queue.close()
        }
    }

    /// Starts the thread that, once a second until `finished`, prints the statistics on stderr
    /// and/or appends them to the status file (after its header line).
    static func startMonitor(
        input: InputPump, toStderr: Bool, statusFile: Int32?,
        finished: CompletionSignal
    ) -> OSThread {
        if let statusFile {
            ZMapTool.write(
                Array(ZTeeStatistics.statusHeader.utf8), to: statusFile,
                orFail: "unable to write to status updates file", module: "ztee")
        }
        do {
            return try OSThread.spawn(name: "ztee monitor") {
                var statistics = ZTeeStatistics()
                var deadline = input.started + 1_000_000_000
                while !finished.wait(until: deadline) {
                    let age = Double(Posix.monotonicNanos() - input.started) / 1e9
                    let read = input.linesRead.load(ordering: .relaxed)
                    let written = input.linesWritten.load(ordering: .relaxed)
                    let row = statistics.sample(age: age, totalRead: read, buffered: max(0, read - written))
                    if toStderr { writeStderr(ZTeeStatistics.monitorLine(row)) }
                    if let statusFile {
                        ZMapTool.write(
                            Array(ZTeeStatistics.statusLine(row).utf8), to: statusFile,
                            orFail: "unable to write to status updates file", module: "ztee")
                    }
                    deadline += 1_000_000_000
                }
            }
        } catch {
            fail("unable to create monitor thread: \(error.errnoText)")
        }
    }
}
