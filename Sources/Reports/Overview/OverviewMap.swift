import EnvmonCharts
import Foundation
public import Monitoring

/// The overview's schematic map: stations placed by their location on an equirectangular
/// projection scaled to their bounding box with a margin, each a dot coloured by its class and a
/// link to its page with a `<title>`. No tiles, nothing fetched: an SVG with a `viewBox` that
/// scales to the width of the page.
public struct OverviewMap: Sendable {
    /// One station on the map.
    public struct Marker: Sendable {
        public var id: String
        public var location: GeoLocation
        /// CSS classes of the dot (`ok`, `warn`, `over`, `nodata`, `offline`; `late`…).
        public var classes: String
        /// The tooltip (`<title>`): name, status, worst value.
        public var title: String
        /// A short label written beside the dot on small maps; `nil`: none.
        public var label: String?

        public init(id: String, location: GeoLocation, classes: String, title: String, label: String? = nil) {
            self.id = id
            self.location = location
            self.classes = classes
            self.title = title
            self.label = label
        }
    }

    /// The width of the view box; the height follows the box's shape (between 240 and 720).
    public static let width = 800.0
    /// The margin around the stations, in view-box units.
    public static let margin = 36.0

    public var markers: [Marker]
    /// The view box's height.
    public let height: Double
    private let scale: Double
    private let origin: (lon: Double, lat: Double)
    private let offset: (x: Double, y: Double)
    private let lonFactor: Double

    /// Lays out `markers` (there must be at least one).
    public init(_ markers: [Marker]) {
        self.markers = markers
        let lats = markers.map(\.location.latitude)
        let lons = markers.map(\.location.longitude)
        // A lone station (or a row of them) still gets a box of about a kilometre.
        let latSpan = max((lats.max() ?? 0) - (lats.min() ?? 0), 0.01)
        let midLat = ((lats.max() ?? 0) + (lats.min() ?? 0)) / 2
        lonFactor = max(cos(midLat * .pi / 180), 0.01)
        let lonSpan = max(((lons.max() ?? 0) - (lons.min() ?? 0)) * lonFactor, 0.01)
        let inner = Self.width - 2 * Self.margin
        height = min(max(latSpan / lonSpan * inner + 2 * Self.margin, 240), 720)
        scale = min(inner / lonSpan, (height - 2 * Self.margin) / latSpan)
        origin = ((lons.min() ?? 0), (lats.max() ?? 0))
        // Centred in the box.
        offset = ((Self.width - lonSpan * scale) / 2, (height - latSpan * scale) / 2)
    }

    /// Where a location falls in the view box: x to the east, y to the south.
    public func point(_ l: GeoLocation) -> (x: Double, y: Double) {
        (offset.x + (l.longitude - origin.lon) * lonFactor * scale, offset.y + (origin.lat - l.latitude) * scale)
    }

    /// The length in view-box units of `km` kilometres (a degree of latitude is 111.32 km).
    public func length(km: Double) -> Double { km / 111.32 * scale }

    /// The SVG, with `aria-label` `label` and a scale bar of `kmText` (`"5 km"`).
    public func svg(label: String, kilometre: String = "km") -> String {
        let r = markers.count <= 50 ? 7.0 : markers.count <= 300 ? 4.5 : 3.0
        var out = "<svg class=\"map\" data-test=\"overview-map\" viewBox=\"0 0 \(n(Self.width)) \(n(height))\" role=\"img\" aria-label=\"\(SVGText.escape(label))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<rect class=\"map-ground\" x=\"0\" y=\"0\" width=\"\(n(Self.width))\" height=\"\(n(height))\"/>"
        for m in markers {
            let p = point(m.location)
            out += "<a href=\"/stations/\(SVGText.escape(m.id))\" data-test=\"map-station\" data-station=\"\(SVGText.escape(m.id))\">"
            out += "<circle class=\"map-dot \(SVGText.escape(m.classes))\" cx=\"\(n(p.x))\" cy=\"\(n(p.y))\" r=\"\(n(r))\"><title>\(SVGText.escape(m.title))</title></circle>"
            if let text = m.label, markers.count <= 20 {
                // Right of the dot, or left of it in the east third, so that no label runs off the map.
                let east = p.x > Self.width * 2 / 3
                let x = east ? p.x - r - 3 : p.x + r + 3
                out += "<text class=\"map-label\" x=\"\(n(x))\" y=\"\(n(p.y + 4))\"\(east ? " text-anchor=\"end\"" : "")>\(SVGText.escape(text))</text>"
            }
            out += "</a>"
        }
        // A scale bar of 1, 2, 5, 10… km, at most a quarter of the width.
        let bar = [1.0, 2, 5, 10, 20, 50, 100, 200, 500].last { length(km: $0) <= Self.width / 4 } ?? 1
        let y = height - 12
        out += "<g class=\"map-scale\"><line x1=\"12\" y1=\"\(n(y))\" x2=\"\(n(12 + length(km: bar)))\" y2=\"\(n(y))\"/>"
        out += "<text x=\"12\" y=\"\(n(y - 5))\">\(n(bar)) \(SVGText.escape(kilometre))</text></g>"
        out += "<text class=\"map-north\" x=\"\(n(Self.width - 20))\" y=\"24\">N ↑</text></svg>"
        return out
    }

    private func n(_ v: Double) -> String { FixedPoint.plain((v * 10).rounded() / 10) }
}
