public import Store

/// What an import did: rows and values read, what the store kept, and every rejection by reason.
public struct ImportReport: Sendable, Codable {
    /// The file imported.
    public var file: String
    /// Data rows read (the header not included).
    public var rowsRead = 0
    /// Rows rejected as a whole (malformed, bad time, unknown station).
    public var rowsRejected = 0
    /// Value cells that held something other than a "missing" marker.
    public var valuesRead = 0
    /// Value cells marked missing (`NA`, empty…).
    public var valuesMissing = 0
    /// Values rejected one by one (not a number, out of range…).
    public var valuesRejected = 0
    /// What the store did with the accepted values.
    public var store = WriteSummary()
    /// Rejections grouped by reason, in the order first seen.
    public var rejections: [Rejection] = []

    /// One reason for rejecting, how often it happened and where first.
    public struct Rejection: Sendable, Codable, Hashable {
        /// The reason, e.g. `unknown station 'Foo'`.
        public var reason: String
        /// How many rows or values it rejected.
        public var count: Int
        /// The first few line numbers (1-based, the header is line 1).
        public var lines: [Int]
    }

    /// The number of line numbers kept per reason.
    public static let linesKept = 5

    /// Creates an empty report for `file`.
    public init(file: String) { self.file = file }

    private var index: [String: Int] = [:]

    enum CodingKeys: String, CodingKey {
        case file, rowsRead, rowsRejected, valuesRead, valuesMissing, valuesRejected, store, rejections
    }

    /// Records a rejection.
    public mutating func reject(_ reason: String, line: Int, wholeRow: Bool) {
        if wholeRow { rowsRejected += 1 } else { valuesRejected += 1 }
        if let i = index[reason] {
            rejections[i].count += 1
            if rejections[i].lines.count < ImportReport.linesKept { rejections[i].lines.append(line) }
        } else {
            index[reason] = rejections.count
            rejections.append(Rejection(reason: reason, count: 1, lines: [line]))
        }
    }

    /// Whether anything at all ended up in the store (new, unchanged or replaced).
    public var storedAnything: Bool { store.stored > 0 }
}
