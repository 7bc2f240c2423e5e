import EnvmonConfig
public import Monitoring
public import Store

/// A query of one series: its raw readings over a range, or its aggregates by step. The one
/// implementation behind `envmon query` and `GET /api/v1/query`.
///
/// The rules (the same in both):
/// - the station and parameter come from sensors/, or, for a station or parameter that has left
///   sensors/, from what the store wrote of its series (its readings stay readable);
/// - the kind is the one the store holds, unless given (several stored: choose one);
/// - `from` and `to` follow ``LocalDates/bound(_:option:in:isEnd:now:)``: a date is a whole local
///   day, a time an instant, `now-7d` counts from the given `now`;
/// - an end not given is where the data starts or ends, widened to its bucket's boundary, so
///   only a given `from` or `to` makes a bucket partial.
///
/// ```swift
/// var q = SeriesQuery(station: "qinghe-wwtp-outlet", parameter: "COD")
/// q.from = "now-7d"; q.step = "1h"
/// let result = try await q.run(stations: registry, store: store, now: clock.now)
/// print(SeriesQueryOutput(result).render(.csv))
/// ```
public struct SeriesQuery: Sendable, Hashable {
    /// The station id.
    public var station: String
    /// The parameter id (`PM2.5`, `COD`, `NH3-N`).
    public var parameter: String
    /// The series kind; `nil`: the one the store has.
    public var kind: SeriesKind?
    /// Start: a local date (its whole day), an ISO 8601 time (inclusive) or a relative time.
    public var from: String?
    /// End: a local date (included), an ISO 8601 time (exclusive) or a relative time.
    public var to: String?
    /// The bucket length (`15m`, `1h`, `1d`); `nil`: raw readings.
    public var step: String?
    /// The aggregate of each bucket.
    public var aggregation: Aggregation
    /// The flow parameter of a flow-weighted mean (default: the station's flow).
    public var flow: String?
    /// What comes before an argument's name in errors: `--` for the command line, nothing for
    /// the API's query parameters.
    public var argumentPrefix: String

    /// A query of `parameter` at `station`: raw readings of the whole stored range until more is set.
    public init(
        station: String, parameter: String, kind: SeriesKind? = nil, from: String? = nil, to: String? = nil, step: String? = nil,
        aggregation: Aggregation = .avg, flow: String? = nil, argumentPrefix: String = "--"
    ) {
        self.station = station
        self.parameter = parameter
        self.kind = kind
        self.from = from
        self.to = to
        self.step = step
        self.aggregation = aggregation
        self.flow = flow
        self.argumentPrefix = argumentPrefix
    }

    private func name(_ argument: String) -> String { argumentPrefix + argument }

