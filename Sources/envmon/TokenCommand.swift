public import ArgumentParser
public import EnvmonHTTP
import Foundation

/// `envmon token`: makes API tokens and their hashes for `http.tokens`. The config holds only the
/// SHA-256 of a token; the token itself is shown once, here, and goes to whoever uses it.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Make an API token, or hash one, for http.tokens in the config.",
        subcommands: [New.self, Hash.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new",
            abstract: "Print a new random token and the config line that admits it.",
            discussion: """
                The token is printed once: give it to its user (a Telegraf, a script, a colleague) and put \
                the line into http.tokens of envmon.yaml; the daemon reads tokens at start and on SIGHUP.
                """)

        @Option(help: "Who holds it (shown in logs and audit fields, never the token).") var name: String
        @Option(help: "ingest, read, operate or admin.") var role: Role

        func run() throws {
            guard !name.isEmpty, name != LocalToken.name else { throw CLIError("--name: '\(name)' cannot name a token") }
            let token = AccessToken.generate()
            print("token:  \(token)")
            print("config: - {name: \(name), role: \(role.rawValue), sha256: \"\(AccessToken.hash(token))\"}")
        }
    }

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash",
            abstract: "Print the SHA-256 of a token read from standard input (not an argument: shells keep history).")

        func run() throws {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else { throw CLIError("no token on standard input") }
            print(AccessToken.hash(line.trimmingCharacters(in: .whitespaces)))
        }
    }
}

extension Role: ExpressibleByArgument {}
