/// What a token may do. Every API route names the role it needs; a token's role grants it or not.
///
/// - `ingest`: write readings (`/write`, `/api/v1/readings`) and nothing else: a field gateway's
///   token must not read the city's data.
/// - `read`: every reading route (stations, series, queries, alerts, reports, cases).
/// - `operate`: what `read` may, and acknowledge, silence, and work on cases.
/// - `admin`: everything.
public enum Role: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ingest, read, operate, admin

    /// Whether a token of this role may use a route that needs `needed`.
    public func grants(_ needed: Role) -> Bool {
        switch (self, needed) {
        case (.admin, _): true
        case (.operate, .read), (.operate, .operate): true
        case (.read, .read): true
        case (.ingest, .ingest): true
        default: false
        }
    }

    public var description: String { rawValue }
}
