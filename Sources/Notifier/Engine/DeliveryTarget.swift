/// One integration of one receiver, as the notifier delivers to it: deliveries to a target are
/// claimed, sent, retried and counted on their own.
public struct DeliveryTarget: Sendable {
    /// `receiver/kind/index`.
    public var name: String
    /// The receiver it belongs to.
    public var receiver: String
    /// The integration.
    public var integration: ReceiverIntegration
    /// Where messages go.
    public var channel: any NotificationChannel

    /// Creates a target.
    public init(name: String, receiver: String, integration: ReceiverIntegration, channel: any NotificationChannel) {
        self.name = name
        self.receiver = receiver
        self.integration = integration
        self.channel = channel
    }

    /// How often a firing group is sent again, given its route's `repeat_interval`: a real
    /// Alertmanager forgets alerts that are not re-posted before their `endsAt`, so it gets them
    /// at its own `resend_interval`.
    func repeatInterval(route: Int64) -> Int64 {
        if case .alertmanager(let c) = integration { return min(route, c.resendInterval) }
        return route
    }

    /// The targets of a configuration, their channels made by `channel`.
    public static func all(
        in configuration: NotifyConfiguration, channel: (ReceiverIntegration) -> any NotificationChannel
    ) -> [DeliveryTarget] {
        configuration.receivers.flatMap { r in
            r.integrations.enumerated().map { i, integration in
                DeliveryTarget(name: integration.target(receiver: r.name, index: i), receiver: r.name, integration: integration, channel: channel(integration))
            }
        }
    }
}
