import Foundation
import Monitoring
import Testing

/// Load arithmetic, allowances and reduction targets (reference/standards.md §7).
@Suite struct EmissionLoadTests {
    @Test func waterLoads() {
        // 20 000 m³/d at COD 30 mg/L = 600 kg/d.
        #expect(EmissionLoad.waterLoad(concentration: 30, volume: 20_000) == 600)
        // Σ Cᵢ·Vᵢ, not the arithmetic mean × volume: (10 × 1000 + 50 × 3000) × 10⁻³ = 160 kg; mean 40 mg/L.
        let day = [(concentration: 10.0, volume: 1_000.0), (concentration: 50.0, volume: 3_000.0)]
        #expect(EmissionLoad.waterLoad(day) == 160)
        #expect(EmissionLoad.flowWeightedMean(day) == 40)
        #expect(EmissionLoad.flowWeightedMean([(concentration: 10, volume: 0)]) == nil)
    }

    @Test func fluegasRates() throws {
        // 35 mg/m³ × 2 000 000 m³/h = 70 kg/h; over 5 500 h, 385 t/a.
        let rate = EmissionLoad.fluegasRate(concentration: 35, flow: 2_000_000)
        #expect(rate == 70)
        #expect(EmissionLoad.tonnesPerYear(kilogramsPerHour: rate, hours: 5_500) == 385)
        #expect(EmissionLoad.perDay(kilogramsPerHour: rate) == 1_680)
        // Catalogue units: Q-gas in m³/s, Q-water in L/s.
        let perSecond = try #require(EmissionLoad.rate(concentration: 35, unit: .milligramPerCubicMetre, flow: 2_000_000.0 / 3_600, flowUnit: .cubicMetrePerSecond))
        #expect(abs(perSecond - 70) < 1e-9)
        // 30 mg/L at 20 000 m³/d (231.48 L/s) = 25 kg/h.
        let water = try #require(EmissionLoad.rate(concentration: 30, unit: .milligramPerLitre, flow: 20_000_000.0 / 86_400, flowUnit: .litrePerSecond))
        #expect(abs(water - 25) < 1e-9)
        #expect(EmissionLoad.rate(concentration: 1, unit: .percent, flow: 1, flowUnit: .cubicMetrePerHour) == nil)
    }

    @Test func cumulativeLoadKeepsSubstitutesApart() {
        var total = CumulativeLoad()
        total.add(70)
        total.add(70)
        total.add(65, substituted: true)
        #expect(total.measured == 140 && total.substituted == 65 && total.total == 205)
    }

    @Test func proRatedAllowanceAndYearEndProjection() throws {
        let allowance = LoadAllowance(annualPermit: 365_000)
        let march = LoadAllowance.elapsedFraction(throughEndOf: CivilTime(year: 2025, month: 3, day: 31))
        #expect(march == 90.0 / 365)
        #expect(abs(allowance.proRated(march) - 90_000) < 1e-9)
        #expect(abs(try #require(allowance.usage(actualToDate: 99_000, elapsedFraction: march)) - 1.1) < 1e-12)
        #expect(abs(try #require(LoadAllowance.projectedYearEnd(actualToDate: 99_000, elapsedFraction: march)) - 401_500) < 1e-6)
        #expect(LoadAllowance.elapsedFraction(throughEndOf: CivilTime(year: 2024, month: 12, day: 31)) == 1)
        #expect(LoadAllowance.elapsedFraction(throughEndOf: CivilTime(year: 2024, month: 2, day: 29)) == 60.0 / 366)
        #expect(LoadAllowance.projectedYearEnd(actualToDate: 1, elapsedFraction: 0) == nil)
    }

    @Test func reductionTargetsAgainstTheSchedule() {
        // MEE 2014 assessment: NOx −8.6 % after 4 of 5 years is ahead of 4/5 × 10 % = 8 %.
        let nox = ReductionTarget(baseEmissions: 100, reduction: 0.10, years: 5)
        #expect(abs(nox.scheduledReduction(afterYear: 4) - 0.08) < 1e-12)
        #expect(abs(nox.cumulativeReduction(emissions: 91.4) - 0.086) < 1e-12)
        #expect(nox.isOnSchedule(emissions: 91.4, afterYear: 4) && !nox.isMet(emissions: 91.4))
        #expect(!nox.isOnSchedule(emissions: 92.5, afterYear: 4))
        // COD −10.1 % had "already completed" an 8 % target.
        #expect(ReductionTarget(baseEmissions: 100, reduction: 0.08, years: 5).isMet(emissions: 89.9))
        // Equivalent compound rates: 10 %/5 y → 2.09 %, 15 % → 3.2 %, 8 % → 1.65 %.
        #expect(abs(nox.equivalentAnnualRate - 0.0209) < 0.00005)
        #expect(abs(ReductionTarget(baseEmissions: 1, reduction: 0.15, years: 5).equivalentAnnualRate - 0.032) < 0.0005)
        #expect(abs(ReductionTarget(baseEmissions: 1, reduction: 0.08, years: 5).equivalentAnnualRate - 0.0165) < 0.00005)
        #expect(abs(ReductionTarget.yearOverYearChange(current: 98, previous: 100) + 0.02) < 1e-12)
    }
}
