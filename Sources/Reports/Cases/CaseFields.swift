public import Store

/// A case's fields as its `opened` and `updated` events carry them: text by name, lists
/// comma-separated, so that a case's state at any date can be derived from its history.
public enum CaseFields {
    /// Every field of `r` that an event records.
    public static func of(_ r: CaseRecord) -> [String: String] {
        var f = [
            "title": r.title, "source": r.source.rawValue, "unit": r.unit, "leader": r.leader, "deadline": r.deadline ?? "",
            "stations": r.stations.joined(separator: ","), "rules": r.rules.joined(separator: ","),
        ]
        if let p = r.parameter { f["parameter"] = p }
        if let e = r.episode { f["episode"] = String(e) }
        return f
    }

    /// The fields of `new` that differ from `old`.
    public static func changes(from old: CaseRecord, to new: CaseRecord) -> [String: String] {
        let a = of(old)
        return of(new).filter { a[$0.key] != $0.value }
    }

    /// Sets the fields named in `fields` on `r`.
    public static func apply(_ fields: [String: String], to r: inout CaseRecord) {
        func list(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
        for (name, value) in fields {
            switch name {
            case "title": r.title = value
            case "source": r.source = CaseSource(rawValue: value) ?? r.source
            case "unit": r.unit = value
            case "leader": r.leader = value
            case "deadline": r.deadline = value.isEmpty ? nil : value
            case "stations": r.stations = list(value)
            case "rules": r.rules = list(value)
            case "parameter": r.parameter = value
            case "episode": r.episode = Int64(value)
            default: break
            }
        }
    }
}
