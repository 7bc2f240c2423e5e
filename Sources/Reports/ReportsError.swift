/// Why a report could not be made: a bad argument, an unknown station or parameter, a missing
/// store, or a standard that has no limit for what was asked. The message names what and where,
/// in English (the reports' own text follows `--lang`; errors are for the operator's terminal).
public struct ReportsError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ message: String) { description = message }
}
