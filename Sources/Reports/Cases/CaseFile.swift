import EnvmonConfig
import Foundation
import Store
import Yams

/// Reads a list of cases from a YAML or CSV file (by its extension), collecting every problem
/// as `file:line: message`.
///
/// YAML: a list (or `cases:` holding one) of mappings with `id`, `title`, `source`, `unit`,
/// `leader`, `opened`, `deadline`, `status`, `status_date`, `stations`, `rules`, `notes` (each
/// `date`, `text`, `evidence`, `status`) and `closed` (`date`, `note`, `evidence`).
/// CSV: a header naming the columns `id,title,source,unit,leader,opened,deadline,status,status_date,stations,rules,note`
/// (`stations` and `rules` separated by `;`; `note` a note dated `status_date`); `id`, `title`
/// and `source` are required, the rest may be left out.
public enum CaseFile {
    /// The entries of the file at `path`.
    public static func read(_ path: String) throws(ReportsError) -> [CaseEntry] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ReportsError("\(path): cannot read the file (missing, unreadable, or not UTF-8)")
        }
        return try parse(text, path: path)
    }

    /// The entries of `text`, read from `path` (its extension says YAML or CSV).
    public static func parse(_ text: String, path: String) throws(ReportsError) -> [CaseEntry] {
        let lower = path.lowercased()
        var reader = Reader(path: path)
        let entries = lower.hasSuffix(".csv") ? reader.csv(text) : try reader.yaml(text)
        var seen: [String: String] = [:]
        for e in entries {
            if let first = seen[e.id] { reader.errors.append("\(e.origin): case \(e.id) is listed twice (first at \(first))") }
            seen[e.id] = seen[e.id] ?? e.origin
        }
        guard reader.errors.isEmpty else { throw ReportsError(reader.errors.joined(separator: "\n")) }
        return entries
    }

    struct Reader {
        let path: String
        var errors: [String] = []

        mutating func fail(_ line: Int?, _ message: String) { errors.append("\(path):\(line.map(String.init) ?? "?"): \(message)") }

        mutating func date(_ text: String?, _ what: String, line: Int?) -> String? {
            guard let text, !text.isEmpty else { return nil }
            do {
                return try LocalDates.parse(text, option: what).isoDate
            } catch {
                fail(line, error.description)
                return nil
            }
        }

        // MARK: YAML

        mutating func yaml(_ text: String) throws(ReportsError) -> [CaseEntry] {
            let file: YAMLFile
            do { file = try YAMLFile(path: path, text: text) } catch { throw ReportsError(error.description) }
            guard let root = file.root else { return [] }
            let list = root.value(forKey: "cases") ?? root
            guard let items = list.items else {
                fail(line(list), "expected a list of cases (or `cases:` holding one)")
                return []
            }
            return items.compactMap { entry($0) }
        }

        func line(_ n: Node?) -> Int? { n?.mark?.line }

        mutating func strings(_ n: Node?, _ what: String) -> [String] {
            guard let n else { return [] }
            if let items = n.items { return items.compactMap { $0.text } }
            if let t = n.text { return t.split(whereSeparator: { $0 == "," || $0 == ";" }).map { $0.trimmingCharacters(in: .whitespaces) } }
            fail(line(n), "\(what) must be a list")
            return []
        }

        static let fields: Set<String> = [
            "id", "title", "source", "unit", "leader", "opened", "deadline", "status", "status_date", "stations", "rules", "notes", "closed",
        ]

        mutating func entry(_ n: Node) -> CaseEntry? {
            guard let pairs = n.pairs else {
                fail(line(n), "a case must be a mapping (id:, title:, source:, …)")
                return nil
            }
            let before = errors.count
            for (k, _) in pairs where !Self.fields.contains(k.text ?? "") {
                fail(line(k), "unknown field '\(k.text ?? "?")' (expected one of \(Self.fields.sorted().joined(separator: ", ")))")
            }
            func text(_ key: String) -> String? { n.value(forKey: key)?.text?.trimmingCharacters(in: .whitespaces) }
            guard let id = text("id"), !id.isEmpty else {
                fail(line(n), "a case needs an 'id'")
                return nil
            }
            if id.contains(where: { $0 == "," || $0.isWhitespace }) { fail(line(n.value(forKey: "id")), "case id '\(id)' must not contain spaces or commas") }
            let title = text("title") ?? ""
            if title.isEmpty { fail(line(n), "case \(id) needs a 'title'") }
            var source = CaseSource.complaint
            if let s = text("source") {
                if let v = CaseSource(parsing: s) { source = v } else {
                    fail(line(n.value(forKey: "source")), "case \(id): unknown source '\(s)' (central-inspection 中央环保督察, provincial-inspection 省级督察, complaint 信访投诉, alert 预警)")
                }
            } else {
                fail(line(n), "case \(id) needs a 'source'")
            }
            var status: CaseStatus?
            if let s = text("status") {
                status = CaseStatus(parsing: s)
                if status == nil { fail(line(n.value(forKey: "status")), "case \(id): unknown status '\(s)' (open, in-progress, done, closed)") }
            }
            var notes: [CaseEntry.Note] = []
            if let list = n.value(forKey: "notes") {
                for item in list.items ?? [] {
                    if let note = note(item, id: id, textKey: "text") { notes.append(note) }
                }
                if list.items == nil { fail(line(list), "case \(id): notes must be a list") }
            }
            let closed = n.value(forKey: "closed").flatMap { note($0, id: id, textKey: "note") }
            let entry = CaseEntry(
                id: id, title: title, source: source, unit: text("unit") ?? "", leader: text("leader") ?? "",
                opened: date(text("opened"), "case \(id): opened", line: line(n.value(forKey: "opened"))),
                deadline: date(text("deadline"), "case \(id): deadline", line: line(n.value(forKey: "deadline"))), status: status,
                statusDate: date(text("status_date"), "case \(id): status_date", line: line(n.value(forKey: "status_date"))),
                stations: strings(n.value(forKey: "stations"), "stations"), rules: strings(n.value(forKey: "rules"), "rules"), notes: notes,
                closed: closed, origin: "\(path):\(line(n) ?? 0)")
            return errors.count == before ? entry : nil
        }

        mutating func note(_ n: Node, id: String, textKey: String) -> CaseEntry.Note? {
            guard n.pairs != nil else {
                fail(line(n), "case \(id): a note must be a mapping (date:, \(textKey):, evidence:)")
                return nil
            }
            guard let d = n.value(forKey: "date")?.text else {
                fail(line(n), "case \(id): a note needs its 'date'")
                return nil
            }
            guard let day = date(d, "case \(id): note date", line: line(n.value(forKey: "date"))) else { return nil }
            let body = n.value(forKey: textKey)?.text ?? ""
            if body.isEmpty { fail(line(n), "case \(id): the note of \(day) needs its '\(textKey)'") }
            var status: CaseStatus?
            if let s = n.value(forKey: "status")?.text {
                status = CaseStatus(parsing: s)
                if status != .inProgress && status != .done {
                    fail(line(n.value(forKey: "status")), "case \(id): a note's status is in-progress or done, not '\(s)'")
                }
            }
            return CaseEntry.Note(date: day, text: body, evidence: strings(n.value(forKey: "evidence"), "evidence"), status: status)
        }

        // MARK: CSV

        static let columns: Set<String> = [
            "id", "title", "source", "unit", "leader", "opened", "deadline", "status", "status_date", "stations", "rules", "note",
        ]

        mutating func csv(_ text: String) -> [CaseEntry] {
            let rows = Self.records(text)
            guard let header = rows.first else { return [] }
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            for name in names where !Self.columns.contains(name) {
                fail(header.line, "unknown column '\(name)' (expected \(Self.columns.sorted().joined(separator: ",")))")
            }
            for required in ["id", "title", "source"] where !names.contains(required) { fail(header.line, "the header needs a '\(required)' column") }
            guard errors.isEmpty else { return [] }
            var out: [CaseEntry] = []
            for row in rows.dropFirst() where !(row.fields.count == 1 && row.fields[0].isEmpty) {
                if row.fields.count != names.count {
                    fail(row.line, "\(row.fields.count) fields where the header has \(names.count)")
                    continue
                }
                var v: [String: String] = [:]
                for (name, field) in zip(names, row.fields) { v[name] = field.trimmingCharacters(in: .whitespaces) }
                let before = errors.count
                let id = v["id"] ?? ""
                if id.isEmpty { fail(row.line, "the id is empty") }
                if (v["title"] ?? "").isEmpty { fail(row.line, "case \(id) has no title") }
                let source = CaseSource(parsing: v["source"] ?? "")
                if source == nil { fail(row.line, "case \(id): unknown source '\(v["source"] ?? "")' (central-inspection, provincial-inspection, complaint, alert)") }
                var status: CaseStatus?
                if let s = v["status"], !s.isEmpty {
                    status = CaseStatus(parsing: s)
                    if status == nil { fail(row.line, "case \(id): unknown status '\(s)' (open, in-progress, done, closed)") }
                }
                let statusDate = date(v["status_date"], "case \(id): status_date", line: row.line)
                func list(_ s: String?) -> [String] { (s ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
                var notes: [CaseEntry.Note] = []
                if let n = v["note"], !n.isEmpty {
                    notes.append(CaseEntry.Note(date: statusDate ?? date(v["opened"], "opened", line: row.line) ?? "", text: n))
                }
                let entry = CaseEntry(
                    id: id, title: v["title"] ?? "", source: source ?? .complaint, unit: v["unit"] ?? "", leader: v["leader"] ?? "",
                    opened: date(v["opened"], "case \(id): opened", line: row.line), deadline: date(v["deadline"], "case \(id): deadline", line: row.line),
                    status: status, statusDate: statusDate, stations: list(v["stations"]), rules: list(v["rules"]),
                    notes: notes.filter { !$0.date.isEmpty }, origin: "\(path):\(row.line)")
                if errors.count == before { out.append(entry) }
            }
            return out
        }

        /// RFC 4180 records with the line each starts on: quoted fields may hold commas, quotes
        /// (doubled) and line breaks.
        static func records(_ text: String) -> [(line: Int, fields: [String])] {
            var out: [(Int, [String])] = []
            var fields: [String] = [], field = "", quoted = false, line = 1, start = 1, afterQuote = false
            var chars = Array(text)
            if chars.first == "\u{FEFF}" { chars.removeFirst() }
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if quoted {
                    if c == "\"" {
                        if i + 1 < chars.count && chars[i + 1] == "\"" {
                            field.append("\"")
                            i += 1
                        } else {
                            quoted = false
                            afterQuote = true
                        }
                    } else {
                        if c == "\n" || c == "\r\n" { line += 1 }
                        field.append(c)
                    }
                } else if c == "\"" && field.isEmpty && !afterQuote {
                    quoted = true
                } else if c == "," {
                    fields.append(field)
                    field = ""
                    afterQuote = false
                } else if c == "\n" || c == "\r\n" || c == "\r" {
                    fields.append(field)
                    out.append((start, fields))
                    fields = []
                    field = ""
                    afterQuote = false
                    line += 1
                    start = line
                } else {
                    field.append(c)
                }
                i += 1
            }
            if !field.isEmpty || !fields.isEmpty {
                fields.append(field)
                out.append((start, fields))
            }
            return out
        }
    }
}
