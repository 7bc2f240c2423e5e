public import Monitoring

extension LineProtocol {
    /// Appends the line of a stored-unit sample, in seconds, as ``parse(_:precision:now:)-(UnsafeRawBufferPointer,_,_)`` reads it back:
    /// `reading,station=S,parameter=P,kind=K,unit=U value=V,flag="F" T`.
    /// - Parameters:
    ///   - sample: the sample (its value in `unit`).
    ///   - unit: the unit of its value (the station's stored unit, for a sample made by an importer).
    ///   - out: the body being built.
    public static func append(_ sample: Sample, unit: MeasurementUnit, to out: inout [UInt8]) {
        out.append(contentsOf: "reading,station=".utf8)
        escapeTag(sample.series.station, into: &out)
        out.append(contentsOf: ",parameter=".utf8)
        escapeTag(sample.series.parameter, into: &out)
        if sample.series.kind != .realtime {
            out.append(contentsOf: ",kind=".utf8)
            out.append(contentsOf: sample.series.kind.rawValue.utf8)
        }
        out.append(contentsOf: ",unit=".utf8)
        escapeTag(unit.rawValue, into: &out)
        out.append(contentsOf: " value=".utf8)
        out.append(contentsOf: "\(sample.value)".utf8)
        if sample.flag != .normal {
            out.append(contentsOf: ",flag=\"".utf8)
            out.append(contentsOf: sample.flag.rawValue.utf8)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: String(sample.time).utf8)
        out.append(UInt8(ascii: "\n"))
    }

    /// A tag value with its commas, equals signs and spaces escaped.
    private static func escapeTag(_ text: String, into out: inout [UInt8]) {
        for c in text.utf8 {
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "=") || c == UInt8(ascii: " ") { out.append(UInt8(ascii: "\\")) }
            out.append(c)
        }
    }
}
