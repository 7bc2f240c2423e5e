import EnvmonConfig
import Foundation
import Monitoring
import Reports
import Store

extension DemoCommand {
    /// The bureau's own view of the demo city: its rectification tasks (seeds/cases.yaml, loaded
    /// into the register) as of today, and this year's scorecard against targets/.
    func printCasesAndScorecard(store: any MonitoringStore, stations: StationRegistry, language: ReportLanguage) async throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let now = Int64(Date().timeIntervalSince1970)
        let desk = CaseDesk(register: store.caseRegister, zone: zone)
        do {
            let imported = try await desk.importCases(try CaseFile.read("\(seeds)/cases.yaml"), by: "demo", now: now)
            let snapshot = try await CaseSnapshot.make(desk.register, asOf: nil, today: desk.dates.date(of: now), dates: desk.dates)
            print(language.pick("\n整改任务（\(seeds)/cases.yaml，\(imported.opened.count)项登记入库）", "\nCases (\(seeds)/cases.yaml, \(imported.opened.count) entered in the register)"))
            print(indent(CaseOutput.summary(CaseSummary(snapshot), format: .text, language: language)))
        } catch {
            print(language.pick("\n整改任务：\(error)", "\nCases: \(error)"))
        }

        let today = ZoneCalendar(zone).civil(at: now)
        let targets = "targets"
        do {
            // This year's targets, else the latest year's before it (the shipped file is 2026's).
            let definition = try ScorecardDefinition.latest(directory: targets, atOrBefore: today.year)
            var measurer = StoreIndicatorMeasurer(store: store, stations: stations, zone: zone)
            measurer.allowances = (try? AllowanceLoader(stations: stations).load(directory: targets)) ?? AllowanceBook()
            measurer.now = now
            let card = try await Scorecard.make(definition, asOf: today, measurer: measurer)
            print(language.pick("\n年度目标考核", "\nScorecard"))
            print(indent(card.render(.text, language: language)))
        } catch {
            print(language.pick("\n年度目标考核：\(error)", "\nScorecard: \(error)"))
        }
        print(
            "  try: envmon report scorecard --db \(db) --sensors \(sensors) --year 2026\n"
                + "       envmon cases summary --db \(db)    envmon report air --db \(db) --sensors \(sensors) --label city=Qinghe --year \(today.year)")
    }

    private func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
    }
}
