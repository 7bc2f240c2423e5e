import Foundation
import Monitoring
import Reports
import Testing

/// The schematic map places stations as a map would, inside its margin, each a link with a title.
@Suite struct OverviewMapTests {
    func marker(_ id: String, _ lat: Double, _ lon: Double, _ classes: String = "ok") -> OverviewMap.Marker {
        OverviewMap.Marker(id: id, location: GeoLocation(latitude: lat, longitude: lon)!, classes: classes, title: "\(id) <title>", label: id)
    }

    @Test func stationsArePlacedNorthUpEastRightInsideTheMargin() {
        let map = OverviewMap([
            marker("centre", 36.68, 117.02), marker("west", 36.705, 116.905), marker("east", 36.64, 117.19),
            marker("north", 36.79, 117.165), marker("south", 36.585, 117.06),
        ])
        let p = Dictionary(uniqueKeysWithValues: map.markers.map { ($0.id, map.point($0.location)) })
        #expect(p["west"]!.x < p["centre"]!.x && p["centre"]!.x < p["east"]!.x)
        #expect(p["north"]!.y < p["centre"]!.y && p["centre"]!.y < p["south"]!.y)
        for (id, point) in p {
            #expect((OverviewMap.margin - 0.001...(OverviewMap.width - OverviewMap.margin + 0.001)).contains(point.x), "\(id) \(point)")
            #expect((OverviewMap.margin - 0.001...(map.height - OverviewMap.margin + 0.001)).contains(point.y), "\(id) \(point)")
        }
        // The box fills the width or the height: west and east touch the margins.
        #expect(abs(p["west"]!.x - OverviewMap.margin) < 0.001 || abs(p["north"]!.y - OverviewMap.margin) < 0.001)
        // Equirectangular: a kilometre is as long north–south as east–west (cos 36.7° ≈ 0.80 per degree east).
        let kmNorth = map.length(km: 1)
        let eastDegree = map.point(GeoLocation(latitude: 36.68, longitude: 118.02)!).x - p["centre"]!.x
        #expect(abs(eastDegree / kmNorth - 111.32 * 0.80154) < 0.5)
    }

    @Test func theSVGLinksEveryStationWithAnEscapedTitle() {
        let svg = OverviewMap([marker("a", 36.6, 117.0, "over late"), marker("b&c", 36.7, 117.1)]).svg(label: "Stations")
        #expect(svg.hasPrefix("<svg class=\"map\" data-test=\"overview-map\" viewBox=\"0 0 800 "))
        #expect(svg.contains("<a href=\"/stations/a\" data-test=\"map-station\" data-station=\"a\">"))
        #expect(svg.contains("<a href=\"/stations/b&amp;c\""))
        #expect(svg.contains("class=\"map-dot over late\""))
        #expect(svg.contains("<title>a &lt;title&gt;</title>"))
        #expect(svg.contains(" km</text>"), "a scale bar")
        #expect(!svg.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http"), "nothing fetched")
    }

    @Test func aLoneStationGetsABoxOfItsOwn() {
        let map = OverviewMap([marker("only", 36.68, 117.02)])
        let p = map.point(GeoLocation(latitude: 36.68, longitude: 117.02)!)
        #expect(p.x.isFinite && p.y.isFinite && p.x > 0 && p.x < OverviewMap.width && p.y > 0 && p.y < map.height)
    }
}
