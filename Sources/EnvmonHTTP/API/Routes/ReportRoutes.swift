import EnvmonConfig
import Foundation
import Hummingbird
import Monitoring
import Reports
import Store

/// The reports (role `read`), made by the same `Reports` code as `envmon report …`, with the
/// command's options as query parameters, `lang=zh-CN|en`, JSON by default, CSV on request:
///
/// - `/api/v1/reports/air?year=|month=|from=&to=[&site=…][&label=K=V…][&grade=1|2]`
/// - `/api/v1/reports/water?year=|month=|from=&to=[&section=…][&label=K=V…]`
/// - `/api/v1/reports/load[?from=][&to=][&station=…][&pollutant=…][&by=station|LABEL]`
/// - `/api/v1/reports/scorecard?year=[&asOf=YYYY-MM-DD]`
/// - `/api/v1/reports/exceedance-days?station=&parameter=[&from=][&to=][&grade=][&kind=]`
struct ReportRoutes: HTTPRouteProvider {
    let data: APIData

    func addRoutes(to api: APIRouter) {
        api.get("/api/v1/reports/air", role: .read, summary: "The ambient-air evaluation (HJ 663) of sites and their city") { request, _ in
            let p = APIParameters(request)
            let (format, language) = try formatAndLanguage(p, request)
            let output = try await calling {
                let period = try ReportPeriod.parse(year: p.string("year"), month: p.string("month"), from: p.string("from"), to: p.string("to"), prefix: "")
                let request = AirReportRequest(
                    period: period, sites: p.list("site"), labels: try ReportLabels.parse(p.list("label"), option: "label"), grade: try grade(p))
                return AirReportOutput(report: try await AirReport.make(request, stations: data.stations(), store: data.store), language: language)
            }
            return answer(output.render(format), format)
        }
        api.get("/api/v1/reports/water", role: .read, summary: "The section month: each surface-water section's class against its target") {
            request, _ in
            let p = APIParameters(request)
            let (format, language) = try formatAndLanguage(p, request)
            let output = try await calling {
                let period = try ReportPeriod.parse(year: p.string("year"), month: p.string("month"), from: p.string("from"), to: p.string("to"), prefix: "")
                let request = WaterReportRequest(period: period, sections: p.list("section"), labels: try ReportLabels.parse(p.list("label"), option: "label"))
                return WaterReportOutput(report: try await WaterReport.make(request, stations: data.stations(), store: data.store), language: language)
            }
            return answer(output.render(format), format)
        }
        api.get("/api/v1/reports/load", role: .read, summary: "Emission loads against the yearly allowances") { request, _ in
            let p = APIParameters(request)
            let (format, language) = try formatAndLanguage(p, request)
            let output = try await calling {
                let stations = data.stations()
                var request = LoadRequest(stations: p.list("station"), pollutants: p.list("pollutant"), grouping: LoadGrouping(parsing: p.string("by") ?? "station"))
                request.from = try p.string("from").map { try LocalDates.parse($0, option: "from") }
                request.to = try p.string("to").map { try LocalDates.parse($0, option: "to") }
                let allowances = try allowanceBook(stations)
                let report = try await LoadReport.make(request, stations: stations, allowances: allowances, now: data.now(), store: data.store)
                return LoadOutput(report: report, language: language)
            }
            return answer(output.render(format), format)
        }
        api.get("/api/v1/reports/scorecard", role: .read, summary: "The year's indicators against their targets") { request, _ in
            let p = APIParameters(request)
            let (format, language) = try formatAndLanguage(p, request)
            guard let year = try p.int("year", in: 1970...9999) else { throw APIError.badParameter("year", "required") }
            let text = try await calling {
                let stations = data.stations()
                let definition = try ScorecardDefinition.load(directory: data.targetsPath, year: year)
                let asOf = try p.string("asOf").map { try LocalDates.parse($0, option: "asOf") } ?? ZoneCalendar(data.timeZone).civil(at: data.now())
                var measurer = StoreIndicatorMeasurer(store: data.store, stations: stations, zone: data.timeZone)
                measurer.allowances = try allowanceBook(stations)
                measurer.now = data.now()
                return try await Scorecard.make(definition, asOf: asOf, measurer: measurer).render(format, language: language)
            }
            return answer(text, format)
        }
        api.get("/api/v1/reports/exceedance-days", role: .read, summary: "A station's days above the GB 3095 24-hour limit") { request, _ in
            let p = APIParameters(request)
            let (format, _) = try formatAndLanguage(p, request)
            var report = ExceedanceDaysRequest(
                station: try p.required("station"), parameter: try p.required("parameter"), grade: try grade(p), kind: try p.choice("kind", SeriesKind.self))
            let text = try await calling {
                report.from = try p.string("from").map { try LocalDates.parse($0, option: "from") }
                report.to = try p.string("to").map { try LocalDates.parse($0, option: "to") }
                let stations = data.stations()
                guard stations[report.station] != nil else {
                    throw ReportsError("unknown station '\(report.station)'", argument: "station", notFound: true)
                }
                return try await ExceedanceDaysReport.make(report, stations: stations, now: data.now(), store: data.store).render(format)
            }
            return answer(text, format)
        }
    }

    private func formatAndLanguage(_ p: APIParameters, _ request: Request) throws -> (ReportFormat, ReportLanguage) {
        (try APIResponse.wantsCSV(request) ? .csv : .json, try p.language(data.language))
    }

    private func grade(_ p: APIParameters) throws -> AmbientGrade {
        guard let text = p.string("grade") else { return .two }
        guard let n = Int(text), let grade = AmbientGrade(rawValue: n) else { throw APIError.badParameter("grade", "'\(text)' is not 1 or 2") }
        return grade
    }

    private func allowanceBook(_ stations: StationRegistry) throws -> AllowanceBook {
        do {
            return try AllowanceLoader(stations: stations).load(directory: data.targetsPath)
        } catch {
            throw APIError.unavailable("the allowances in \(data.targetsPath)/ have errors: \(error)")
        }
    }

    private func answer(_ text: String, _ format: ReportFormat) -> Response {
        format == .csv ? APIResponse.csv(text) : APIResponse.jsonText(text)
    }
}
