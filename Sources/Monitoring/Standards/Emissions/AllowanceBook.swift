/// The yearly allowances of targets/allowances.yaml, by name, in file order. The load report and
/// the reduction-target rules read the same book, so both judge a year by the same amount.
public struct AllowanceBook: Sendable, Hashable {
    /// Every definition, in file order.
    public let allowances: [YearlyAllowance]

    /// Creates a book; names are unique (the loader checks).
    public init(_ allowances: [YearlyAllowance] = []) { self.allowances = allowances }

    /// The definition named `name`.
    public subscript(name: String) -> YearlyAllowance? { allowances.first { $0.name == name } }

    /// Whether the book has no definitions.
    public var isEmpty: Bool { allowances.isEmpty }
}
