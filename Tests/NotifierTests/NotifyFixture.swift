import EnvmonConfig
import EnvmonTesting
import Notifier
import Testing

/// Writes an `envmon.yaml` into a fresh folder and reads its `notify:` section.
struct NotifyFixture {
    let folder = TemporaryDirectory("envmon-notify")

    /// Loads the `notify:` section of `yaml`.
    func load(_ yaml: String) throws -> NotifyConfiguration {
        let file = try YAMLFile(path: folder.write("envmon.yaml", yaml))
        let node = try #require(file.root?.value(forKey: "notify"))
        return try NotifyConfigurationLoader().load(node, in: file)
    }

    /// The problems `yaml` has (none when it loads).
    func problems(_ yaml: String) throws -> [ConfigError] {
        do {
            _ = try load(yaml)
            return []
        } catch let errors as ConfigErrors {
            return errors.errors
        }
    }

    /// Expects `yaml` to have a problem with `code` at `line`:`column` whose message contains
    /// every one of `words`, and the rendered `file:line:column: message` form.
    func expectProblem(
        _ yaml: String, _ code: ConfigError.Code, line: Int, column: Int, _ words: String..., sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let problems = try problems(yaml)
        let found = problems.first { $0.line == line && $0.column == column }
        #expect(found != nil, "no problem at \(line):\(column); got \(problems.map(\.description))", sourceLocation: sourceLocation)
        guard let found else { return }
        #expect(found.code == code, "\(found)", sourceLocation: sourceLocation)
        #expect(found.description.hasPrefix("\(folder.file("envmon.yaml")):\(line):\(column): "), sourceLocation: sourceLocation)
        for word in words {
            #expect(found.message.contains(word), "'\(found.message)' should name \(word)", sourceLocation: sourceLocation)
        }
    }
}
