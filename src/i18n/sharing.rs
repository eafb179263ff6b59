//! The words of sharing a workspace safely: the read-only banner and the "replace?" question
//! every export from the window asks before writing over a file.

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
}

/// The question before an export replaces the file at `path`.
pub fn replace_question(lang: Lang, path: &std::path::Path) -> String {
    match lang {
        Lang::Zh => format!("“{}” 已存在。替换它吗？", path.display()),
        Lang::En => format!("{} already exists. Replace it?", path.display()),
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
    }
}
