/// A `CP` item without a factor code, such as `RestartTime=20231007130452`, `RtdInterval=30`,
/// `QnRtn=1` or a vendor's bare `FANSTATUS=1`. `DataTime` is not one: see ``HJ212Decoded/dataTime``.
public struct HJ212Entry: Sendable, Hashable, CustomStringConvertible {
    /// The key as sent.
    public var name: String
    /// The value as sent.
    public var text: String

    /// Creates an entry.
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// `name=text`.
    public var description: String { "\(name)=\(text)" }
}
