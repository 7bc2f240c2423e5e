/// A problem in a configuration file (sensors/, a mapping, later rules and settings), located to
/// its file, line and column so an operator can go straight to it.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is; compare codes, not messages.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unreadable, syntax, missingField, wrongType, unknownParameter, unknownKind, duplicateID,
                duplicateMN, badTimeZone, badValue, unknownField, unknownStation
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }
        public var description: String { base.rawValue }

        /// The file could not be read.
        public static let unreadable = Code(.unreadable)
        /// The file is not valid YAML.
        public static let syntax = Code(.syntax)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong shape (a list where a mapping belongs…).
        public static let wrongType = Code(.wrongType)
        /// A parameter the catalogue does not know.
        public static let unknownParameter = Code(.unknownParameter)
        /// A station kind that does not exist.
        public static let unknownKind = Code(.unknownKind)
        /// Two stations share an id.
        public static let duplicateID = Code(.duplicateID)
        /// Two stations share an HJ 212 MN.
        public static let duplicateMN = Code(.duplicateMN)
        /// A time zone that is not an IANA zone name.
        public static let badTimeZone = Code(.badTimeZone)
        /// A value of the right type that makes no sense (a negative interval, min above max…).
        public static let badValue = Code(.badValue)
        /// A field envmon does not know, usually a typo.
        public static let unknownField = Code(.unknownField)
        /// A station id that sensors/ does not define.
        public static let unknownStation = Code(.unknownStation)
    }

    /// What kind of problem.
    public var code: Code
    /// What is wrong, for people.
    public var message: String
    /// The file, as given to the loader.
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?

    /// Creates an error.
    public init(_ code: Code, _ message: String, file: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column: message`, the form editors and CI understand.
    public var description: String {
        var s = file
        if let line {
            s += ":\(line)"
            if let column { s += ":\(column)" }
        }
        return s + ": " + message
    }
}

/// Several configuration problems found in one pass, so the operator fixes them all at once.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// Every problem found, in file and line order.
    public var errors: [ConfigError]

    /// Creates the collection.
    public init(_ errors: [ConfigError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
