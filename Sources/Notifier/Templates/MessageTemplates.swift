import Store
public import Foundation
import Mustache

/// Renders a message into the texts people read: a subject (or title), plain text, HTML and
/// markdown (the robots'), in Chinese or English.
///
/// The shipped templates are Mustache, embedded in the binary (``ShippedTemplates``); an
/// operator overrides any of them by putting a file of the same name (`subject.zh-CN.mustache`,
/// `text.en.mustache`, `html.zh-CN.mustache`, `markdown.en.mustache`, …) in the folder named by
/// `templates:`. Only `html.*` escapes HTML; the others render values as they are.
///
/// ```swift
/// let templates = try MessageTemplates(overridesFolder: "/etc/envmon/templates")
/// let mail = templates.render(message, language: .zhCN)
/// ```
public struct MessageTemplates: Sendable {
    /// What a template renders.
    public enum Kind: String, Sendable, CaseIterable {
        case subject, text, html, markdown
    }

    private let library: [String: MustacheTemplate]
    private let zone: @Sendable (String) -> TimeZone?
    private let defaultZone: TimeZone
    /// The override files that were loaded, by template name.
    public let overridden: [String: String]

    /// Loads the shipped templates and, from `overridesFolder` when given, files of the same
    /// names; other files there are ignored.
    /// - Parameters:
    ///   - overridesFolder: the `templates:` folder, or nil.
    ///   - defaultZone: the zone local times are shown in when `zone` knows none (Asia/Shanghai).
    ///   - zone: a station's time zone, by station id.
    /// - Throws: ``NotifierError/Code/badTemplate`` naming the file, line and column of a
    ///   template that does not parse, or a file that cannot be read.
    public init(
        overridesFolder: String? = nil, defaultZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt,
        zone: @escaping @Sendable (String) -> TimeZone? = { _ in nil }
    ) throws(NotifierError) {
        var library: [String: MustacheTemplate] = [:]
        var overridden: [String: String] = [:]
        for (name, source) in ShippedTemplates.all {
            var text = source
            var origin = "shipped template \(name)"
            if let folder = overridesFolder {
                let path = URL(fileURLWithPath: folder).appendingPathComponent(name).path
                if FileManager.default.fileExists(atPath: path) {
                    guard let data = FileManager.default.contents(atPath: path), let string = String(data: data, encoding: .utf8) else {
                        throw NotifierError(.badTemplate, "\(path): cannot be read as UTF-8 text")
                    }
                    text = string
                    origin = path
                    overridden[name] = path
                }
            }
            library[name] = try Self.parse(text, html: name.hasPrefix("html."), origin: origin)
        }
        self.library = library
        self.overridden = overridden
        self.defaultZone = defaultZone
        self.zone = zone
    }

    /// The texts of `message` in `language`.
    public func render(_ message: NotificationMessage, language: MessageLanguage) -> RenderedMessage {
        var context = self.context(message, language: language)
        let subject = render(.subject, context: context, language: language)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        context["subject"] = subject
        return RenderedMessage(
            subject: subject, text: render(.text, context: context, language: language),
            html: render(.html, context: context, language: language), markdown: render(.markdown, context: context, language: language))
    }

    /// One text of `message` (the subject is available to the others as `{{subject}}`).
    public func render(_ kind: Kind, _ message: NotificationMessage, language: MessageLanguage) -> String {
        var context = self.context(message, language: language)
        let subject = render(.subject, context: context, language: language)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        if kind == .subject { return subject }
        context["subject"] = subject
        return render(kind, context: context, language: language)
    }

    /// The file name of a template.
    public static func fileName(_ kind: Kind, _ language: MessageLanguage) -> String { "\(kind.rawValue).\(language.rawValue).mustache" }

    private func context(_ message: NotificationMessage, language: MessageLanguage) -> [String: Any] {
        let zone = self.zone, defaultZone = self.defaultZone
        return TemplateContext(language: language, zone: { zone($0) ?? defaultZone }).make(message)
    }

    private func render(_ kind: Kind, context: [String: Any], language: MessageLanguage) -> String {
        library[Self.fileName(kind, language)]?.render(context) ?? ""
    }

    /// Parses `text`; a non-HTML template is given the TEXT content type in front, on its first
    /// line, so positions in errors are shifted back by its length.
    static func parse(_ text: String, html: Bool, origin: String) throws(NotifierError) -> MustacheTemplate {
        let pragma = html ? "" : "{{% CONTENT_TYPE: TEXT}}"
        do {
            return try MustacheTemplate(string: pragma + text)
        } catch let error as MustacheTemplate.ParserError {
            let c = error.context
            let column = c.lineNumber == 1 ? max(1, c.columnNumber - pragma.count) : c.columnNumber
            let line = c.lineNumber == 1 ? String(c.line.dropFirst(pragma.count)) : c.line
            throw NotifierError(.badTemplate, "\(origin):\(c.lineNumber):\(column): \(error.error) in \"\(line)\"")
        } catch {
            throw NotifierError(.badTemplate, "\(origin): \(error)")
        }
    }
}

/// A message's texts.
public struct RenderedMessage: Sendable, Hashable {
    /// One line: the mail subject, the robot's title.
    public var subject: String
    public var text: String
    /// Values HTML-escaped.
    public var html: String
    public var markdown: String
}
