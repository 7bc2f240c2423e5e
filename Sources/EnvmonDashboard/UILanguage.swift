import Foundation
public import Hummingbird

/// The languages of the pages.
public enum UILanguage: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// The `lang` attribute of the page.
    public var htmlLang: String { rawValue }

    /// The language of a request: `?lang=` first (the switch in the header), then the
    /// `envmon_lang` cookie it sets, then `Accept-Language` in the browser's order, then `fallback`.
    public static func of(_ request: Request, fallback: UILanguage) -> UILanguage {
        if let asked = request.uri.queryParameters.get("lang"), let language = UILanguage(tag: asked) { return language }
        if let cookie = request.cookies["envmon_lang"]?.value, let language = UILanguage(tag: cookie) { return language }
        if let accept = request.headers[.acceptLanguage], let language = fromAcceptLanguage(accept) { return language }
        return fallback
    }

    /// A language tag as browsers and people write it: `zh`, `zh-CN`, `zh-Hans-CN`, `en-GB`…
    public init?(tag: String) {
        let lower = tag.lowercased()
        if lower == "zh" || lower.hasPrefix("zh-") || lower.hasPrefix("zh_") {
            self = .zhCN
        } else if lower == "en" || lower.hasPrefix("en-") || lower.hasPrefix("en_") {
            self = .en
        } else {
            return nil
        }
    }

    /// The most wanted language of an `Accept-Language` header that the pages speak.
    static func fromAcceptLanguage(_ header: String) -> UILanguage? {
        var best: (UILanguage, Double)?
        for (position, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";")
            guard let tag = parts.first?.trimmingCharacters(in: .whitespaces), let language = UILanguage(tag: tag) else { continue }
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let p = parameter.trimmingCharacters(in: .whitespaces)
                if p.hasPrefix("q="), let q = Double(p.dropFirst(2)) { quality = q }
            }
            // Equal weights keep the browser's order.
            let score = quality - Double(position) * 1e-6
            if quality > 0, best == nil || score > best!.1 { best = (language, score) }
        }
        return best?.0
    }
}
