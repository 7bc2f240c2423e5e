public import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Reports
import Store
import PostgresStore

/// `envmon query`: prints a series or its aggregates.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print a series, or its aggregates by step.",
        discussion: """
            Times are ISO 8601; a time without an offset is the station's local time; now, now-7d, now-36h, now-15m count back from now. One rule for ranges, \
            in every command: a date (2026-01-31) names a whole local day, so --to 2026-01-31 includes the \
            31st; a time (2026-01-31T08:00) is an instant, --from inclusive and --to exclusive. The header \
            echoes the range read, in the station's local time. With --step 1d the buckets are the station's \
            local calendar days. Aggregates use valid readings only (flag N) and \
            every row carries its count of valid readings.

            A bucket that --from or --to cuts (the first or the last) is kept and marked partial: its value \
            and counts cover only the part inside the range. Without --from or --to, the range starts or \
            ends with the stored data, widened to whole buckets, so no bucket is partial for that.

            CSV columns: time,value,count,partial for aggregates (time = bucket start with the station's \
            UTC offset; partial = true or false) and time,value,flag for raw readings.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var postgres: StoreURLOptions

    @Option(help: "The station id.") var station: String
    @Option(help: "The parameter id (e.g. PM2.5, COD, NH3-N).") var parameter: String
    @Option(help: "The series kind: realtime, minute, hour or day (default: the one the store has).")
    var kind: SeriesKind?
    @Option(help: "Start: a local date (its whole day), an ISO 8601 time (inclusive) or now-7d, now-36h…") var from: String?
    @Option(help: "End: a local date (included, whole day), an ISO 8601 time (exclusive) or now, now-1h…") var to: String?
    @Option(help: "Bucket length: 1m, 15m, 1h, 6h, 1d, 7d… (omit for raw readings).") var step: String?
    @Option(help: "avg, min, max, sum, count or flow-weighted.") var agg: Aggregation = .avg
    @Option(help: "The flow parameter for --agg flow-weighted (default: the station's flow).") var flow: String?
    @Option(help: "table, csv or json.") var format: QueryFormat = .table

    func run() async throws {
        // Beside a running daemon, the daemon answers: a read-only look at its store would miss
        // the readings it has staged and not folded yet (up to a couple of minutes of them).
        // (PostgreSQL has no staging: every committed reading is in its tables.)
        if postgres.url == nil, StoreDaemonLock.isHeld(storePath: store.db), let daemon = try DaemonOptions.parse([]).daemon(db: store.db) {
            return try await runThroughDaemon(daemon)
        }
        let stations = try store.loadStations(forStation: station)
        let query = SeriesQuery(station: station, parameter: parameter, kind: kind, from: from, to: to, step: step, aggregation: agg, flow: flow)
        let now = WallClock.seconds()
        do {
            let result: SeriesQueryResult
            if let configuration = try postgres.configuration() {
                result = try await PostgresCommandStore.with(configuration, stations: stations, command: "query") { db in
                    try await query.run(stations: stations, store: db, now: now)
                }
            } else {
                let db = try store.openStoreForReading(stations)
                defer { try? db.close() }
                result = try await query.run(stations: stations, store: db, now: now)
            }
            print(SeriesQueryOutput.render(result, format: format, sparkline: isTerminal(1)), terminator: "")
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
    }
}

extension QueryCommand {
    /// The same query through the daemon's `/api/v1/query` (the same ``SeriesQuery``), printed as
    /// it answers. Relative times count from the daemon's clock, on the same machine.
    private func runThroughDaemon(_ daemon: DaemonEndpoint) async throws {
        var items = [URLQueryItem(name: "station", value: station), URLQueryItem(name: "parameter", value: parameter)]
        items.append(URLQueryItem(name: "format", value: format.rawValue))
        items.append(URLQueryItem(name: "agg", value: agg.rawValue))
        if let kind { items.append(URLQueryItem(name: "kind", value: kind.rawValue)) }
        for (name, value) in [("from", from), ("to", to), ("step", step), ("flow", flow)] {
            if let value { items.append(URLQueryItem(name: name, value: value)) }
        }
        var components = URLComponents()
        components.path = "/api/v1/query"
        components.queryItems = items
        // `+` is a literal in URLComponents' query but a space to the server's decoder.
        let path = (components.percentEncodedPath) + "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let (status, body): (Int, Data)
        do {
            (status, body) = try await LoopbackHTTP.request(method: "GET", url: daemon.address + path, body: nil, token: daemon.token)
        } catch {
            throw CLIError("cannot reach the daemon at \(daemon.address): \(error)")
        }
        guard (200..<300).contains(status) else {
            let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            let message = (object?["error"] as? [String: Any])?["message"] as? String ?? String(decoding: body, as: UTF8.self)
            throw CLIError(status == 401 ? "the daemon at \(daemon.address) refused the query (HTTP 401): set ENVMON_TOKEN to a token of role read" : message)
        }
        FileHandle.standardOutput.write(body)
    }
}

extension QueryFormat: ExpressibleByArgument {}

extension Aggregation: ExpressibleByArgument {}
extension SeriesKind: ExpressibleByArgument {}
