public import Foundation

extension DeliveryTarget {
    /// The targets of `configuration` with real channels: libcurl for HTTP and mail, the
    /// shipped templates unless its `templates:` folder overrides them.
    /// - Parameter zone: a station's time zone by id, for local times in messages.
    /// - Throws: ``NotifierError`` when an override template does not parse.
    public static func make(
        for configuration: NotifyConfiguration, zone: @escaping @Sendable (String) -> TimeZone? = { _ in nil }
    ) throws(NotifierError) -> [DeliveryTarget] {
        let templates = try MessageTemplates(overridesFolder: configuration.templatesPath, zone: zone)
        return all(in: configuration) { ChannelFactory.make($0, templates: templates) }
    }
}
