//! The words of design alternatives: the project form's 方案 section, the inspector's field,
//! the layers panel's toggle and the side-by-side comparison.

use crate::model::alternative::AlternativeStatus;

use super::Lang;

texts! {
    /// A fixed piece of the alternatives' interface text.
    AlternativeText;
    /// The project form's section, and the inspector's field.
    Alternatives => "方案", "Alternatives";
    /// A feature's alternative field.
    Alternative => "所属方案", "Alternative";
    /// No alternative: the project's plan as drawn.
    NoAlternative => "（无：规划本身）", "(none: the plan itself)";
    /// Add an alternative.
    AddAlternative => "新增方案", "Add alternative";
    /// Label field.
    Label => "方案名称", "Label";
    /// Team field.
    Team => "设计团队", "Design team";
    /// Cost field.
    Cost => "造价（万元）", "Cost (10,000 CNY)";
    /// Description field.
    Description => "方案说明", "Description";
    /// Status.
    Status => "状态", "Status";
    /// Save the alternative being edited.
    SaveAlternative => "保存方案", "Save alternative";
    /// Delete an alternative (with its features).
    DeleteAlternative => "删除方案及其要素", "Delete alternative and its features";
    /// Make new features drawn in the window belong to this alternative.
    DrawInto => "在此方案中绘制", "Draw into this";
    /// Stop drawing into an alternative.
    StopDrawingInto => "停止在方案中绘制", "Stop drawing into it";
    /// Shown while drawing into an alternative.
    DrawingInto => "新绘要素归入", "New features go into";
    /// Choose the alternative as the project's plan.
    Choose => "采用此方案", "Choose";
    /// A resident's vote for the alternative (presentation mode).
    VoteFor => "投票给此方案", "Vote for this";
    /// Open the side-by-side comparison.
    Compare => "方案比选", "Compare alternatives";
    /// The comparison window's title.
    CompareTitle => "方案比选（并排）", "Alternatives side by side";
    /// The layers panel's toggle.
    ShowAlternatives => "显示备选方案", "Show alternatives";
    /// Features count.
    Features => "要素", "Features";
    /// Area figure.
    Area => "面积", "Area";
    /// Budget figure.
    Budget => "造价", "Budget";
    /// Coverage added figure.
    CoverageAdded => "新增覆盖", "Coverage added";
    /// No coverage analysis set up.
    NoCoverage => "未设置覆盖分析", "no coverage analysis set";
    /// A project with fewer than two alternatives.
    NeedTwo => "至少需要两个方案才能比选", "Comparing needs two alternatives or more";
    /// Which alternatives to compare.
    Showing => "并排显示", "Side by side";
    /// No figure.
    NoFigure => "—", "—";
    /// Edit an alternative.
    Edit => "编辑", "Edit";
    /// Close the alternative's form without saving.
    Cancel => "取消", "Cancel";
}

/// An alternative's status in words.
pub fn status_name(lang: Lang, status: AlternativeStatus) -> &'static str {
    match (lang, status) {
        (Lang::Zh, s) => s.name_zh(),
        (Lang::En, AlternativeStatus::Candidate) => "candidate",
        (Lang::En, AlternativeStatus::Chosen) => "chosen",
        (Lang::En, AlternativeStatus::Archived) => "archived",
    }
}

/// An area in m² as people read it: m² below a hectare, hectares above.
pub fn area_text(lang: Lang, area_m2: f64) -> String {
    match lang {
        _ if area_m2 >= 10_000.0 => format!("{:.2} ha", area_m2 / 10_000.0),
        Lang::Zh => format!("{area_m2:.0} 平方米"),
        Lang::En => format!("{area_m2:.0} m²"),
    }
}

/// An amount in 万元.
pub fn wan_text(lang: Lang, wan: f64) -> String {
    match lang {
        Lang::Zh => format!("{wan:.1} 万元"),
        Lang::En => format!("{wan:.1} × 10,000 CNY"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages_and_areas_read_in_hectares_past_one() {
        for t in AlternativeText::ALL {
            assert!(
                !t.get(Lang::Zh).is_empty() && !t.get(Lang::En).is_empty(),
                "{t:?}"
            );
        }
        assert_eq!(area_text(Lang::Zh, 820.4), "820 平方米");
        assert_eq!(area_text(Lang::En, 25_000.0), "2.50 ha");
        assert_eq!(wan_text(Lang::Zh, 80.0), "80.0 万元");
        assert_eq!(status_name(Lang::En, AlternativeStatus::Chosen), "chosen");
    }
}
