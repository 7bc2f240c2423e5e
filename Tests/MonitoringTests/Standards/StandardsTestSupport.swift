import Foundation
import Monitoring

/// An exact decimal from its numeral, for test literals.
func dec(_ text: String) -> Decimal { Decimal(plainNumeral: text)! }

/// A concentration from `PM2.5:24h` and a numeral.
func conc(_ key: String, _ value: String) -> AQIConcentration {
    let parts = key.split(separator: ":")
    return AQIConcentration(AQIPollutant(parsing: parts[0])!, AveragingPeriod(parsing: parts[1])!, dec(value))
}

/// The IAQI value of one concentration.
func iaqi(_ standard: AQIStandard, _ key: String, _ value: String) throws -> Int? {
    try AirQualityIndex.iaqi(conc(key, value), standard: standard).value
}
