//! The words of the bureau's tables: sheet names of the xlsx exports, the statistics' rows
//! for projects in several groups and the total, the money columns' headers and their
//! footnote, and the window's "export Excel" button.

use super::Lang;

texts! {
    /// A fixed piece of the exports' and statistics' text.
    ExportText;
    /// The projects sheet.
    SheetProjects => "项目", "Projects";
    /// The tasks sheet.
    SheetTasks => "任务", "Tasks";
    /// The statistics sheet.
    SheetStatistics => "项目统计", "Statistics";
    /// The coverage sheet.
    SheetCoverage => "覆盖分析", "Coverage";
    /// The residents' input sheet.
    SheetInputs => "居民意见与投票", "Residents' input";
    /// The statistics row of the projects in several groups, each counted once.
    SeveralGroups => "跨组项目（只计一次）", "Projects in several groups (counted once)";
    /// The statistics' total row: every project once.
    Total => "合计", "Total";
    /// Column: of a group's projects, those also in other groups.
    SharedProjects => "其中跨组", "Also in other groups";
    /// Column: budget of the projects wholly in the group (see the footnote).
    BudgetWhole => "预算（万元）*", "Budget (10,000 CNY)*";
    /// Column: actual cost of the projects wholly in the group (see the footnote).
    ActualWhole => "实际投入（万元）*", "Actual cost (10,000 CNY)*";
    /// The footnote under the statistics table and sheet.
    MoneyFootnote => "* 预算与实际投入只计入全部要素都在该组内的项目；跨几个组的项目单列在“跨组项目”一行，只计一次，因此各组与跨组项目相加等于合计。项目数与要素数按组统计：跨组项目在它所在的每个组各计一次。",
        "* Budget and actual cost count only the projects wholly in the group; a project in several groups is on the \"projects in several groups\" row, counted once, so the groups and that row add up to the total. Projects and features are counted per group: a project in several groups counts in each of them.";
    /// The window's button writing a table as an Excel workbook.
    ExportXlsx => "导出 Excel…", "Export Excel...";
    /// The top bar's button and the export dialog's title.
    ExportDialog => "导出成果", "Export";
    /// The dialog's format label.
    Format => "格式", "Format";
    /// Format: the plan features as GeoJSON.
    FormatGeojson => "GeoJSON（规划要素）", "GeoJSON (plan features)";
    /// Format: the projects table as CSV.
    FormatCsv => "CSV（项目表）", "CSV (projects)";
    /// Format: the projects table as an Excel workbook.
    FormatXlsx => "Excel（项目表）", "Excel (projects)";
    /// Format: features and records as a GeoPackage.
    FormatGpkg => "GeoPackage（要素、项目、会议、人员、任务）", "GeoPackage (features, projects, meetings, people, tasks)";
    /// Filter label: street.
    FilterStreet => "街道/镇", "Street";
    /// Filter label: community.
    FilterCommunity => "居村委", "Community";
    /// Filter label: programme.
    FilterProgramme => "项目类别", "Programme";
    /// Filter label: batch year.
    FilterYear => "年份", "Year";
    /// Filter label: stage.
    FilterStage => "阶段", "Stage";
    /// Filter label: element type.
    FilterElement => "要素类型", "Element type";
    /// A filter's "no filter" choice.
    FilterAll => "全部", "All";
    /// Also the features of design alternatives not chosen.
    WithAlternatives => "含未选定的设计方案", "Include design alternatives not chosen";
    /// The dialog's button that asks where to save, then writes.
    ExportButton => "导出…", "Export...";
    /// The default file name of an export (without extension).
    FileStem => "邻里导出", "linli-export";
}

/// The export dialog's live preview: how many features and projects the file will hold.
pub fn export_preview(lang: Lang, features: usize, projects: usize) -> String {
    match lang {
        Lang::Zh => format!("将导出 {features} 个要素 / {projects} 个项目"),
        Lang::En => format!("Will export {features} features / {projects} projects"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_export_text_is_translated() {
        for t in ExportText::ALL {
            crate::i18n::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
    }
}
