//! The words of sharing a workspace safely: the read-only banner, the "replace?" question
//! every export from the window asks before writing over a file, and the status line after
//! another program's changes were taken in.

use super::Lang;

texts! {
    /// A fixed piece of the sharing interface's text.
    SharingText;
    /// The banner over the map when the workspace file cannot be written here.
    ReadOnlyBanner => "只读：此文件无法写入，修改不会保存。如需编辑，请将其复制到可写的文件夹后打开副本。",
        "Read-only: this file cannot be written here, so changes are not saved. To edit, copy it to a folder you can write to and open the copy.";
    /// The title of the question before an export replaces a file.
    ReplaceTitle => "替换文件？", "Replace the file?";
    /// Replace the existing file.
    Replace => "替换", "Replace";
    /// Keep the existing file; nothing is written.
    KeepFile => "取消", "Cancel";
    /// The status line's heading when another program's changes could not be loaded.
    OutsideChangesFailed => "无法载入其他程序的更改", "Could not load changes made by another program";
}

/// The question before an export replaces the file at `path`.
pub fn replace_question(lang: Lang, path: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!("“{}” 已存在。替换它吗？", path.display()),
        Lang::En => format!("{} already exists. Replace it?", path.display()),
    }
}

/// A kind of record another program changed (see [`outside_changes_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutsideKind {
    /// Plan features.
    Features,
    /// Projects.
    Projects,
    /// Meetings.
    Meetings,
    /// People of the roster.
    People,
    /// Organisations.
    Organisations,
    /// Tasks.
    Tasks,
    /// Attachments.
    Attachments,
    /// Workspace settings (the planner's name).
    Settings,
    /// Design alternatives.
    Alternatives,
    /// Residents' inputs.
    Inputs,
    /// Merge conflicts.
    Conflicts,
    /// Layers.
    Layers,
}

impl OutsideKind {
    /// The Chinese measure word and noun, the English singular and plural.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Features => ("个要素", "feature", "features"),
            Self::Projects => ("个项目", "project", "projects"),
            Self::Meetings => ("场会议", "meeting", "meetings"),
            Self::People => ("位人员", "person", "people"),
            Self::Organisations => ("个单位", "organisation", "organisations"),
            Self::Tasks => ("项任务", "task", "tasks"),
            Self::Alternatives => ("个设计方案", "design alternative", "design alternatives"),
            Self::Attachments => ("个附件", "attachment", "attachments"),
            Self::Settings => ("项设置", "setting", "settings"),
            Self::Inputs => ("条居民意见", "resident's input", "residents' inputs"),
            Self::Conflicts => ("个合并冲突", "merge conflict", "merge conflicts"),
            Self::Layers => ("个图层", "layer", "layers"),
        }
    }
}

/// The status line after changes another program (QGIS, a second Linli) committed to the open
/// workspace were loaded: how many of each kind, kinds with none left out.
pub fn outside_changes_text(lang: Lang, counts: &[(OutsideKind, usize)]) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|&(kind, n)| {
            let (zh, one, many) = kind.words();
            match lang {
                Lang::Zh => format!("{n} {zh}"),
                Lang::En => format!("{n} {}", if n == 1 { one } else { many }),
            }
        })
        .collect();
    match lang {
        Lang::Zh => format!("已载入其他程序的更改：{}", parts.join("、")),
        Lang::En => format!(
            "Loaded changes made by another program: {}",
            parts.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sharing_text_is_translated() {
        for t in SharingText::ALL {
            super::super::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
        let p = std::path::Path::new("/tmp/统计.csv");
        assert!(replace_question(Lang::Zh, p).contains("替换"));
        assert!(replace_question(Lang::En, p).starts_with("/tmp/统计.csv already exists"));
        let counts = [
            (OutsideKind::Features, 3),
            (OutsideKind::Projects, 1),
            (OutsideKind::Meetings, 0),
        ];
        assert_eq!(
            outside_changes_text(Lang::Zh, &counts),
            "已载入其他程序的更改：3 个要素、1 个项目"
        );
        assert_eq!(
            outside_changes_text(Lang::En, &counts),
            "Loaded changes made by another program: 3 features, 1 project"
        );
    }
}
