/// Why a report could not be made: a bad argument, an unknown station or parameter, a missing
/// store, or a standard that has no limit for what was asked. The message names what and where,
/// in English (the reports' own text follows `--lang`; errors are for the operator's terminal).
public struct ReportsError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for people.
    public let description: String
    /// The argument at fault as the caller named it (`--from`, `from`), when one is: the API
    /// answers 400 naming it.
    public let argument: String?
    /// Whether what was asked for does not exist (an unknown station, a series never stored):
    /// the API answers 404.
    public let isNotFound: Bool

    /// An error; `argument` names the argument at fault, when one is.
    public init(_ message: String, argument: String? = nil, notFound: Bool = false) {
        description = message
        self.argument = argument
        isNotFound = notFound
    }
}
