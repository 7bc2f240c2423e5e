import NIOCore

/// The pipeline end of a simulated station's connection: hands what the collector sends, and the
/// connection's end, to the station's session. Confined to the session's event loop.
final class SimulationClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let session: SimulationSession

    init(session: SimulationSession) { self.session = session }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        session.received(unwrapInboundIn(data))
    }

    func channelInactive(context: ChannelHandlerContext) {
        session.disconnected(context.channel)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
