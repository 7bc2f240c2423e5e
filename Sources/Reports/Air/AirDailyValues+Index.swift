public import Monitoring

extension AirDailyValues {
    /// Each day's AQI by the HJ 633 edition in force that day, with its primary pollutants; `nil`
    /// for a day that is not valid (the air report's rule: ``AirEvaluation``'s good days count
    /// the same days). For charts of the year.
    public var dayIndices: [(aqi: Int, primary: [AQIPollutant])?] {
        dates.indices.map { AirEvaluation.dayIndex(self, $0) }
    }
}
