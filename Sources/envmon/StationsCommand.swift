import ArgumentParser
import Foundation
import Monitoring

/// `envmon stations`: checks sensors/ and lists the stations.
struct StationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stations",
        abstract: "Check the station definitions and list them.",
        discussion: "Errors are printed as file:line:column: message; the exit status is non-zero when there are any.")

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let registry: StationRegistry
        do {
            registry = try store.loadStations()
        } catch let error as CLIError {
            printError(error.description)
            throw ExitCode(1)
        }
        for s in registry.stations {
            let params = s.parameters.map { p in
                // Every limit with its sense: DO ≥ 5 is a minimum, pH 6–9 a range.
                p.limits.isEmpty ? p.parameter.id : p.limits.map { $0.summary(of: p.parameter.id) }.joined(separator: ", ")
            }
            print("\(s.id)  \(s.kind.rawValue)  every \(s.expectedInterval)s  \(s.timeZone.identifier)  MN \(s.mn ?? "-")")
            print("    \(s.name)")
            print("    \(params.joined(separator: ", "))")
        }
        print("\(registry.stations.count) stations")
    }
}
