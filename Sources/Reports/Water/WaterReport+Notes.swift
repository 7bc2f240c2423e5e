extension WaterReport {
    /// What the evaluation rests on, where reference/standards.md is silent or unsure, in `language`.
    public func notes(_ language: ReportLanguage) -> [String] {
        [
            language.pick(
                "断面水质类别按《地表水环境质量评价办法（试行）》（环办〔2011〕22号）单因子评价：取参评项目中最差的类别；参评项目为 GB 3838-2002 表1 的21项（不含水温、总氮、粪大肠菌群），湖库总氮单独评价。GB 3838 表1 限值为 standards.md 中的转载值 [S]。",
                "Section class by 《地表水环境质量评价办法（试行）》 (环办[2011]22号), single-factor: the worst class among the evaluated items, the 21 items of GB 3838-2002 Table 1 without water temperature, TN and fecal coliform; TN of lakes and reservoirs is assessed on its own. The Table 1 limits are reposted copies in standards.md [S]."
            ),
            language.pick(
                "月均值为当月全部有效数据（标识 N）的算术平均，不修约；standards.md 未规定月评价的最少有效数据量，本报告有一个有效数据即评价，并列出每项的有效数据个数。",
                "Monthly means are the arithmetic mean of the month's valid readings (flag N), unrounded; standards.md sets no minimum of data for a monthly evaluation: an item with one valid reading is evaluated, and each item's count of readings is printed."
            ),
            language.pick(
                "超标倍数 = (C − 目标类别限值)/目标类别限值，pH、溶解氧不计算（standards.md 标记 [M]）。断面达标率 = 达到目标类别的断面·月数 / 有目标且有类别的断面·月数。",
                "Exceedance multiple = (C − limit of the target class)/limit, not for pH or DO (standards.md [M]). Compliance rate = section-months at or better than their target / section-months with a target and a class."
            ),
            language.pick(
                "上下游对比：同一河流（标签 river，缺省用 basin）上标签 river_position 为 upstream 与 downstream 的两个断面。断面文件中的 upstream/downstream 标签指交界两侧的行政区，不是断面。",
                "Upstream against downstream: two sections of one river (label river, else basin) labelled river_position upstream and downstream. The upstream/downstream labels of a boundary section name the jurisdictions on either side, not sections."
            ),
        ]
    }
}
