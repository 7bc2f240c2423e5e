import EnvmonConfig
import Foundation
import Monitoring
import Testing

/// `location: {lat, lon}` in sensors/: read when right, a located error when not.
/// (An extension of `SensorLoaderTests`, for its temporary folder and its `write` and `errors`.)
extension SensorLoaderTests {
    @Test func readsTheLocationAndLeavesItOptional() throws {
        let a = write("a.yaml", "id: a\nname: A\nkind: stack\nlocation: {lat: 36.68, lon: 117.02}\nparameters: [SO2]\n")
        let b = write("b.yaml", "id: b\nname: B\nkind: stack\nlocation:\n  lat: -33.9\n  lon: -70\nparameters: [SO2]\n")
        let c = write("c.yaml", "id: c\nname: C\nkind: stack\nparameters: [SO2]\n")
        let registry = try SensorLoader().load(files: [a, b, c])
        #expect(registry["a"]?.location == GeoLocation(latitude: 36.68, longitude: 117.02))
        #expect(registry["b"]?.location?.latitude == -33.9)
        #expect(registry["b"]?.location?.longitude == -70)
        #expect(registry["c"]?.location == nil)
    }

    @Test func outOfRangeCoordinatesAreLocated() {
        let f = write("far.yaml", "id: f\nname: F\nkind: stack\nlocation: {lat: 117.02, lon: 36.68}\nparameters: [SO2]\n")
        let g = write("west.yaml", "id: g\nname: G\nkind: stack\nlocation: {lat: 36.68, lon: -181}\nparameters: [SO2]\n")
        let e = errors([f, g])
        #expect(e.map(\.code) == [.badValue, .badValue])
        #expect(e[0].description.hasPrefix("\(f):4:17: 'lat' must be a number of degrees in -90…90"), "\(e[0])")
        #expect(e[1].description.hasPrefix("\(g):4:29: 'lon' must be a number of degrees in -180…180"), "\(e[1])")
    }

    @Test func aMissingHalfOrAWrongShapeIsLocated() {
        let half = write("half.yaml", "id: h\nname: H\nkind: stack\nlocation: {lat: 36.68}\nparameters: [SO2]\n")
        let text = write("text.yaml", "id: t\nname: T\nkind: stack\nlocation: {lat: north, lon: 117}\nparameters: [SO2]\n")
        let list = write("list.yaml", "id: l\nname: L\nkind: stack\nlocation: [36.68, 117.02]\nparameters: [SO2]\n")
        let typo = write("typo.yaml", "id: y\nname: Y\nkind: stack\nlocation: {lat: 36.68, lng: 117.02}\nparameters: [SO2]\n")
        let e = errors([half, text, list, typo])
        #expect(e.map(\.code) == [.missingField, .badValue, .wrongType, .unknownField, .missingField])
        #expect(e[0].file == half && e[0].line == 4 && e[0].message.contains("'location' needs 'lon'"))
        #expect(e[1].file == text && e[1].line == 4 && e[1].column == 17 && e[1].message.contains("not 'north'"))
        #expect(e[2].file == list && e[2].line == 4 && e[2].column == 11)
        #expect(e[3].file == typo && e[3].message.contains("'lng'"))
    }

    @Test func everyShippedStationHasALocation() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        for folder in ["sensors", "seeds/sensors"] {
            let registry = try SensorLoader().load(directory: "\(root)/\(folder)")
            for station in registry.stations {
                #expect(station.location != nil, "\(folder): \(station.id) has no location")
            }
        }
        // Qinghe's stations lie within a city of about 30 km.
        let city = try SensorLoader().load(directory: "\(root)/sensors").stations.compactMap(\.location)
        let lats = city.map(\.latitude)
        let lons = city.map(\.longitude)
        #expect(lats.max()! - lats.min()! < 0.3 && lons.max()! - lons.min()! < 0.4)
    }
}
