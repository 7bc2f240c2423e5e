public import Monitoring
public import Store
import EnvmonConfig
import Foundation

/// Imports a CSV file through a mapping: validates each row, converts units, and hands the
/// readings to the store in batches.
///
/// A bad row or value never stops the import: it is rejected with its reason and line, counted,
/// and the rest of the file goes on. Batches already committed stay committed if the store fails.
public struct CSVImporter: Sendable {
    /// The mapping of the file's columns.
    public let mapping: ImportMapping
    /// The stations readings may belong to.
    public let stations: StationRegistry
    /// Samples handed to the store at once. Keep it at least the writer's `maxBatch` (100,000 by
    /// default): one chunk is in flight while the next is parsed, so a smaller chunk would wait
    /// for the writer's `maxDelay` before it is committed.
    public var chunkSize = 100_000

    /// Creates an importer.
    public init(mapping: ImportMapping, stations: StationRegistry) {
        self.mapping = mapping
        self.stations = stations
    }

    /// Imports one file.
    /// - Parameters:
    ///   - path: the CSV file.
    ///   - submit: stores a batch and returns what became of it (a ``BatchingWriter`` or a store).
    ///   - progress: called now and then with the fraction of the file read.
    /// - Returns: the report; see ``ImportReport/storedAnything``.
    /// - Throws: ``CollectorError`` when the file cannot be read, its header lacks a mapped column,
    ///   or the store fails (the report up to then is lost, the committed batches are not).
    public func run(
        path: String, submit: @escaping @Sendable ([Sample]) async throws -> WriteSummary,
        progress: @Sendable (Double) -> Void = { _ in }
    ) async throws(CollectorError) -> ImportReport {
        var reader: CSVReader
        do {
            reader = try CSVReader(path: path, delimiter: mapping.delimiter)
        } catch {
            throw CollectorError(.unreadable, "cannot read \(path)")
        }
        var report = ImportReport(file: path)
        var row = CSVReader.Row()
        guard reader.next(into: &row) else { return report }
        let header = (0..<row.fields.count).map { reader.string(row, $0).trimmingCharacters(in: .whitespaces) }
        let layout = try Layout(mapping: mapping, header: header, path: path)
        let calendar = ZoneCalendar(mapping.zone)
        let missing = mapping.missing.map { Array($0.utf8) }
        var samples: [Sample] = []
        samples.reserveCapacity(chunkSize)
        var inFlight: Task<WriteSummary, any Error>?
        let total = max(1, reader.bytes.count)
        var rowsSinceProgress = 0

        func flush() async throws(CollectorError) {
            let batch = samples
            samples.removeAll(keepingCapacity: true)
            // One batch commits while the next is parsed; at most one waits.
            if let previous = inFlight {
                do { report.store.merge(try await previous.value) } catch {
                    throw CollectorError(.store, "the store refused a batch from \(path)", underlying: error)
                }
            }
            inFlight = batch.isEmpty ? nil : Task { try await submit(batch) }
        }

        while reader.next(into: &row) {
            let line = reader.line
            report.rowsRead += 1
            rowsSinceProgress += 1
            if rowsSinceProgress == 4_096 {
                rowsSinceProgress = 0
                progress(Double(reader.offset) / Double(total))
            }
            guard row.fields.count == header.count else {
                report.reject("malformed row: expected \(header.count) fields, found \(row.fields.count)", line: line, wholeRow: true)
                continue
            }
            let time: Int64
            switch layout.time(reader, row, calendar) {
            case .success(let t): time = t
            case .failure(let reason):
                report.reject(reason.reason, line: line, wholeRow: true)
                continue
            }
            let stationName = layout.station(reader, row)
            guard let station = stations[stationName] else {
                report.reject("unknown station '\(stationName)'", line: line, wholeRow: true)
                continue
            }
            if let long = layout.long {
                if missing.contains(where: { reader.field(row, long.value, equals: $0) }) {
                    report.valuesMissing += 1
                    continue
                }
                report.valuesRead += 1
                let name = reader.string(row, long.parameter)
                guard let parameter = ParameterCatalogue.standard.named(name) else {
                    report.reject("unknown parameter '\(name)'", line: line, wholeRow: false)
                    continue
                }
                let unit = long.unit.flatMap { MeasurementUnit(parsing: reader.string(row, $0)) }
                let flag = long.flag.map { reader.string(row, $0) }
                if let s = value(reader, row, long.value, parameter.id, unit, flag, station, time, line, &report) {
                    samples.append(s)
                }
            } else {
                for v in layout.values {
                    if missing.contains(where: { reader.field(row, v.index, equals: $0) }) {
                        report.valuesMissing += 1
                        continue
                    }
                    report.valuesRead += 1
                    let flag = v.flagIndex.map { reader.string(row, $0) }
                    if let s = value(reader, row, v.index, v.parameter, v.unit, flag, station, time, line, &report) {
                        samples.append(s)
                    }
                }
            }
            if samples.count >= chunkSize { try await flush() }
        }
        try await flush()
        try await flush()  // waits for the last batch
        progress(1)
        return report
    }

    private func value(
        _ reader: CSVReader, _ row: CSVReader.Row, _ index: Int, _ parameterID: String, _ unit: MeasurementUnit?,
        _ flagText: String?, _ station: Station, _ time: Int64, _ line: Int, _ report: inout ImportReport
    ) -> Sample? {
        guard let sp = station.parameter(parameterID) else {
            report.reject("station '\(station.id)' does not report \(parameterID)", line: line, wholeRow: false)
            return nil
        }
        guard let raw = reader.double(row, index) else {
            report.reject("\(parameterID): not a number", line: line, wholeRow: false)
            return nil
        }
        var flag = DataFlag.normal
        if let flagText, !flagText.isEmpty {
            guard let f = DataFlag(letter: flagText) else {
                report.reject("\(parameterID): unknown data flag '\(flagText)'", line: line, wholeRow: false)
                return nil
            }
            flag = f
        }
        let from = unit ?? sp.reportedUnit
        guard let factor = from.factor(to: sp.unit) else {
            report.reject("\(parameterID): unit \(from.symbol) cannot be converted to \(sp.unit.symbol)", line: line, wholeRow: false)
            return nil
        }
        let v = raw * factor
        guard sp.range.contains(v) else {
            report.reject(
                "\(parameterID): outside the instrument range \(format(sp.range.lowerBound))…\(format(sp.range.upperBound)) \(sp.unit.symbol)",
                line: line, wholeRow: false)
            return nil
        }
        return Sample(series: SeriesKey(station: station.id, parameter: parameterID, kind: mapping.kind), time: time, value: v, flag: flag)
    }

    private func format(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
