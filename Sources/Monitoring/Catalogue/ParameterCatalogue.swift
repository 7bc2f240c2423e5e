/// The set of parameters envmon knows, looked up by id, HJ 212 code or alias.
///
/// ```swift
/// let cod = ParameterCatalogue.standard["COD"]          // by id
/// let same = ParameterCatalogue.standard.byCode("w01018") // by HJ 212-2017 code
/// let old = ParameterCatalogue.standard.byCode("011")     // by HJ/T 212-2005 code
/// ```
///
/// The 2005 codes of water (three digits) and gas (two digits) overlap in spirit only: `01` is
/// smoke dust and `001` is pH, so codes are matched exactly, never by number.
public struct ParameterCatalogue: Sendable {
    /// Every parameter, in catalogue order.
    public let parameters: [Parameter]
    private let byID: [String: Parameter]
    private let byFoldedName: [String: Parameter]
    private let byCodeTable: [String: Parameter]

    /// Creates a catalogue; later entries never replace earlier ones with the same id or code.
    public init(_ parameters: [Parameter]) {
        self.parameters = parameters
        var ids: [String: Parameter] = [:]
        var names: [String: Parameter] = [:]
        var codes: [String: Parameter] = [:]
        for p in parameters {
            if ids[p.id] == nil { ids[p.id] = p }
            for name in [p.id] + p.aliases where names[name.lowercased()] == nil {
                names[name.lowercased()] = p
            }
            if codes[p.code2017.lowercased()] == nil { codes[p.code2017.lowercased()] = p }
            if let old = p.code2005, codes[old.lowercased()] == nil { codes[old.lowercased()] = p }
        }
        byID = ids
        byFoldedName = names
        byCodeTable = codes
    }

    /// The parameter with this exact id.
    public subscript(id: String) -> Parameter? { byID[id] }

    /// The parameter with this id or alias, case-insensitively (`nh3-n`, `NH3N`, `pm25`).
    public func named(_ name: String) -> Parameter? { byID[name] ?? byFoldedName[name.lowercased()] }

    /// The parameter with this HJ 212-2017 or HJ/T 212-2005 code, case-insensitively.
    public func byCode(_ code: String) -> Parameter? { byCodeTable[code.lowercased()] }

    /// The catalogue shipped with envmon (see `reference/hj212.md` §10 for its sources).
    public static let standard = ParameterCatalogue(ParameterCatalogue.standardEntries)
}
