import Foundation
import Hummingbird
import Monitoring
import Reports
import Store

/// Alerts (role `read`), read by the same ``AlertListing`` as `envmon alerts list`:
///
/// - `GET /api/v1/alerts[?state=active|all][&station=][&rule=][&from=][&to=]` → `{"active": [...],
///   "undelivered_notifications"}`; `state=all` adds `"recent"`, the transitions from `from`
///   (default `now-24h`) to `to`.
/// - `GET /api/v1/alerts/episodes[?from=][&to=][&station=][&rule=]` → `{"from", "to", "episodes":
///   [...]}`, the firing and no-data periods overlapping the range (default the last 24 hours),
///   each with how much was above the limit and how much without data.
/// - `GET /api/v1/alerts/history[?from=][&to=][&limit=][&station=][&rule=]` → `{"transitions": [...]}`,
///   newest first.
///
/// Dates and times follow the range rule in the bureau's zone; `now-7d` counts back from now.
struct AlertRoutes: HTTPRouteProvider {
    let data: APIData

    func addRoutes(to api: APIRouter) {
        api.get("/api/v1/alerts", role: .read, summary: "Active alerts; state=all adds the recent transitions") { request, _ in
            let p = APIParameters(request)
            let all: Bool
            switch p.string("state") ?? "active" {
            case "active": all = false
            case "all": all = true
            case let other: throw APIError.badParameter("state", "'\(other)' is not active or all")
            }
            let window = try range(p)
            let listing = try await listing(p, since: window.lowerBound, limit: 1_000, episodes: nil)
            var object = listing.jsonObject(includingEpisodes: false)
            if all {
                object["recent"] = listing.recent.filter { $0.at < window.upperBound }.map(listing.json)
            } else {
                object["recent"] = nil
            }
            return APIResponse.json(object)
        }
        api.get("/api/v1/alerts/episodes", role: .read, summary: "Alert episodes overlapping a range, with their coverage") { request, _ in
            let p = APIParameters(request)
            let window = try range(p)
            let listing = try await listing(p, since: window.upperBound, limit: 0, episodes: window)
            let calendar = ZoneCalendar(data.timeZone)
            return APIResponse.json([
                "from": calendar.iso8601(window.lowerBound), "to": calendar.iso8601(window.upperBound), "episodes": listing.episodes.map(listing.json),
            ])
        }
        api.get("/api/v1/alerts/history", role: .read, summary: "Alert state transitions, newest first") { request, _ in
            let p = APIParameters(request)
            let window = try range(p)
            let limit = try p.int("limit", in: 1...100_000) ?? 1_000
            let listing = try await listing(p, since: window.lowerBound, limit: limit, episodes: nil)
            return APIResponse.json(["transitions": listing.recent.filter { $0.at < window.upperBound }.map(listing.json)])
        }
    }

    /// `from` … `to` in the bureau's zone; by default the last 24 hours.
    private func range(_ p: APIParameters) throws -> Range<Int64> {
        let now = data.now()
        let calendar = ZoneCalendar(data.timeZone)
        do {
            let from = try p.string("from").map { try LocalDates.bound($0, option: "from", in: calendar, isEnd: false, now: now) } ?? now - 86_400
            let to = try p.string("to").map { try LocalDates.bound($0, option: "to", in: calendar, isEnd: true, now: now) } ?? now + 1
            guard from < to else { throw APIError.badParameter("from", "must be before to") }
            return from..<to
        } catch {
            throw APIError.from(error)
        }
    }

    private func listing(_ p: APIParameters, since: Int64, limit: Int, episodes: Range<Int64>?) async throws -> AlertListing {
        let filter = AlertListing.Filter(stations: p.list("station"), rules: p.list("rule"))
        return try await calling {
            try await AlertListing.make(
                store: data.store, stations: data.stations(), now: data.now(), filter: filter, since: since, limit: limit, episodes: episodes,
                rules: episodes == nil ? [] : data.rules())
        }
    }
}
