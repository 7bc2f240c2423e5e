import Foundation

/// The fields of an `application/x-www-form-urlencoded` body, as HTML forms send them.
public struct FormBody: Sendable, Equatable {
    /// The fields in order (a name may repeat: checkboxes, several matchers).
    public let fields: [(name: String, value: String)]

    /// Parses a form body; `+` is a space, `%XX` a byte of UTF-8.
    public init(_ text: String) {
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The first value of a field; nil when absent.
    public subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Every value of a field, in order.
    public func all(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }

    static func decode(_ part: Substring) -> String {
        let spaced = part.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    public static func == (a: FormBody, b: FormBody) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }
}
