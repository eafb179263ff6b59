//! What the command line itself prints, in zh-CN and English. Errors come from
//! [`super::errors`]; this is the rest: summaries, `info` and `check` lines, progress labels.
//!
//! Machine-read keys stay the same in both languages so scripts keep working whatever the
//! locale: `role=<key>` in `info`, `street\t` / `community\t` in `locate`.

use std::path::Path;

use crate::i18n::Lang;

/// A line the CLI prints, with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum CliText<'a> {
    /// `new`: the workspace was created.
    Created {
        /// The workspace.
        path: &'a Path,
        /// Layers in it.
        layers: usize,
        /// Plan features in it.
        plan: usize,
        /// Projects in it.
        projects: usize,
    },
    /// `import`: features written.
    Imported {
        /// Features imported.
        features: usize,
        /// The layer they went to.
        layer: &'a str,
    },
    /// `export`: features written to a file.
    Exported {
        /// Features exported.
        count: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `info`: the heading line.
    InfoWorkspace {
        /// The workspace.
        path: &'a Path,
    },
    /// `info`: one layer.
    InfoLayer {
        /// The layer's name.
        name: &'a str,
        /// The role key (kept as `role=<key>` in both languages).
        role: &'a str,
        /// The GeoPackage geometry type.
        geometry_type: &'a str,
        /// Features in the layer.
        count: u64,
        /// `[min_lon, min_lat, max_lon, max_lat]`, or `None` when empty.
        bbox: Option<[f64; 4]>,
    },
    /// `info`: the project count.
    InfoProjects {
        /// Projects in the workspace.
        count: usize,
    },
    /// `check`: no problem found.
    CheckOk {
        /// The workspace.
        path: &'a Path,
    },
    /// `check`: one problem found (the store's words).
    CheckProblem {
        /// The workspace.
        path: &'a Path,
        /// The problem.
        problem: &'a str,
    },
    /// Progress: reading the file.
    ProgressReading,
    /// Progress: checking features.
    ProgressChecking,
    /// Progress: writing the workspace.
    ProgressWriting,
}

impl CliText<'_> {
    /// The line in `lang`.
    pub fn get(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |zh_text: String, en_text: String| if zh { zh_text } else { en_text };
        match self {
            CliText::Created {
                path,
                layers,
                plan,
                projects,
            } => t(
                format!(
                    "已创建 {}（{layers} 个图层，{plan} 个规划要素，{projects} 个项目）",
                    path.display()
                ),
                format!(
                    "created {} ({layers} layers, {plan} plan features, {projects} projects)",
                    path.display()
                ),
            ),
            CliText::Imported { features, layer } => t(
                format!("已导入 {features} 个要素到“{layer}”"),
                format!("imported {features} features into {layer}"),
            ),
            CliText::Exported { count, path } => t(
                format!("已导出 {count} 个要素到 {}", path.display()),
                format!("exported {count} features to {}", path.display()),
            ),
            CliText::InfoWorkspace { path } => t(
                format!("工作空间 {}", path.display()),
                format!("workspace {}", path.display()),
            ),
            CliText::InfoLayer {
                name,
                role,
                geometry_type,
                count,
                bbox,
            } => {
                let bbox = match (bbox, zh) {
                    (None, true) => "空".to_string(),
                    (None, false) => "empty".to_string(),
                    (Some([a, b, c, d]), true) => format!("{a:.6},{b:.6} 至 {c:.6},{d:.6}"),
                    (Some([a, b, c, d]), false) => format!("{a:.6},{b:.6} to {c:.6},{d:.6}"),
                };
                t(
                    format!("  {name}\trole={role}\t{geometry_type}\t{count} 个要素\t范围 {bbox}"),
                    format!(
                        "  {name}\trole={role}\t{geometry_type}\t{count} features\tbbox {bbox}"
                    ),
                )
            }
            CliText::InfoProjects { count } => {
                t(format!("  项目：{count}"), format!("  projects: {count}"))
            }
            CliText::CheckOk { path } => t(
                format!("{}：完好", path.display()),
                format!("{}: ok", path.display()),
            ),
            CliText::CheckProblem { path, problem } => t(
                format!("{}：{problem}", path.display()),
                format!("{}: {problem}", path.display()),
            ),
            CliText::ProgressReading => t("读取".into(), "reading".into()),
            CliText::ProgressChecking => t("检查".into(), "checking".into()),
            CliText::ProgressWriting => t("写入".into(), "writing".into()),
        }
    }
}
