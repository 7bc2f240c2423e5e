import NIOCore
import PostgresNIO

/// A row's cells read in order, by hand: binary integers, floats and text straight from their
/// bytes. postgres-nio's generic `decode` of a tuple instantiates generic metadata per row; on
/// the year's 8,760 hourly rollups of a trend it was 44 % of the request's CPU (p99 56–64 ms
/// against 17 ms on SQLite). A cell in text format, or of a type not handled here, goes through
/// postgres-nio's `decode`, which decides.
struct PostgresCells {
    private var cells: PostgresRow.Iterator

    init(_ row: PostgresRow) { cells = row.makeIterator() }

    private mutating func next() throws -> PostgresCell {
        guard let cell = cells.next() else { throw PostgresDecodingError.Code.missingData }
        return cell
    }

    /// An integer column (smallint, integer or bigint).
    mutating func int64() throws -> Int64 {
        let cell = try next()
        guard let value = Self.integer(cell) else { return try cell.decode(Int64.self) }
        return value
    }

    /// A double precision (or real) column that may be NULL.
    mutating func optionalDouble() throws -> Double? {
        let cell = try next()
        guard cell.bytes != nil else { return nil }
        guard let value = Self.double(cell) else { return try cell.decode(Double.self) }
        return value
    }

    /// A double precision (or real) column.
    mutating func double() throws -> Double {
        let cell = try next()
        guard let value = Self.double(cell) else { return try cell.decode(Double.self) }
        return value
    }

    /// A text column.
    mutating func string() throws -> String {
        let cell = try next()
        guard cell.format == .binary, cell.dataType == .text || cell.dataType == .varchar, let bytes = cell.bytes else {
            return try cell.decode(String.self)
        }
        return String(buffer: bytes)
    }

    private static func integer(_ cell: PostgresCell) -> Int64? {
        guard cell.format == .binary, let bytes = cell.bytes else { return nil }
        switch (cell.dataType, bytes.readableBytes) {
        case (.int8, 8): return bytes.getInteger(at: bytes.readerIndex, as: Int64.self)
        case (.int4, 4): return bytes.getInteger(at: bytes.readerIndex, as: Int32.self).map(Int64.init)
        case (.int2, 2): return bytes.getInteger(at: bytes.readerIndex, as: Int16.self).map(Int64.init)
        default: return nil
        }
    }

    private static func double(_ cell: PostgresCell) -> Double? {
        guard cell.format == .binary, let bytes = cell.bytes else { return nil }
        switch (cell.dataType, bytes.readableBytes) {
        case (.float8, 8): return bytes.getInteger(at: bytes.readerIndex, as: UInt64.self).map(Double.init(bitPattern:))
        case (.float4, 4): return bytes.getInteger(at: bytes.readerIndex, as: UInt32.self).map { Double(Float(bitPattern: $0)) }
        default: return nil
        }
    }
}

/// One-dimensional arrays in PostgreSQL's binary format (`array_send`), read by hand: a long
/// read asks for one row of columns (`array_agg` of each) instead of thousands of rows, since
/// postgres-nio's cost is per row (its message, state machine and row sequence): a year's 8,760
/// hourly rollups took ~20 ms as rows, against 2 ms in the server.
enum PostgresArray {
    /// The elements of an integer array (smallint[], integer[] or bigint[]); NULL elements and a
    /// NULL array read as none, and anything else is `nil`.
    static func integers(_ cell: PostgresCell) -> [Int64]? {
        elements(cell) { buffer, length in
            switch length {
            case 8: return buffer.getInteger(at: buffer.readerIndex, as: Int64.self)
            case 4: return buffer.getInteger(at: buffer.readerIndex, as: Int32.self).map(Int64.init)
            case 2: return buffer.getInteger(at: buffer.readerIndex, as: Int16.self).map(Int64.init)
            default: return nil
            }
        }?.map { $0 ?? 0 }
    }

    /// The elements of a double precision array, NULL elements as `nil`.
    static func doubles(_ cell: PostgresCell) -> [Double?]? {
        elements(cell) { buffer, length in
            length == 8 ? buffer.getInteger(at: buffer.readerIndex, as: UInt64.self).map(Double.init(bitPattern:)) : nil
        }
    }

    /// Walks the array: header (dimensions, null flag, element type, then size and lower bound
    /// per dimension), then each element as its length (-1 for NULL) and bytes.
    private static func elements<T>(_ cell: PostgresCell, _ read: (ByteBuffer, Int) -> T?) -> [T?]? {
        guard cell.format == .binary else { return nil }
        guard var buffer = cell.bytes else { return [] }
        guard let dimensions = buffer.readInteger(as: Int32.self), buffer.readInteger(as: Int32.self) != nil,
            buffer.readInteger(as: UInt32.self) != nil
        else { return nil }
        if dimensions == 0 { return [] }
        guard dimensions == 1, let count = buffer.readInteger(as: Int32.self), count >= 0, buffer.readInteger(as: Int32.self) != nil
        else { return nil }
        var out: [T?] = []
        out.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let length = buffer.readInteger(as: Int32.self) else { return nil }
            if length < 0 {
                out.append(nil)
                continue
            }
            guard let element = buffer.readSlice(length: Int(length)), let value = read(element, Int(length)) else { return nil }
            out.append(value)
        }
        return out
    }
}
