import ArgumentParser
import CCurl
import Foundation
import GRDBSQLite

/// `envmon version`: the versions of envmon and of the C libraries it runs on.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print versions.")

    static let version = "0.1.0"

    func run() {
        print("envmon \(VersionCommand.version)")
        print("sqlite \(String(cString: sqlite3_libversion()))")
        print(String(cString: curl_version()))
    }
}
