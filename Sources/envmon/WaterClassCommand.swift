import ArgumentParser
import Foundation
import Monitoring
import Reports

/// `envmon water-class`: GB 3838-2002 classes of a river or lake section.
struct WaterClassCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "water-class",
        abstract: "Class each parameter by GB 3838-2002, the section class, and what exceeds a target class.",
        discussion: """
            Give each value as PARAMETER=VALUE in mg/L (pH dimensionless, fecal coliform 个/L), e.g. \
            COD=18 NH3-N=0.9 TP=0.12 DO=6.5. Parameters: pH, DO, CODMn, COD, BOD5, NH3-N, TP, TN, Cu, Zn, F, \
            Se, As, Hg, Cd, Cr6, Pb, CN, Phenol, Oil, LAS, Sulfide, FecalColiform (catalogue aliases such as \
            NH3N or CODcr work too).

            Each parameter gets the best class whose limit it meets; the section class is the worst of them. \
            Total nitrogen (lakes and reservoirs only) and fecal coliform are classed but, as the national \
            evaluation rules say, left out of the section class.
            """)

    @Option(
        help: "The class the section must meet (I, II, III, IV or V): the parameters worse than it are listed.",
        transform: { text in
            guard let c = WaterQualityClass(parsing: text), c != .worseThanV else {
                throw ValidationError("--target '\(text)' is not a class I to V")
            }
            return c
        })
    var target: WaterQualityClass?

    @Option(
        name: .customLong("water-body"), help: "river, or lake (lakes and reservoirs: other TP limits, TN assessed).",
        transform: { text in
            switch text.lowercased() {
            case "river", "stream": return WaterBodyType.river
            case "lake", "reservoir": return WaterBodyType.lake
            default: throw ValidationError("--water-body '\(text)' is river or lake")
            }
        })
    var waterBody: WaterBodyType = .river

    @Option(help: "text or json.") var format: StandardsFormat = .text

    @Argument(help: "Values, PARAMETER=VALUE.") var values: [String] = []

    func validate() throws {
        if values.isEmpty { throw ValidationError("give at least one value, e.g. COD=18") }
    }

    func run() throws {
        let pairs = try values.map { item -> (parameter: String, value: Decimal) in
            let sides = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard sides.count == 2, !sides[0].isEmpty else { throw CLIError("'\(item)': expected PARAMETER=VALUE, e.g. COD=18") }
            guard let value = Decimal(plainNumeral: sides[1]) else {
                throw CLIError("'\(item)': '\(sides[1])' is not a non-negative decimal number")
            }
            return (String(sides[0]), value)
        }
        let assessment: WaterQualityAssessment
        do {
            assessment = try SurfaceWaterStandard.gb3838_2002.assess(pairs, waterBody: waterBody, target: target)
        } catch {
            throw CLIError(error.description)
        }
        print(format == .json ? json(assessment) : text(assessment), terminator: "")
    }

    private func json(_ a: WaterQualityAssessment) -> String {
        let exceeding = a.exceedances.map { e -> JSONText in
            var limit = JSONText.null
            switch e.targetRequirement {
            case .atMost(let l), .atLeast(let l): limit = .number("\(l)")
            case .within: break
            }
            return .object([
                ("parameter", .string(e.parameter)), ("value", .number("\(e.value)")), ("class", .string(e.waterClass.name)),
                ("limit", limit), ("requirement", .string(e.targetRequirement.description)),
                ("multiple", e.multiple.map { .number(Self.multiple($0)) } ?? .null),
            ])
        }
        let object = JSONText.object([
            ("standard", .string(a.standard)),
            ("water_body", .string(a.waterBody.rawValue)),
            ("classes", .object(a.parameters.map { ($0.parameter, $0.waterClass.map { .string($0.name) } ?? .null) })),
            ("section_class", a.sectionClass.map { .string($0.name) } ?? .null),
            ("target", a.target.map { .string($0.name) } ?? .null),
            ("meets_target", a.meetsTarget.map { .bool($0) } ?? .null),
            ("exceeding", .array(exceeding)),
        ])
        return object.rendered + "\n"
    }

    private func text(_ a: WaterQualityAssessment) -> String {
        var lines = ["\(a.standard), \(a.waterBody == .river ? "river" : "lake or reservoir")"]
        let width = max(8, (a.parameters.map(\.parameter.count).max() ?? 0) + 2)
        for p in a.parameters {
            let unit = p.limit?.unit ?? SurfaceWaterStandard.gb3838_2002.limits.first { $0.parameter == p.parameter }?.unit ?? ""
            var line = "  " + p.parameter.padding(width) + "\(p.value)\(unit.isEmpty ? "" : " " + unit)".padding(14)
            if let cls = p.waterClass, case .within(let range)? = p.limit?.requirement(for: .classI), cls != .worseThanV {
                line += "within \(range.lowerBound)–\(range.upperBound) (does not affect the class)"
            } else if let cls = p.waterClass {
                line += "class \(cls.name)"
                if !p.countsForSectionClass { line += " (evaluated separately, not in the section class)" }
            } else {
                line += "not assessed (GB 3838-2002 limits \(p.parameter) for lakes and reservoirs only)"
            }
            lines.append(line)
        }
        if let section = a.sectionClass {
            lines.append("Section class: \(section.name) (\(section.grade), \(section.gradeEnglish))")
        } else {
            lines.append("Section class: none (no parameter that counts for it was given)")
        }
        if let target = a.target {
            if a.exceedances.isEmpty {
                lines.append(a.meetsTarget == false ? "Target \(target.name): not met" : "Target \(target.name): met")
            } else {
                lines.append("Target \(target.name): not met; exceeding:")
                for e in a.exceedances {
                    let unit = a.parameters.first { $0.parameter == e.parameter }?.limit?.unit ?? ""
                    var line = "  " + e.parameter.padding(width) + "\(e.value)\(unit.isEmpty ? "" : " " + unit)".padding(14)
                    line += "class \(e.waterClass.name), limit \(e.targetRequirement)"
                    if let m = e.multiple { line += ", exceedance multiple \(Self.multiple(m))" }
                    lines.append(line)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An exceedance multiple to 2 decimals (GB/T 8170 rounding), without trailing zeros.
    static func multiple(_ m: Decimal) -> String {
        var source = m
        var rounded = Decimal()
        NSDecimalRound(&rounded, &source, 2, .bankers)
        return "\(rounded)"
    }
}
