import Hummingbird
import NIOCore
import Prometheus

extension HTTPListener {
    /// The content type of Prometheus text format 0.0.4.
    static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// `/healthz`, `/readyz` (open: probes carry no token) and `/metrics` (role `read`: the figures
    /// name every station and receiver).
    func addOwnRoutes(to api: APIRouter) {
        let router = api.router
        router.get("/healthz") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        let checks = self.checks
        router.get("/readyz") { _, _ in
            let report = await HealthReport.run(checks)
            return Response(
                status: report.isHealthy ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: report.json + "\n")))
        }
        if let metrics = self.metrics {
            api.get("/metrics", role: .read, summary: "The daemon's figures in Prometheus text format 0.0.4") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: Self.prometheusContentType],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
            }
        }
    }
}
