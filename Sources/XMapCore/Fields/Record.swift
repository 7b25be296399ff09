/// One result: a value for every field of its `RecordSchema`, in schema order. The receive
/// thread keeps one record and refills it for each reply (`reset` keeps the storage).
public struct Record: Sendable {
    public let schema: RecordSchema
    @usableFromInline var storage: [FieldValue]
    /// Whether `setIPFields` fills `saddr_raw` and `daddr_raw` (off when nothing reads them: over
    /// IPv6 they are two allocations per reply).
    public var fillsRawAddresses = true

    public init(schema: RecordSchema) {
        self.schema = schema
        storage = [FieldValue](repeating: .null, count: schema.slotCount)
    }

    /// The values, `values[i]` for `schema.fields[i]`.
    public var values: [FieldValue] { storage }

    /// Sets every value to null.
    public mutating func reset() {
        for i in storage.indices { storage[i] = .null }
    }

    /// A module field's value.
    @inlinable public subscript<F: ModuleFields>(field: F) -> FieldValue {
        get { storage[schema.moduleStart + field.rawValue] }
        set { storage[schema.moduleStart + field.rawValue] = newValue }
    }

    /// A system field's value.
    @inlinable public subscript(field: SystemField) -> FieldValue {
        get { storage[schema.slot(field)] }
        set { storage[schema.slot(field)] = newValue }
    }

    /// The value in slot `index`.
    @inlinable public subscript(index: Int) -> FieldValue {
        get { storage[index] }
        set { storage[index] = newValue }
    }

    /// Fills the IP fields from a reply: `source` is what `saddr` reports (for ICMP errors, the
    /// probed target), the rest comes from the reply's header.
    public mutating func setIPFields(source: UInt128, header: IPHeaderView) {
        let family = schema.family
        storage[0] = .address(IPAddress(family: family, value: source))
        storage[1] = .address(IPAddress(family: family, value: header.destination))
        if family == .v4 {
            storage[2] = .int(UInt64(header.ipid))
            storage[3] = .int(UInt64(header.ttl))
        } else {
            storage[2] = .int(UInt64(header.ttl))
        }
        guard fillsRawAddresses else { return }
        let raw = schema.rawAddressSlots
        if family == .v4 {
            storage[raw.source] = .int(UInt64(UInt32(truncatingIfNeeded: source).byteSwapped))
            storage[raw.destination] = .int(UInt64(UInt32(truncatingIfNeeded: header.destination).byteSwapped))
        } else {
            storage[raw.source] = .binary(IPAddress(family: .v6, value: source).bytes)
            storage[raw.destination] = .binary(IPAddress(family: .v6, value: header.destination).bytes)
        }
    }

    /// Whether the module classified the reply as a success.
    public var isSuccess: Bool { (storage[schema.success].numeric ?? 0) != 0 }

    /// Whether the application-level answer is a success (false for modules without one).
    public var isAppSuccess: Bool { schema.appSuccess.map { (storage[$0].numeric ?? 0) != 0 } ?? false }
}

/// The fields an output module writes: the names as the user asked for them, and where each is
/// in the record. Resolved once, when the scan is planned.
public struct FieldSelection: Sendable, Equatable {
    public let names: [String]
    public let slots: [Int]

    /// Resolves `names` against `schema`; `*` alone selects every field.
    /// - Throws: `XMapError` naming the first field the record does not have.
    public init(_ names: [String], schema: RecordSchema) throws {
        if names == ["*"] {
            self.names = schema.fields.map(\.name)
            slots = Array(schema.fields.indices)
            return
        }
        var slots: [Int] = []
        for n in names {
            guard let i = schema.index(of: n) else {
                throw XMapError("specified field (\(n)) not available in selected probe module")
            }
            slots.append(i)
        }
        self.names = names
        self.slots = slots
    }
}
