import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG parsed by Foundation's XMLParser: proof that it is well-formed XML, and its elements
/// with their attributes and text, to check what a browser would draw.
final class SVGDocument: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var parents: [String]
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private(set) var error: (any Error)?

    /// Parses `svg`; `nil` when it is not well-formed.
    static func parse(_ svg: String) -> SVGDocument? {
        let doc = SVGDocument()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = doc
        return parser.parse() && doc.error == nil ? doc : nil
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        elements.append(Element(name: name, attributes: attributes, parents: stack.map { elements[$0].name }))
        stack.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = stack.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) { error = parseError }

    /// The elements named `name`.
    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// The elements whose `data-test` is `id`.
    func tagged(_ id: String) -> [Element] { elements.filter { $0.attributes["data-test"] == id } }

    /// The element following `element` in document order (its first child, for a group).
    func after(_ element: Element) -> [Element] {
        guard let i = elements.firstIndex(where: { $0.name == element.name && $0.attributes == element.attributes }) else { return [] }
        return Array(elements[(i + 1)...])
    }
}