    /// Runs the query.
    /// - Parameters:
    ///   - stations: the stations of sensors/ (a retired one may be missing).
    ///   - store: the store read.
    ///   - now: the current time, for relative ranges (`now-7d`).
    /// - Throws: ``ReportsError`` naming the argument at fault, or not found; `StoreError` when
    ///   the store cannot be read.
    public func run(stations: StationRegistry, store db: any MonitoringStore, now: Int64) async throws -> SeriesQueryResult {
        // The step first: a bad one is named before the store is read.
        var stepSeconds: Int64?
        if let step {
            guard let seconds = DurationText.seconds(step), seconds > 0 else {
                throw ReportsError("\(name("step")) '\(step)' is not a duration (e.g. 15m, 1h, 1d)", argument: name("step"))
            }
            stepSeconds = Int64(seconds)
        }
        let (st, sp) = try await resolveStation(stations, db)
        let key = try await resolveKind(db, st, sp.parameter)
        let calendar = ZoneCalendar(st.timeZone)
        let givenFrom = try from.map { try LocalDates.bound($0, option: name("from"), in: calendar, isEnd: false, now: now) }
        let givenTo = try to.map { try LocalDates.bound($0, option: name("to"), in: calendar, isEnd: true, now: now) }
        // Only the ends not given are looked up (each one seek); where the data ends before
        // from or starts after to, the range holds nothing, and says so.
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
        guard lower < upper else { throw ReportsError("\(name("from")) must be before \(name("to"))", argument: name("from")) }
        guard let step, let stepSeconds else {
            let rows = try await db.samples(of: key, in: lower..<upper)
            return SeriesQueryResult(station: st, parameter: sp, key: key, range: lower..<upper, rows: .raw(rows))
        }
        var flowKey: SeriesKey?
        if aggregation == .flowWeighted {
            let flowID = flow ?? st.parameters.first { ["Q-water", "Q-gas"].contains($0.parameter.id) }?.parameter.id
            guard let flowID, let fp = ParameterCatalogue.standard.named(flowID) else {
                throw ReportsError(
                    "\(name("agg")) flow-weighted needs \(name("flow")) (station '\(station)' has no flow parameter)", argument: name("flow"))
            }
            flowKey = SeriesKey(station: st.id, parameter: fp.id, kind: key.kind)
        }
        var query = AggregateQuery(series: key, range: lower..<upper, step: stepSeconds, function: aggregation, flow: flowKey)
        // An end not given is where the data starts or ends, not a cut: widened to its bucket's
        // boundary, so that only from and to make a bucket partial.
        if givenFrom == nil { lower = query.bucket(containing: lower, in: st.timeZone).lowerBound }
        query.range = lower..<upper
        if givenTo == nil { upper = query.bucket(containing: upper - 1, in: st.timeZone).upperBound }
        query.range = lower..<upper
        let rows = try await db.aggregate(query)
        return SeriesQueryResult(
            station: st, parameter: sp, key: key, range: lower..<upper, rows: .aggregates(rows, step: step, aggregation: aggregation))
    }

    /// The station and parameter from sensors/, or, for a station or parameter that has left
    /// sensors/, as the store last wrote its series: its readings stay readable.
    private func resolveStation(_ stations: StationRegistry, _ db: any MonitoringStore) async throws -> (Station, StationParameter) {
        let known = stations[station]
        let p = ParameterCatalogue.standard.named(parameter)
        if let known, let p, let sp = known.parameter(p.id) { return (known, sp) }
        let stored = try await db.storedSeries(ofStation: station)
        guard let first = stored.first else {
            guard let known else {
                throw ReportsError(
                    "unknown station '\(station)' (known: \(stations.stations.map(\.id).joined(separator: ", ")))", argument: name("station"),
                    notFound: true)
            }
            throw ReportsError(
                "station '\(station)' does not report '\(parameter)' (it reports \(known.parameters.map(\.parameter.id).joined(separator: ", ")))",
                argument: name("parameter"), notFound: true)
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
            throw ReportsError(
                "station '\(station)' has no stored series of '\(parameter)' (stored: \(parameters.map(\.parameter.id).joined(separator: ", ")))",
                argument: name("parameter"), notFound: true)
        }
        // Not in sensors/ (any more): described by what the store holds, and said so in the header.
        var st =
            known
            ?? Station(
                id: station, name: "\(station) — not in sensors/, stored readings", kind: .dischargeOutlet,
                timeZone: first.timeZone, expectedInterval: Int(first.interval), parameters: parameters, retired: true)
        if known != nil { st.parameters = parameters }
        return (st, sp)
    }

    private func resolveKind(_ db: any MonitoringStore, _ st: Station, _ p: Parameter) async throws -> SeriesKey {
        if let kind { return SeriesKey(station: st.id, parameter: p.id, kind: kind) }
        let present = try await db.storedSeries(ofStation: st.id).map(\.key).filter { $0.parameter == p.id }
        if present.count > 1 {
            throw ReportsError(
                "\(st.id)/\(p.id) has several kinds (\(present.map(\.kind.rawValue).joined(separator: ", "))): choose one with \(name("kind"))",
                argument: name("kind"))
        }
        return present.first ?? SeriesKey(station: st.id, parameter: p.id, kind: .hour)
    }
}
