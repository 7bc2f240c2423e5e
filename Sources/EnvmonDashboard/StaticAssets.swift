import Hummingbird

/// The style sheet and the few lines of script, served by the daemon itself: the pages fetch
/// nothing from elsewhere (an office network may have no way out).
struct StaticAssets: DashboardPage {
    func addRoutes(to pages: PageRouter) {
        for asset in DashboardTemplates.assets {
            let buffer = ByteBuffer(bytes: asset.bytes)
            pages.open(.get, "/static/\(asset.name)") { _, _, _ in
                Response(
                    status: .ok, headers: [.contentType: asset.type, .cacheControl: "public, max-age=300"],
                    body: ResponseBody(byteBuffer: buffer))
            }
        }
    }
}
