//! The words of the coverage analysis window (覆盖分析), its gap table and the live what-if.

use super::Lang;

texts! {
    /// A fixed piece of the coverage interface's text.
    CoverageText;
    /// Window title and button.
    Coverage => "覆盖分析", "Coverage";
    /// Facility element types.
    FacilityElements => "设施要素类型", "Facility element types";
    /// Facility reference layers.
    FacilityLayers => "设施参考图层", "Facility layers";
    /// Areas.
    Areas => "统计单元", "Areas";
    /// Communities.
    Communities => "居村委", "Communities";
    /// Streets.
    Streets => "街道乡镇", "Streets";
    /// Walking distance.
    Distance => "步行距离（米）", "Walking distance (m)";
    /// Straight line.
    Straight => "直线距离", "Straight line";
    /// Along a network.
    Network => "沿路网步行", "Along a network";
    /// Weight layer.
    Weight => "权重图层", "Weight layer";
    /// None chosen.
    NoneChosen => "（无）", "(none)";
    /// Run.
    Run => "计算", "Run";
    /// Area column.
    Area => "单元", "Area";
    /// Covered share column.
    Covered => "覆盖率", "Covered";
    /// Gap column.
    Gap => "缺口", "Gap";
    /// Weight covered column.
    WeightCovered => "权重覆盖", "Weight covered";
    /// Candidates section.
    Candidates => "候选地点", "Candidate sites";
    /// Find candidates.
    FindCandidates => "寻找候选地点", "Find candidates";
    /// Start a sketch at a candidate.
    SketchHere => "在此绘制", "Sketch here";
    /// Export the table as CSV.
    ExportCsv => "导出 CSV", "Export CSV";
    /// Export the overlay as GeoJSON.
    ExportGeojson => "导出未覆盖 GeoJSON", "Export uncovered GeoJSON";
    /// Export the candidates as GeoJSON.
    ExportCandidates => "导出候选 GeoJSON", "Export candidates GeoJSON";
    /// Overall.
    Overall => "总覆盖率", "Overall";
    /// Adds (what-if).
    Adds => "新增覆盖", "Adds coverage";
    /// The 5/10/15-minute presets' source.
    PresetsNote => "5/10/15 分钟步行 ≈ 300/500/1000 米（GB 50180-2018）", "5/10/15-minute walk ≈ 300/500/1000 m (GB 50180-2018)";
    /// Nearest feature of the same type.
    NearestSameType => "最近同类要素", "Nearest of the same type";
    /// The rule checks' heading.
    RuleChecks => "规范核查", "Rule checks";
    /// The elder target (Shanghai 2016 guideline).
    ElderTarget => "养老设施（5 分钟步行 ≤ 300 米）", "Elder facility (5-min walk ≤ 300 m)";
    /// The childcare target (Shanghai 2016 guideline).
    ChildcareTarget => "托育设施（10 分钟步行 ≤ 500 米）", "Childcare (10-min walk ≤ 500 m)";
    /// Nothing found within reach.
    NoneNear => "5 公里内没有", "none within 5 km";
}

/// The live what-if line: `m²` newly covered, share of its community, weight.
pub fn added_text(
    lang: Lang,
    added_m2: f64,
    share: f64,
    area: &str,
    weight: Option<f64>,
) -> String {
    let pct = share * 100.0;
    let w = weight.map(|w| match lang {
        Lang::Zh => format!("，权重 +{w:.0}"),
        Lang::En => format!(", weight +{w:.0}"),
    });
    match lang {
        Lang::Zh => format!(
            "新增覆盖 {added_m2:.0} 平方米（{area} 的 {pct:.1}%）{}",
            w.unwrap_or_default()
        ),
        Lang::En => format!(
            "adds {added_m2:.0} m² covered ({pct:.1}% of {area}){}",
            w.unwrap_or_default()
        ),
    }
}

/// Where an export went.
pub fn exported_text(lang: Lang, path: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!("已导出 {}", path.display()),
        Lang::En => format!("exported {}", path.display()),
    }
}
