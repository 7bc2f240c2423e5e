import EnvmonConfig
import Foundation

/// The bureau's zone alone (`reports.time_zone` of the daemon's config): what the alert and case
/// commands need, read without the rest of the file, whose secrets (`password_file`, notify's
/// `*_file`) an operator other than the daemon's user may not be able to read.
enum BureauZone {
    /// The zone without a config, or a config without the setting: the daemon's default too.
    static let beijing = TimeZone(identifier: "Asia/Shanghai")!

    /// The config a command reads: `config`, else `$ENVMON_CONFIG`, else ./envmon.yaml; without
    /// `config`, only a file that exists (the reports' rule, shared by every command).
    static func configPath(_ config: String?) -> String? {
        if let config { return config }
        let path = ProcessInfo.processInfo.environment["ENVMON_CONFIG"].flatMap { $0.isEmpty ? nil : $0 } ?? "envmon.yaml"
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// `reports.time_zone` of the config that ``configPath(_:)`` finds; Beijing time without one.
    /// Throws `file:line:column: message` for a file that cannot be read or a zone that is not an
    /// IANA name, as the daemon would refuse it.
    static func read(config: String?) throws -> TimeZone {
        guard let path = configPath(config) else { return beijing }
        let file: YAMLFile
        do { file = try YAMLFile(path: path) } catch { throw CLIError("the config file has errors:\n\(error)") }
        guard let node = file.root?.value(forKey: "reports")?.value(forKey: "time_zone") else { return beijing }
        guard let zone = node.text.flatMap(TimeZone.init(identifier:)) else {
            throw CLIError("the config file has errors:\n\(file.error(.badTimeZone, "expected an IANA time zone such as Asia/Shanghai", at: node))")
        }
        return zone
    }
}
