import CMosquitto
import Foundation
import Monitoring

/// One libmosquitto client (one connection attempt and what follows it), driven by the
/// collector's own thread and by nobody else: not `Sendable`.
///
/// The client runs in libmosquitto's external-thread mode (`mosquitto_threaded_set(true)`):
/// an outgoing packet is only queued, and goes out when the collector calls ``write()``.
/// libmosquitto 2.0 queues the PUBACK of a QoS 1 message *before* it calls `on_message`, and
/// has no manual acknowledgement; in its default mode it also writes it at once. Here the
/// collector calls ``write()`` only when every message read so far is committed, so no PUBACK
/// leaves before the commit of its message's readings. A client whose batch failed is destroyed
/// with its queue unsent.
final class MQTTClient {
    /// What the callbacks saw since the last look.
    struct Events {
        /// `CONNACK` arrived: its return code (0 accepted) and whether the broker had the session.
        var connack: (code: Int32, sessionPresent: Bool)?
        /// The connection ended: libmosquitto's reason code (0: we asked).
        var disconnected: Int32?
        /// Messages received, in order.
        var messages: [MQTTMessage] = []
        /// Messages on topics no subscription matches (cannot happen unless the broker sends
        /// what was not asked, e.g. an old session's subscriptions).
        var unmatched = 0
    }

    private let handle: OpaquePointer
    private let configuration: MQTTConfiguration
    var events = Events()

    private static let initialised: Bool = {
        mosquitto_lib_init()
        return true
    }()

    /// Creates the client: persistent session (clean session off) under the configured client id.
    init(configuration: MQTTConfiguration) throws(MQTTError) {
        _ = Self.initialised
        self.configuration = configuration
        guard let h = mosquitto_new(configuration.clientID, false, nil) else {
            throw MQTTError(.setup, "libmosquitto could not create a client (errno \(errno))")
        }
        handle = h
        mosquitto_user_data_set(h, Unmanaged.passUnretained(self).toOpaque())
        mosquitto_threaded_set(h, true)
        if let username = configuration.username {
            mosquitto_username_pw_set(h, username, configuration.password)
        }
        mosquitto_connect_with_flags_callback_set(h) { _, object, code, flags in
            guard let object else { return }
            let client = Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue()
            client.events.connack = (code, flags & 1 == 1)
            if code == 0 { client.subscribe() }
        }
        mosquitto_disconnect_callback_set(h) { _, object, code in
            guard let object else { return }
            Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue().events.disconnected = code
        }
        mosquitto_message_callback_set(h) { _, object, message in
            guard let object, let message else { return }
            Unmanaged<MQTTClient>.fromOpaque(object).takeUnretainedValue().received(message.pointee)
        }
    }

    deinit { mosquitto_destroy(handle) }

    /// Opens the TCP connection (blocking) and queues CONNECT; `nil` on success, else why not.
    func connect() -> String? {
        let rc = mosquitto_connect(handle, configuration.host, Int32(configuration.port), Int32(configuration.keepAliveSeconds))
        return rc == MOSQ_ERR_SUCCESS.rawValue ? nil : Self.describe(rc)
    }

    /// The socket, or -1 when there is none.
    var socket: Int32 { mosquitto_socket(handle) }

    /// Whether packets wait to be written.
    var wantsWrite: Bool { mosquitto_want_write(handle) }

    /// Reads what the socket has (calling the callbacks); the error code when the connection ended.
    func read() -> Int32 { mosquitto_loop_read(handle, 1) }

    /// Writes the queued packets (PUBACKs among them); the error code when the connection ended.
    func write() -> Int32 { mosquitto_loop_write(handle, 1) }

    /// Keep-alive: queues PINGREQ when due, and closes a connection whose PINGRESP is overdue.
    func misc() -> Int32 { mosquitto_loop_misc(handle) }

    /// Queues DISCONNECT (sent by the next ``write()``).
    func disconnect() { _ = mosquitto_disconnect(handle) }

    private func subscribe() {
        var filters: [UnsafeMutablePointer<CChar>?] = configuration.subscriptions.map { strdup($0.filter.text) }
        defer { filters.forEach { free($0) } }
        _ = mosquitto_subscribe_multiple(handle, nil, Int32(filters.count), &filters, 1, 0, nil)
    }

    private func received(_ message: mosquitto_message) {
        let topic = String(cString: message.topic)
        guard let subscription = configuration.subscription(for: topic) else {
            events.unmatched += 1
            return
        }
        let payload: [UInt8] =
            message.payloadlen > 0 && message.payload != nil
            ? Array(UnsafeRawBufferPointer(start: message.payload, count: Int(message.payloadlen))) : []
        events.messages.append(MQTTMessage(
                topic: topic, payload: payload, format: subscription.format, precision: subscription.precision, retained: message.retain))
    }

    /// libmosquitto's words for an error code (with errno's for `MOSQ_ERR_ERRNO`).
    static func describe(_ rc: Int32) -> String {
        let text = rc == MOSQ_ERR_ERRNO.rawValue ? String(cString: strerror(errno)) : String(cString: mosquitto_strerror(rc))
        return text.hasSuffix(".") ? String(text.dropLast()) : text
    }

    /// The broker's words for a CONNACK return code.
    static func describeConnack(_ code: Int32) -> String { String(cString: mosquitto_connack_string(code)) }
}
