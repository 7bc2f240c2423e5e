public import ArgumentParser
import EnvmonConfig
import Foundation
import Monitoring
import Reports
import Store

/// `envmon query`: prints a series or its aggregates.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Print a series, or its aggregates by step.",
        discussion: """
            Times are ISO 8601; a time without an offset is the station's local time. One rule for ranges, \
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

    @Option(help: "The station id.") var station: String
    @Option(help: "The parameter id (e.g. PM2.5, COD, NH3-N).") var parameter: String
    @Option(help: "The series kind: realtime, minute, hour or day (default: the one the store has).")
    var kind: SeriesKind?
    @Option(help: "Start: a local date (its whole day) or an ISO 8601 time (inclusive).") var from: String?
    @Option(help: "End: a local date (included, whole day) or an ISO 8601 time (exclusive).") var to: String?
    @Option(help: "Bucket length: 1m, 15m, 1h, 6h, 1d, 7d… (omit for raw readings).") var step: String?
    @Option(help: "avg, min, max, sum, count or flow-weighted.") var agg: Aggregation = .avg
    @Option(help: "The flow parameter for --agg flow-weighted (default: the station's flow).") var flow: String?
    @Option(help: "table, csv or json.") var format: QueryFormat = .table

    func run() async throws {
        let stations = try store.loadStations(forStation: station)
        let db = try store.openStoreForReading(stations)
        defer { try? db.close() }
        let (st, sp) = try await resolveStation(stations, db)
        let p = sp.parameter
        let key = try await resolveKind(db, st, p)
        let calendar = ZoneCalendar(st.timeZone)
        let givenFrom: Int64?
        let givenTo: Int64?
        do {
            givenFrom = try from.map { try LocalDates.bound($0, option: "--from", in: calendar, isEnd: false) }
            givenTo = try to.map { try LocalDates.bound($0, option: "--to", in: calendar, isEnd: true) }
        } catch let error as ReportsError {
            throw CLIError(error.description)
        }
        // Only the ends not given are looked up (each one seek); where the data ends before
        // --from or starts after --to, the range holds nothing, and says so.
        var lower: Int64
        var upper: Int64
        switch (givenFrom, givenTo) {
        case let (f?, t?):
            (lower, upper) = (f, t)
        case let (f?, nil):
            lower = f
            upper = max(f, try await db.newestTime(of: key) ?? f) + 1
        case let (nil, t?):
            upper = t
            lower = min(t - 1, try await db.oldestTime(of: key) ?? t)
        case (nil, nil):
            let span = try await db.span(of: key)
            (lower, upper) = (span?.lowerBound ?? 0, (span?.upperBound ?? 0) + 1)
        }
        guard lower < upper else { throw CLIError("--from must be before --to") }
        var output = QueryOutput(station: st, parameter: sp, key: key, calendar: calendar, format: format)
        if let step {
            guard let seconds = DurationText.seconds(step), seconds > 0 else {
                throw CLIError("--step '\(step)' is not a duration (e.g. 15m, 1h, 1d)")
            }
            var flowKey: SeriesKey?
            if agg == .flowWeighted {
                let flowID = flow ?? st.parameters.first { ["Q-water", "Q-gas"].contains($0.parameter.id) }?.parameter.id
                guard let flowID, let fp = ParameterCatalogue.standard.named(flowID) else {
                    throw CLIError("--agg flow-weighted needs --flow (station '\(station)' has no flow parameter)")
                }
                flowKey = SeriesKey(station: st.id, parameter: fp.id, kind: key.kind)
            }
            var query = AggregateQuery(series: key, range: lower..<upper, step: Int64(seconds), function: agg, flow: flowKey)
            // An end not given is where the data starts or ends, not a cut: widened to its bucket's
            // boundary, so that only --from and --to make a bucket partial.
            if givenFrom == nil { lower = query.bucket(containing: lower, in: st.timeZone).lowerBound }
            query.range = lower..<upper
            if givenTo == nil { upper = query.bucket(containing: upper - 1, in: st.timeZone).upperBound }
            query.range = lower..<upper
            let rows = try await db.aggregate(query)
            output.range = lower..<upper
            print(output.aggregates(rows, step: step, agg: agg), terminator: "")
        } else {
            let rows = try await db.samples(of: key, in: lower..<upper)
            output.range = lower..<upper
            print(output.raw(rows), terminator: "")
        }
    }

    /// The station and parameter from sensors/, or, for a station or parameter that has left
    /// sensors/, as the store last wrote its series: its readings stay readable.
    private func resolveStation(_ stations: StationRegistry, _ db: SQLiteStore) async throws -> (Station, StationParameter) {
        let known = stations[station]
        let p = ParameterCatalogue.standard.named(parameter)
        if let known, let p, let sp = known.parameter(p.id) { return (known, sp) }
        let stored = try await db.storedSeries(ofStation: station)
        guard let first = stored.first else {
            guard let known else {
                throw CLIError("unknown station '\(station)' (known: \(stations.stations.map(\.id).joined(separator: ", ")))")
            }
            throw CLIError(
                "station '\(station)' does not report '\(parameter)' (it reports \(known.parameters.map(\.parameter.id).joined(separator: ", ")))")
        }
        let parameters = Dictionary(stored.map { ($0.key.parameter, $0) }, uniquingKeysWith: { a, _ in a })
            .sorted { $0.key < $1.key }
            .compactMap { id, series -> StationParameter? in
                if let sp = known?.parameter(id) { return sp }
                guard let entry = ParameterCatalogue.standard.named(id) else { return nil }
                // The unit the store recorded; a series older than that record shows no unit.
                let unit = series.unit ?? .dimensionless
                return StationParameter(parameter: entry, reportedUnit: unit, unit: unit, range: -Double.infinity...Double.infinity)
            }
        guard let p, let sp = parameters.first(where: { $0.parameter.id == p.id }) else {
            throw CLIError(
                "station '\(station)' has no stored series of '\(parameter)' (stored: \(parameters.map(\.parameter.id).joined(separator: ", ")))")
        }
        // Not in sensors/ (any more): described by what the store holds, and said so in the header.
        var st = known ?? Station(
            id: station, name: "\(station) — not in sensors/, stored readings", kind: .dischargeOutlet,
            timeZone: first.timeZone, expectedInterval: Int(first.interval), parameters: parameters, retired: true)
        if known != nil { st.parameters = parameters }
        return (st, sp)
    }

    private func resolveKind(_ db: SQLiteStore, _ st: Station, _ p: Parameter) async throws -> SeriesKey {
        if let kind { return SeriesKey(station: st.id, parameter: p.id, kind: kind) }
        let present = try await db.storedSeries(ofStation: st.id).map(\.key).filter { $0.parameter == p.id }
        if present.count > 1 {
            throw CLIError("\(st.id)/\(p.id) has several kinds (\(present.map(\.kind.rawValue).joined(separator: ", "))): choose one with --kind")
        }
        return present.first ?? SeriesKey(station: st.id, parameter: p.id, kind: .hour)
    }
}

enum QueryFormat: String, ExpressibleByArgument, CaseIterable { case table, csv, json }

extension Aggregation: ExpressibleByArgument {}
extension SeriesKind: ExpressibleByArgument {}
