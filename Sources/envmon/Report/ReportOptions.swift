public import ArgumentParser
import Foundation
public import Reports

/// The language and format every report takes.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: "zh-CN or en (default: env ENVMON_LANG, else zh-CN).")
    var lang: ReportLanguage = ProcessInfo.processInfo.environment["ENVMON_LANG"].flatMap(ReportLanguage.init(parsing:)) ?? .zhCN

    @Option(name: .long, help: "text, json or csv.")
    var format: ReportFormat = .text
}

extension ReportLanguage: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
