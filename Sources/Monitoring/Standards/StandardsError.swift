/// Why a standard could not be applied to the values it was given.
///
/// The one error type of the standards: an unknown parameter, a period the standard does not index, a
/// negative or malformed concentration, or the same value given twice.
public struct StandardsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is; compare with the `static let` members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unknownParameter = "unknown parameter"
            case unsupportedPeriod = "unsupported averaging period"
            case invalidValue = "invalid value"
            case duplicateValue = "duplicate value"
            case notApplicable = "not applicable"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The parameter or pollutant is not in the standard.
        public static let unknownParameter = Code(.unknownParameter)
        /// The standard has no breakpoints or limits for this averaging period of the pollutant.
        public static let unsupportedPeriod = Code(.unsupportedPeriod)
        /// The value is negative, not a number, or outside what the formula accepts.
        public static let invalidValue = Code(.invalidValue)
        /// The same parameter and period were given more than once.
        public static let duplicateValue = Code(.duplicateValue)
        /// The standard defines nothing for this case (for example an oxygen content at or above the cut-off).
        public static let notApplicable = Code(.notApplicable)

        public var description: String { base.rawValue }
    }

    /// What kind of problem it is.
    public var code: Code
    /// A message for people, naming the value and the standard.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
