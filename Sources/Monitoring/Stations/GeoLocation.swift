/// Where a station stands: WGS 84 latitude and longitude in degrees, as sensors/ gives it
/// (`location: {lat: 36.68, lon: 117.02}`). The dashboard's schematic map places stations by it.
public struct GeoLocation: Sendable, Hashable, Codable {
    /// Degrees north (−90…90).
    public var latitude: Double
    /// Degrees east (−180…180).
    public var longitude: Double

    /// The latitudes a location may have.
    public static let latitudes: ClosedRange<Double> = -90...90
    /// The longitudes a location may have.
    public static let longitudes: ClosedRange<Double> = -180...180

    /// Creates a location; `nil` when either coordinate is out of range or not a number.
    public init?(latitude: Double, longitude: Double) {
        guard Self.latitudes.contains(latitude), Self.longitudes.contains(longitude) else { return nil }
        self.latitude = latitude
        self.longitude = longitude
    }
}
