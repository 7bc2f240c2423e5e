public import ArgumentParser
import EnvmonConfig
import Foundation
public import Reports

/// The language and format every report (and the case register) takes.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: "zh-CN or en (default: $ENVMON_LANG, else reports.language in the config, else zh-CN).")
    var lang: ReportLanguage?

    @Option(name: .long, help: "text, json or csv.")
    var format: ReportFormat = .text

    @Option(name: .long, help: "The daemon's config file, for its reports: section (default: $ENVMON_CONFIG, else envmon.yaml when present).")
    var config: String?

    /// `--lang`, else `$ENVMON_LANG`, else the config's `reports.language`, else zh-CN: the people
    /// who read the reports work in Chinese.
    func language() throws -> ReportLanguage { try language(orConfig: settings) }

    /// The same, with the config read (only when it is needed) by `config`: a command that reads
    /// it for more than the language passes what it already read.
    func language(orConfig config: () throws -> ServeSettings?) throws -> ReportLanguage {
        if let lang { return lang }
        if let env = ProcessInfo.processInfo.environment["ENVMON_LANG"] {
            guard let parsed = ReportLanguage(parsing: env) else { throw CLIError("ENVMON_LANG '\(env)': expected zh-CN or en") }
            return parsed
        }
        return try config()?.reportLanguage ?? .zhCN
    }

    /// The config's `reports:` settings, when there is a config.
    func settings() throws -> ServeSettings? {
        guard let path = BureauZone.configPath(config) else { return nil }
        do {
            return try ServeSettings(path: path)
        } catch {
            throw CLIError(error.description)
        }
    }
}

extension ReportLanguage: ExpressibleByArgument {
    public init?(argument: String) { self.init(parsing: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
