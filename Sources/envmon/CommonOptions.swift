import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Store

/// Where the store and the station definitions are.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The SQLite store file (env ENVMON_DB).")
    var db: String = ProcessInfo.processInfo.environment["ENVMON_DB"] ?? "var/envmon.sqlite"

    @Option(name: .long, help: "A folder of station YAML files; repeat for several (env ENVMON_SENSORS, ':'-separated).")
    var sensors: [String] = (ProcessInfo.processInfo.environment["ENVMON_SENSORS"] ?? "sensors")
        .split(separator: ":").map(String.init)

    func loadStations() throws -> StationRegistry {
        var all: [String] = []
        for dir in sensors {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
                throw ValidationError("cannot read the sensors folder '\(dir)'")
            }
            all += names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(dir)/\($0)" }
        }
        do {
            return try SensorLoader().load(files: all)
        } catch {
            throw CLIError("station definitions have errors:\n\(error)")
        }
    }

    /// The station `id` alone, for a command that reads one station: from its own file
    /// (`<id>.yaml` or `.yml` in a sensors folder, as `envmon simulate --write-sensors` and the
    /// seeds name them) when that file defines it, else from every file. Reading a thousand
    /// station files cost a query some 300 ms, ten times the query itself. The check that no two
    /// files define one station is the full load's, which `serve` and `stations` make.
    func loadStations(forStation id: String) throws -> StationRegistry {
        for dir in sensors {
            for name in ["\(id).yaml", "\(id).yml"] where FileManager.default.fileExists(atPath: "\(dir)/\(name)") {
                if let one = try? SensorLoader().load(files: ["\(dir)/\(name)"]), one[id] != nil { return one }
            }
        }
        return try loadStations()
    }

    func openStore(
        _ stations: StationRegistry, pageSize: Int = 4_096, staging: StagingPolicy? = nil, synchronous: SQLiteStore.Synchronous = .normal,
        cacheBytes: Int = SQLiteStore.defaultCacheBytes
    ) throws -> SQLiteStore {
        let folder = (db as NSString).deletingLastPathComponent
        if !folder.isEmpty { try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try SQLiteStore(
            path: db, stations: stations, pageSize: pageSize, staging: staging, synchronous: synchronous, cacheBytes: cacheBytes)
    }
}

extension StoreOptions {
    /// Opens the store for a command that only reads: read-only when it can be, so the command
    /// writes nothing, syncs nothing and never waits for the daemon's writer; else (staged
    /// samples to fold, a schema to migrate, no store yet) as ``openStore(_:pageSize:staging:synchronous:)``.
    func openStoreForReading(_ stations: StationRegistry) throws -> SQLiteStore {
        guard FileManager.default.fileExists(atPath: db) else { return try openStore(stations) }
        return try SQLiteStore.forReading(path: db, stations: stations)
    }
}

/// A failure the command line reports in one clean message and a non-zero exit.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether a stream is a terminal (progress bars and sparklines only go there).
func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }
