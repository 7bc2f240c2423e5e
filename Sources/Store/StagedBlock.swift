import GRDB
import Monitoring

/// The readings one commit stages, as the one row of `staged_block` that holds them.
///
/// The staged log is written on every commit of a live feed and read only by recovery (after a
/// crash, or when a process finds rows it did not stage): the writer folds from its memory. One
/// row of 25-byte records costs SQLite one insert a commit, where a row a reading cost one each
/// (an eighth of the writer's time under the `/write` benchmark).
///
/// Layout: a format byte (1), then per reading the series id and time (Int64), the value's
/// bits (Float64) little-endian, and the flag's letter (`N`, `M`, …).
struct StagedBlock {
    /// The bytes stored in the `data` column.
    let bytes: [UInt8]
    /// Readings in it.
    let count: Int

    static let format: UInt8 = 1
    static let recordBytes = 25

    /// Encodes `rows` in order.
    init(_ rows: [(series: Int64, time: Int64, value: Double, flag: DataFlag)]) {
        count = rows.count
        let size = 1 + rows.count * Self.recordBytes
        bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw[0] = Self.format
            var at = 1
            for row in rows {
                raw.storeBytes(of: row.series.littleEndian, toByteOffset: at, as: Int64.self)
                raw.storeBytes(of: row.time.littleEndian, toByteOffset: at + 8, as: Int64.self)
                raw.storeBytes(of: row.value.bitPattern.littleEndian, toByteOffset: at + 16, as: UInt64.self)
                raw[at + 24] = Self.letterOfFlag[row.flag.bit.trailingZeroBitCount]
                at += Self.recordBytes
            }
            initialized = size
        }
    }

    /// Appends the block to the staged log; returns its `seq`.
    func append(to db: Database) throws -> Int64 {
        let insert = try RawStatement(db, sql: "INSERT INTO staged_block (count, data) VALUES (?, ?)")
        insert.bind(Int64(count), at: 1)
        insert.bind(blob: bytes, at: 2)
        try insert.execute()
        return db.lastInsertedRowID
    }

    /// A block of bytes as they are (for tests that lay out a damaged log). Its count is
    /// rounded up: a block cut short still counts the reading it was cut from.
    init(bytes: [UInt8]) {
        self.bytes = bytes
        count = (bytes.count - 1 + Self.recordBytes - 1) / Self.recordBytes
    }

    /// Calls `body` with each reading of a stored block, in order. Throws ``StoreError`` (code
    /// `write`) naming `seq` when the bytes are not a block of this format: recovery then keeps
    /// the staged rows instead of folding part of them.
    static func decode(
        _ data: UnsafeRawBufferPointer, seq: Int64, _ body: (_ series: Int64, _ time: Int64, _ value: Double, _ flag: DataFlag) throws -> Void
    ) throws {
        guard data.count >= 1, data[0] == format, (data.count - 1) % recordBytes == 0 else {
            throw StoreError(
                .write, "staged block \(seq) is not a staged block of format \(format) (\(data.count) bytes); the staged rows are kept")
        }
        var at = 1
        while at < data.count {
            let series = Int64(littleEndian: data.loadUnaligned(fromByteOffset: at, as: Int64.self))
            let time = Int64(littleEndian: data.loadUnaligned(fromByteOffset: at + 8, as: Int64.self))
            let value = Double(bitPattern: UInt64(littleEndian: data.loadUnaligned(fromByteOffset: at + 16, as: UInt64.self)))
            guard let flag = flag(letter: data[at + 24]) else {
                throw StoreError(.write, "staged block \(seq) holds an unknown flag byte \(data[at + 24]); the staged rows are kept")
            }
            try body(series, time, value, flag)
            at += recordBytes
        }
    }

    /// The flag whose letter is `byte` (`N`, `M`, …), nil for a byte that is no flag's letter:
    /// staged flags are read without making a String of each.
    static func flag(letter byte: UInt8) -> DataFlag? { flagByLetter[Int(byte)] }

    private static let flagByLetter: [DataFlag?] = {
        var table = [DataFlag?](repeating: nil, count: 256)
        for flag in DataFlag.allCases { table[Int(flag.rawValue.utf8.first!)] = flag }
        return table
    }()

    /// Each flag's letter byte, by the position of its bit (``DataFlag/bit``).
    private static let letterOfFlag: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 8)
        for flag in DataFlag.allCases { table[flag.bit.trailingZeroBitCount] = flag.rawValue.utf8.first! }
        return table
    }()
}
