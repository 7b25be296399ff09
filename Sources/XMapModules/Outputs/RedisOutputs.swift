import XMapCore

/// `redis-csv`: each result as a CSV line (no header, no newline) pushed to a Redis list, as
/// XMap's module does; `--output-args` names the server and list (`RedisEndpoint`).
public struct RedisCSVOutput: OutputModule {
    public static let name = "redis-csv"
    public static let supportsDynamicOutput = false
    public static let helpText =
        "Pushes each result as one CSV line (the selected fields, no header) to a Redis list with pipelined RPUSH "
        + "commands of 1000 results. --output-args=tcp://HOST:PORT/LIST or local:///PATH/TO/SOCKET/LIST (default "
        + "local:///tmp/redis.sock/xmap). When Redis fails, xmap reconnects and resends, then stops with one "
        + "fatal line; results not delivered are counted and the exit status is 1."
    public static let redisBatch: Int? = 1000
    let csv: CSVOutput

    public init(selection: FieldSelection) { csv = CSVOutput(selection: selection) }
    public func header() -> [UInt8] { [] }

    public func append(_ record: Record, to out: inout [UInt8]) {
        csv.append(record, to: &out)
        out.removeLast()  // the newline: one list element per result
    }
}

/// `redis-packed`: each result's source address, packed (4 bytes for IPv4, 16 for IPv6, network
/// byte order: the `saddr_raw` field's bytes), pushed to a Redis list in `RPUSH`es of 500.
/// XMap's module needed a `saddr_raw` field no XMap probe module had; here every module has it.
public struct RedisPackedOutput: OutputModule {
    public static let name = "redis-packed"
    public static let supportsDynamicOutput = false
    public static let helpText =
        "Pushes each result's source address, packed in network byte order (4 bytes for IPv4, 16 for IPv6: the "
        + "saddr_raw field), as one element of a Redis list, with pipelined RPUSH commands of 500 results. Takes "
        + "only -f saddr_raw (the default). --output-args=tcp://HOST:PORT/LIST or local:///PATH/TO/SOCKET/LIST "
        + "(default local:///tmp/redis.sock/xmap_output)."
    public static let redisBatch: Int? = 500
    public static let defaultFields = ["saddr_raw"]
    public static let defaultRedisArguments = "local:///tmp/redis.sock/xmap_output"
    let slot: Int

    public init(selection: FieldSelection) { slot = selection.slots.first ?? 0 }
    public func header() -> [UInt8] { [] }

    public func append(_ record: Record, to out: inout [UInt8]) {
        switch record[slot] {
        case .int(let n):  // IPv4 saddr_raw: the wire bytes read as a little-endian integer
            for i in 0..<4 { out.append(UInt8(truncatingIfNeeded: n >> UInt64(8 * i))) }
        case .binary(let bytes): out.append(contentsOf: bytes)
        case .address(let a): out.append(contentsOf: a.bytes)
        default: break
        }
    }
}
