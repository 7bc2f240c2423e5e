import ArgumentParser
#if os(Linux)
import CMallocTuning
#endif
import Collectors
import EnvmonConfig
import Foundation
import Monitoring
import PostgresStore
import Store

/// `envmon import`: loads CSV files into the store through a mapping.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import readings from CSV files described by a mapping file.",
        discussion: """
            Every row is checked: malformed rows, unknown stations or parameters, values that are not \
            numbers or lie outside the instrument range, and local times that do not exist are rejected \
            with their reason and line, counted, and the rest of the file is imported. Re-importing a file \
            stores nothing new. Exits non-zero when nothing at all could be stored.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(name: .long, help: "The YAML mapping of the files' columns (see seeds/*.mapping.yaml).")
    var mapping: String

    @Option(name: .long, help: "Report format: text or json.")
    var format: ReportFormat = .text

    @Flag(
        name: .long,
        help: """
            Beside a running daemon, write the store directly (in short transactions) instead of through the daemon's HTTP ingest; with --store-url, keep the readings out of the rule leader's log (the rules do not see them).
            """)
    var direct = false

    @Argument(help: "The CSV files to import.")
    var files: [String]

    enum ReportFormat: String, ExpressibleByArgument { case text, json }

    func run() async throws {
        #if os(Linux)
        // A batch of 200,000 samples is some 14 MB, and the importer and the store make a few
        // arrays of a few MB for each. glibc hands such blocks out mmapped and returns them to
        // the system when freed, but only until the first is freed: then it raises its threshold
        // past them, keeps them in its heaps and holds on to the freed memory (peak RSS of a
        // 5 M-sample import 190-205 MB instead of 147 MB). A fixed threshold keeps them mmapped.
        mallopt(M_MMAP_THRESHOLD, 1 << 20)
        #endif
        let stations = try store.loadStations()
        let map: ImportMapping
        do { map = try ImportMapping(path: mapping) } catch { throw CLIError("\(error)") }
        if let configuration = try postgres.configuration() {
            return try await importIntoPostgres(configuration, stations: stations, mapping: map)
        }
        let besideDaemon = StoreDaemonLock.isHeld(storePath: store.db)
        if besideDaemon, !direct, let address = StoreDaemonLock.httpAddress(storePath: store.db) {
            try await importThroughDaemon(address: address, stations: stations, mapping: map)
            return
        }
        let db = try store.openStore(stations, cacheBytes: SQLiteStore.importCacheBytes)
        let writer: BatchingWriter<ContinuousClock>
        if besideDaemon {
            // A daemon is writing this store: every transaction of ours holds its commits (and
            // its units' acknowledgements) up. Short transactions, each followed by a pause as
            // long as one, so the daemon's writer (polling every quarter millisecond) gets in.
            writer = BatchingWriter(store: db, maxBatch: Self.besideDaemonBatch, clock: ContinuousClock(), pause: .milliseconds(8))
            if format == .text { printError("envmon import: a daemon is serving \(store.db): importing in short transactions beside it") }
        } else {
            writer = BatchingWriter(store: db, maxBatch: Self.batch, clock: ContinuousClock())
        }
        let (reports, failed) = await importFiles(stations: stations, mapping: map, chunk: besideDaemon ? Self.besideDaemonBatch : Self.batch) {
            try await writer.submit($0, commitAtOnce: $1)
        }
        await writer.close()
        try db.close()
        try finish(reports, failed: failed)
    }

    /// Imports into a PostgreSQL store, in the batches of a file import. Its commits go into the
    /// rule leader's log, so the daemons' rules evaluate what is imported (as an import through a
    /// daemon on SQLite); `--direct` keeps them out.
    private func importIntoPostgres(_ configuration: PostgresStoreConfiguration, stations: StationRegistry, mapping map: ImportMapping) async throws {
        var configuration = configuration
        configuration.logsCommits = !direct
        let (reports, failed) = try await PostgresCommandStore.with(configuration, stations: stations, command: "import", migrating: true) { db in
            let writer = BatchingWriter(store: db, maxBatch: Self.batch, clock: ContinuousClock())
            let outcome = await importFiles(stations: stations, mapping: map, chunk: Self.batch) { try await writer.submit($0, commitAtOnce: $1) }
            await writer.close()
            return outcome
        }
        try finish(reports, failed: failed)
    }

    /// Imports every file through `submit`, printing each one's report (text) as it ends; the
    /// reports, and whether any file failed (its error printed).
    private func importFiles(
        stations: StationRegistry, mapping map: ImportMapping, chunk: Int, note: String = "",
        submit: @escaping @Sendable ([Sample], Bool) async throws -> WriteSummary
    ) async -> ([ImportReport], Bool) {
        var reports: [ImportReport] = []
        var failed = false
        for file in files {
            let bar = ProgressBar(label: (file as NSString).lastPathComponent, enabled: isTerminal(2) && format == .text)
            do {
                var importer = CSVImporter(mapping: map, stations: stations)
                importer.chunkSize = chunk
                let report = try await importer.run(path: file, submit: submit, progress: { bar.update($0) })
                bar.finish()
                reports.append(report)
                if format == .text { print(ImportCommand.describe(report) + note) }
            } catch {
                bar.finish()
                printError("envmon import: \(error)")
                failed = true
            }
        }
        return (reports, failed)
    }

    /// Imports through the daemon's HTTP ingest (``DaemonImportWriter``): the daemon commits the
    /// readings with its one writer and its rules evaluate them.
    private func importThroughDaemon(address: String, stations: StationRegistry, mapping map: ImportMapping) async throws {
        let daemon = DaemonImportWriter(address: address, storePath: store.db, stations: stations)
        if format == .text { printError("envmon import: a daemon is serving \(store.db): importing through it (\(address)/write)") }
        let (reports, failed) = await importFiles(
            stations: stations, mapping: map, chunk: DaemonImportWriter.linesPerRequest * DaemonImportWriter.inFlight,
            note: "\n  (through the daemon: new and re-sent readings are counted together as new)"
        ) { samples, _ in try await daemon.submit(samples) }
        try finish(reports, failed: failed)
    }

    private func finish(_ reports: [ImportReport], failed: Bool) throws {
        if format == .json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(reports), as: UTF8.self))
        }
        if failed || !reports.contains(where: \.storedAnything) {
            if !failed { printError("envmon import: nothing could be stored") }
            throw ExitCode(1)
        }
    }

    /// Samples a transaction when no daemon is writing the store. A commit rewrites the last
    /// page of every series it touches (and their rollups) whatever its size, so larger commits
    /// write less WAL per sample: 200,000 instead of the writer's default 100,000 took the
    /// writer's thread ~15 % less CPU for 5 M samples of 1,000 series, for ~12 MB more memory.
    /// (Rollup sums are added up batch by batch, so a different batch size can change a sum in
    /// its last bits; the samples are the same.)
    static let batch = 200_000

    /// Samples a transaction beside a running daemon: about 10 ms of the writer's time.
    static let besideDaemonBatch = 4_096

    static func describe(_ r: ImportReport) -> String {
        var lines = [
            "\(r.file):",
            "  rows read        \(r.rowsRead)",
            "  samples stored   \(r.store.inserted) new, \(r.store.changed) changed, \(r.store.duplicates) duplicates",
            "  values missing   \(r.valuesMissing)",
            "  rows rejected    \(r.rowsRejected)",
            "  values rejected  \(r.valuesRejected)",
        ]
        if r.store.unknownSeries + r.store.beyondRetention > 0 {
            lines.append("  refused by store \(r.store.unknownSeries) unknown series, \(r.store.beyondRetention) beyond retention")
        }
        for rej in r.rejections {
            let more = rej.count > rej.lines.count ? ", …" : ""
            lines.append("    \(rej.count) × \(rej.reason) (line \(rej.lines.map(String.init).joined(separator: ", "))\(more))")
        }
        return lines.joined(separator: "\n")
    }
}
