import Hummingbird
import Monitoring
import Reports
import Store

/// `GET /api/v1/query?station=&parameter=&from=&to=&step=&agg=&kind=&flow=` (role `read`): the
/// same ``SeriesQuery`` as `envmon query`, raw readings without `step`. JSON as `envmon query
/// --format json` prints it, CSV (`format=csv` or `Accept: text/csv`) as `--format csv`.
/// `from` and `to` take dates, ISO 8601 times and relative times (`now-7d`). `format=table` gives
/// the command's table as text: `envmon query` beside a daemon asks it so, and prints what a read
/// of the daemon's store sees (every committed reading, staged ones included).
struct QueryRoutes: HTTPRouteProvider {
    let data: APIData

    func addRoutes(to api: APIRouter) {
        api.get("/api/v1/query", role: .read, summary: "A series' raw readings, or its aggregates by step, with valid counts") { request, _ in
            let p = APIParameters(request)
            let table = p.string("format") == "table"
            let csv = try !table && APIResponse.wantsCSV(request)
            let query = SeriesQuery(
                station: try p.required("station"), parameter: try p.required("parameter"), kind: try p.choice("kind", SeriesKind.self),
                from: p.string("from"), to: p.string("to"), step: p.string("step"), aggregation: try p.choice("agg", Aggregation.self) ?? .avg,
                flow: p.string("flow"), argumentPrefix: "")
            let result = try await calling { try await query.run(stations: data.stations(), store: data.store, now: data.now()) }
            if table { return APIResponse.text(SeriesQueryOutput.render(result, format: .table, sparkline: false)) }
            // CSV as the bytes it is written in, without a string between them and the buffer.
            if csv { return APIResponse.csv(utf8: SeriesQueryOutput.renderUTF8(result, format: .csv)) }
            return APIResponse.jsonText(SeriesQueryOutput.render(result, format: .json))
        }
    }
}
