//! The words of a printed blueprint (一张社区规划蓝图): its title block, legend, project list,
//! scale bar and data note, and the window's print dialog.

use super::Lang;

texts! {
    /// A fixed piece of the blueprint's text.
    PrintText;
    /// The kind of sheet, under the title.
    Blueprint => "社区规划蓝图", "Community planning blueprint";
    /// Title block: the street.
    Street => "街道", "Street";
    /// Title block: the community.
    Community => "社区", "Community";
    /// Title block: the projects drawn.
    Projects => "项目", "Projects";
    /// Title block: when the sheet was made.
    DrawnOn => "制图日期", "Drawn";
    /// The legend's heading.
    Legend => "图例", "Legend";
    /// The legend's entry of the area's outline.
    AreaBoundary => "规划范围", "Area boundary";
    /// The legend's entry of the street outlines.
    StreetBoundary => "街道界线", "Street boundary";
    /// The legend's entry of the community outlines.
    CommunityBoundary => "社区（居村委）界线", "Community boundary";
    /// The project list's heading.
    ProjectList => "项目清单", "Project list";
    /// Project list column: code.
    Code => "编号", "Code";
    /// Project list column: name.
    Name => "名称", "Name";
    /// Project list column: stage.
    Stage => "阶段", "Stage";
    /// Project list column: meetings.
    Meetings => "会议", "Meetings";
    /// The project list when the area has none.
    NoProjects => "本范围内暂无项目", "No project in this area";
    /// The legend when the frame shows no plan feature.
    NoElements => "本范围内暂无规划要素", "No plan feature in this area";
    /// The north arrow's letter.
    North => "北", "N";
    /// The data note's label.
    Data => "数据来源", "Data";
    /// The plan's source in the data note.
    PlanData => "规划要素与项目", "plan features and projects";
    /// The boundary layers' source in the data note.
    BoundaryData => "边界图层", "boundary layers";
    /// What made the sheet.
    MadeWith => "由 Linli 邻里 生成", "made with Linli";
    /// The window's entry and dialog title.
    PrintBlueprint => "打印蓝图…", "Print blueprint…";
    /// Dialog: the kind of area.
    AreaKind => "范围", "Area";
    /// Dialog: the paper size.
    Paper => "纸张", "Paper";
    /// Dialog: resolution of a PNG.
    Resolution => "分辨率", "Resolution";
    /// Dialog: landscape orientation.
    Landscape => "横向", "Landscape";
    /// Dialog: the file format.
    Format => "格式", "Format";
    /// Dialog: go on to the save dialog.
    Save => "保存…", "Save…";
    /// Dialog: close it.
    Cancel => "取消", "Cancel";
    /// Status while a sheet is rendered.
    Rendering => "正在生成蓝图…", "Rendering the blueprint…";
    /// Street as an area kind.
    KindStreet => "街道", "Street";
    /// Community as an area kind.
    KindCommunity => "社区", "Community";
    /// Project as an area kind.
    KindProject => "项目", "Project";
}

/// The sheet's title: the area's name and the kind of sheet.
pub fn sheet_title(lang: Lang, area: &str) -> String {
    match lang {
        Lang::Zh => format!("{area}{}", PrintText::Blueprint.get(lang)),
        Lang::En => format!("{}: {area}", PrintText::Blueprint.get(lang)),
    }
}

/// A project's meeting in the project list: its kind and date.
pub fn meeting_entry(lang: Lang, kind: &str, date: &str) -> String {
    match lang {
        Lang::Zh => format!("{kind} {date}"),
        Lang::En => format!("{kind} {date}"),
    }
}

/// The list of a project's meetings, joined.
pub fn joined(lang: Lang, items: &[String]) -> String {
    items.join(match lang {
        Lang::Zh => "；",
        Lang::En => "; ",
    })
}

/// "… and 3 more" under a list that did not fit.
pub fn and_more(lang: Lang, more: usize) -> String {
    match lang {
        Lang::Zh => format!("……另有 {more} 项"),
        Lang::En => format!("… and {more} more"),
    }
}

/// The projects in the title block: their number and codes.
pub fn projects_line(lang: Lang, codes: &[String]) -> String {
    let n = codes.len();
    match lang {
        Lang::Zh => format!("{n} 个（{}）", codes.join("、")),
        Lang::En => format!("{n} ({})", codes.join(", ")),
    }
}
