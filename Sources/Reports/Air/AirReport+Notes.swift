extension AirReport {
    /// What the evaluation rests on, where reference/standards.md is silent or unsure, in `language`.
    public func notes(_ language: ReportLanguage) -> [String] {
        var out = [
            language.pick(
                "综合指数按《城市环境空气质量排名技术规定》计算：Isum = Σ Ci/Si，SO2、NO2、PM10、PM2.5 取年均值比二级年均限值，CO 取日均值第95百分位数比 4 mg/m³，O3 取日最大8小时平均第90百分位数比 160 µg/m³；此定义不在 standards.md 中，未经其核对；限值取评价期末适用的 GB 3095 版本的二级限值。",
                "Composite index per 《城市环境空气质量排名技术规定》 (the city ranking rules): Isum = Σ Ci/Si over the SO2, NO2, PM10 and PM2.5 means against their grade-2 annual limits, CO 24-h p95 against 4 mg/m³ and O3 MDA8 p90 against 160 µg/m³; this definition is not in standards.md and was not checked against it; the grade-2 limits are those of the GB 3095 edition in force on the period's last day."
            ),
            language.pick(
                "日 AQI 按各日适用的 HJ 633 版本（2026-03-01 前为 2012 版，含臭氧日最大1小时值，共7项；之后为 2026 版，6项）。六项基本指标均有效的日为有效天；缺项但其余指标 AQI 已大于100 的日亦计为有效（非优良）天（HJ 633-2026 §5.3，两版均按此处理）。臭氧日最大1小时值需 ≥20 个有效小时（standards.md 未规定，为本软件的选择）。",
                "Daily AQI by the HJ 633 edition in force on each day (2012 before 2026-03-01, with the O3 daily maximum 1-h value, 7 indicators; 2026 from then on, 6). A day is valid when its six basic indicators are; a day missing some is still valid (and not good) when the others already give an AQI above 100 (HJ 633-2026 §5.3, applied to both editions). The O3 daily maximum 1-h value needs ≥ 20 valid hours (standards.md sets none: our choice)."
            ),
            language.pick(
                "百分位数按 HJ 663-2013 附录 A 方法（standards.md §4.3，标记 [M]）：k = 1 + (n−1)·p/100，在第 ⌊k⌋ 与 ⌊k⌋+1 位之间线性插值；PM10、PM2.5 取第95百分位数（待 HJ 663-2026 原文核对）。均值与百分位数与限值比较前不修约（HJ 663-2026 的修约规则未获得）。",
                "Percentiles by the HJ 663-2013 Appendix A method (standards.md §4.3, tagged [M]): k = 1 + (n−1)·p/100, linear between ranks ⌊k⌋ and ⌊k⌋+1; PM10 and PM2.5 at the 95th (to be checked against HJ 663-2026). Means and percentiles are compared with the limits unrounded (HJ 663-2026's rounding rules were not obtained)."
            ),
            language.pick(
                "城市日值：各污染物取当日各站点有效日值的算术平均，再计算 AQI 与各项统计；standards.md 未给出城市日值规则（HJ 663 原文未获得），未设最少有效站点数。",
                "City: each day, every indicator is the mean of the sites' valid daily values, and the AQI and the period figures are computed from those; standards.md gives no rule for city values (the HJ 663 text was not obtained) and no minimum number of sites is applied."
            ),
            language.pick(
                "年均值有效性（GB 3095 表4：每年 ≥324 个日均值，每月 ≥27 个，2月 ≥25 个；月或日期区间按其中每个整月的月最低要求）仅作标记，不拒绝计算。日最大8小时平均：取当日内17个8小时窗口，每窗 ≥6 个有效小时，需 ≥14 个有效窗口，超标时不受此限（HJ 663-2013 [M]）。",
                "Annual-mean validity (GB 3095 Table 4: ≥ 324 daily values a year, ≥ 27 a month, February ≥ 25; for a month or a run of dates, the monthly minimum of each whole month) is a flag, not a refusal. MDA8: the 17 8-h windows inside the day, each with ≥ 6 valid hours, ≥ 14 valid windows unless the maximum exceeds the limit (HJ 663-2013 [M])."
            ),
        ]
        if city.evaluation.spansEditions {
            out.append(
                language.pick(
                    "评价期跨越 GB 3095 版本更替，期间统计值按期末适用版本的限值评价。",
                    "The period spans a change of GB 3095 edition: the period figures are judged by the edition in force on its last day."))
        }
        return out
    }
}
