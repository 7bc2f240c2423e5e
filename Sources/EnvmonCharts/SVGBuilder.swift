/// Builds an SVG document as text: elements with their attributes escaped.
struct SVGBuilder {
    private(set) var text = ""

    /// Opens the root element: a `viewBox` of `width`×`height` drawn at the container's width.
    init(width: Int, height: Int, label: String?, testID: String) {
        text.reserveCapacity(16_384)
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"100%\""
        text += " preserveAspectRatio=\"xMidYMid meet\" role=\"img\" class=\"chart\" data-test=\"\(SVGText.escape(testID))\""
        if let label { text += " aria-label=\"\(SVGText.escape(label))\"" }
        text += " font-family=\"sans-serif\" font-size=\"12\">"
        if let label { text += "<title>\(SVGText.escape(label))</title>" }
    }

    /// An element without content; attributes in the order given (values escaped).
    mutating func empty(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<" + name
        append(attributes)
        text += "/>"
    }

    /// An element with escaped text content.
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text content: String) {
        text += "<" + name
        append(attributes)
        text += ">" + SVGText.escape(content) + "</" + name + ">"
    }

    /// Opens an element whose content follows.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String>) {
        text += "<" + name
        append(attributes)
        text += ">"
    }

    /// Closes an element opened with ``open(_:_:)``.
    mutating func close(_ name: String) { text += "</" + name + ">" }

    /// A `<title>` (a tooltip of its parent).
    mutating func title(_ content: String) { element("title", [:], text: content) }

    /// Closes the root and returns the document.
    mutating func finish() -> String {
        text += "</svg>"
        return text
    }

    private mutating func append(_ attributes: KeyValuePairs<String, String>) {
        for (k, v) in attributes { text += " " + k + "=\"" + SVGText.escape(v) + "\"" }
    }
}
