public import Monitoring
public import Store
import EnvmonConfig
import Foundation

/// Imports a CSV file through a mapping: validates each row, converts units, and hands the
/// readings to the store in chunks.
///
/// Two stages run side by side: this task reads and checks the rows of chunk N+1 (see
/// ``ImportRowParser``) while the store commits chunk N, on the store's own thread. At most one
/// chunk is being committed and one being filled (plus one full chunk held until the next has a
/// reading, to know which is the last), and the file is streamed through a fixed buffer, so
/// memory does not grow with the file.
///
/// A bad row or value never stops the import: it is rejected with its reason and line, counted,
/// and the rest of the file goes on. Batches already committed stay committed if the store fails.
public struct CSVImporter: Sendable {
    /// The mapping of the file's columns.
    public let mapping: ImportMapping
    /// The stations readings may belong to.
    public let stations: StationRegistry
    /// Samples handed to the store at once. Keep it at least the writer's `maxBatch` (100,000 by
    /// default): a smaller chunk that is not the file's last would wait for the writer's
    /// `maxDelay` before it is committed.
    public var chunkSize = 100_000

    /// Creates an importer.
    public init(mapping: ImportMapping, stations: StationRegistry) {
        self.mapping = mapping
        self.stations = stations
    }

    /// Imports one file.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - submit: stores a chunk and returns what became of it. Its second argument is true
    ///     for the file's last chunk: nothing follows it, so a ``BatchingWriter`` should commit it
    ///     at once (`submit(_:commitAtOnce:)`) instead of waiting for more samples.
    ///   - progress: called now and then with the fraction of the file read.
    /// - Returns: the report; see ``ImportReport/storedAnything``.
    /// - Throws: ``CollectorError`` when the file cannot be read, its header lacks a mapped column,
    ///   or the store fails (the report up to then is lost, the committed batches are not).
    public func run(
        path: String, submit: @escaping @Sendable (_ samples: [Sample], _ isLast: Bool) async throws -> WriteSummary,
        progress: @Sendable (Double) -> Void = { _ in }
    ) async throws(CollectorError) -> ImportReport {
        var parser = try ImportRowParser(path: path, mapping: mapping, stations: stations)
        var stored = WriteSummary()
        var inFlight: Task<WriteSummary, any Error>?

        // One chunk commits while the next is filled. A chunk is handed over only once the one
        // before it is committed, so chunks reach the store in file order and at most one
        // chunk's samples exist at a time (the chunk being filled is kept compact).
        func settle() async throws(CollectorError) {
            guard let previous = inFlight else { return }
            inFlight = nil
            do { stored.merge(try await previous.value) } catch {
                throw CollectorError(.store, "the store refused a batch from \(path)", underlying: error)
            }
        }
        func start(_ samples: [Sample], isLast: Bool) {
            inFlight = Task { try await submit(samples, isLast) }
        }

        // A full chunk is held until a reading of the next one is made: only then is it known
        // not to be the last (the rows after it may all be rejected, or there may be none).
        var held: [ImportReading]?
        var chunk = newChunk()
        while true {
            let more = parser.fill(&chunk, upTo: held == nil ? chunkSize : 1, progress: progress)
            if let full = held {
                held = nil
                try await settle()
                start(parser.samples(full), isLast: chunk.isEmpty)
                if chunk.isEmpty { break }
                if more { continue }
            }
            if !more {
                if !chunk.isEmpty {
                    try await settle()
                    start(parser.samples(chunk), isLast: true)
                }
                break
            }
            held = chunk
            chunk = newChunk()
        }
        try await settle()
        if parser.readFailed {
            throw CollectorError(.unreadable, "cannot read \(path) to its end: a read error after line \(parser.line)")
        }
        progress(1)
        var report = parser.report
        report.store.merge(stored)
        return report
    }

    private func newChunk() -> [ImportReading] {
        var chunk: [ImportReading] = []
        chunk.reserveCapacity(chunkSize)
        return chunk
    }
}
