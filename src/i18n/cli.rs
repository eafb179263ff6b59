//! What the command line itself prints, in zh-CN and English. Errors come from
//! [`super::errors`]; this is the rest: summaries, `info` and `check` lines, progress labels.
//!
//! Machine-read keys stay the same in both languages so scripts keep working whatever the
//! locale: `role=<key>` in `info`, `street\t` / `community\t` in `locate`.

use std::path::Path;

use crate::error::{Problem, Repair};
use crate::i18n::Lang;
use crate::i18n::errors::{problem_message, repair_entry_message, repair_summary_message};

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
    /// `import` of plan features: a project record was created from a feature's `project_*`
    /// fields.
    ProjectCreated {
        /// The project's code.
        code: &'a str,
        /// Its name.
        name: &'a str,
    },
    /// `import` of plan features: how many updated the workspace's feature of the same id.
    Updated {
        /// Features updated.
        count: usize,
    },
    /// `import`: the repairs made, in one line.
    RepairSummary {
        /// Repairs made.
        repairs: usize,
        /// Features repaired.
        features: usize,
        /// Of those, features not imported (nothing was left of their geometry).
        dropped: usize,
    },
    /// `import`: one repair.
    RepairLine {
        /// The feature's index in the file.
        feature: usize,
        /// The feature's own id, when it has one.
        source_id: Option<&'a str>,
        /// What was done.
        repair: &'a Repair,
    },
    /// `import`: repairs not printed.
    RepairsMore {
        /// How many.
        more: usize,
    },
    /// `import --report`: the report file written.
    ReportWritten {
        /// Repairs in it.
        count: usize,
        /// The file.
        path: &'a Path,
    },
    /// `export`: features written to a file.
    Exported {
        /// Features exported.
        count: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `export --format gpkg`: features and projects written to a GeoPackage.
    ExportedPackage {
        /// Features exported.
        features: usize,
        /// Projects exported.
        projects: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `export --format csv|xlsx` wrote the projects.
    ExportedProjects {
        /// Projects exported.
        count: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `inputs`: residents' inputs written to a file.
    ExportedInputs {
        /// Inputs exported.
        count: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `stats --format csv`: groups written to a file.
    StatsWritten {
        /// Groups written.
        groups: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `coverage`: the overall covered share.
    CoverageOverall {
        /// Areas analysed.
        areas: usize,
        /// Covered share of their area, 0–1.
        share: f64,
        /// Covered share of the weight, when given.
        weight_share: Option<f64>,
    },
    /// `coverage`: the output written.
    CoverageWritten {
        /// The output file.
        path: &'a Path,
    },
    /// `candidates`: sites written.
    CandidatesWritten {
        /// Sites written.
        count: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `tasks --format csv`: tasks written to a file.
    TasksWritten {
        /// Tasks written.
        count: usize,
        /// The output file.
        path: &'a Path,
    },
    /// `projects` / `stats`: a group or street that is empty.
    NoneGroup,
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
    /// `check`: a write-ahead log with committed work beside the workspace (stderr; the exit
    /// code stays the integrity result): the file copied alone would lack that work.
    CheckUnsavedLog {
        /// The workspace.
        path: &'a Path,
        /// The log's size.
        bytes: u64,
    },
    /// `check`: one problem found, said in the user's language.
    CheckProblem {
        /// The workspace.
        path: &'a Path,
        /// The problem.
        problem: &'a Problem,
    },
    /// Something opening found in rows other programs wrote (stderr, the command goes on).
    Note {
        /// The workspace.
        path: &'a Path,
        /// What was found.
        problem: &'a Problem,
    },
    /// `upgrade`: the workspace already has this program's schema.
    UpToDate {
        /// The workspace.
        path: &'a Path,
        /// The schema version.
        version: i64,
    },
    /// `blueprint`: a sheet was written.
    BlueprintWritten {
        /// The file.
        path: &'a Path,
        /// How long rendering and writing took, milliseconds.
        millis: f64,
    },
    /// `blueprint --atlas`: the sheets written.
    AtlasWritten {
        /// Sheets written.
        count: usize,
        /// The folder.
        dir: &'a Path,
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
            CliText::ProjectCreated { code, name } => t(
                format!("已创建项目 {code}（{name}）"),
                format!("created project {code} ({name})"),
            ),
            CliText::Updated { count } => t(
                format!(
                    "其中 {count} 个要素按 linli_id 更新了工作空间中的同一要素（--as-new 则导入为副本）"
                ),
                format!(
                    "{count} of them updated the workspace's features of the same linli_id (--as-new imports copies instead)"
                ),
            ),
            CliText::RepairSummary {
                repairs,
                features,
                dropped,
            } => repair_summary_message(*repairs, *features, *dropped, lang),
            CliText::RepairLine {
                feature,
                source_id,
                repair,
            } => repair_entry_message(*feature, *source_id, repair, lang),
            CliText::RepairsMore { more } => t(
                format!("……另有 {more} 处（--report 文件.csv 可写出全部）"),
                format!("... and {more} more (--report FILE.csv writes them all)"),
            ),
            CliText::ReportWritten { count, path } => t(
                format!("已将 {count} 处修复写入 {}", path.display()),
                format!("wrote {count} repairs to {}", path.display()),
            ),
            CliText::BlueprintWritten { path, millis } => t(
                format!("已写入蓝图 {}（{millis:.0} 毫秒）", path.display()),
                format!("wrote the blueprint {} ({millis:.0} ms)", path.display()),
            ),
            CliText::AtlasWritten { count, dir } => t(
                format!("已在 {} 写入 {count} 张蓝图", dir.display()),
                format!("wrote {count} blueprint sheets to {}", dir.display()),
            ),
            CliText::Exported { count, path } => t(
                format!("已导出 {count} 个要素到 {}", path.display()),
                format!("exported {count} features to {}", path.display()),
            ),
            CliText::ExportedPackage {
                features,
                projects,
                path,
            } => t(
                format!(
                    "已导出 {features} 个要素、{projects} 个项目到 {}",
                    path.display()
                ),
                format!(
                    "exported {features} features and {projects} projects to {}",
                    path.display()
                ),
            ),
            CliText::ExportedProjects { count, path } => t(
                format!("已导出 {count} 个项目到 {}", path.display()),
                format!("exported {count} projects to {}", path.display()),
            ),
            CliText::ExportedInputs { count, path } => t(
                format!("已导出 {count} 条居民意见与投票到 {}", path.display()),
                format!("exported {count} residents' inputs to {}", path.display()),
            ),
            CliText::StatsWritten { groups, path } => t(
                format!("已写入 {groups} 组统计到 {}", path.display()),
                format!("wrote {groups} groups of statistics to {}", path.display()),
            ),
            CliText::CoverageOverall {
                areas,
                share,
                weight_share,
            } => {
                let pct = share * 100.0;
                match weight_share {
                    Some(w) => t(
                        format!(
                            "{areas} 个区域，覆盖面积占 {pct:.1}%，覆盖权重占 {:.1}%",
                            w * 100.0
                        ),
                        format!(
                            "{areas} areas, {pct:.1}% of the area covered, {:.1}% of the weight",
                            w * 100.0
                        ),
                    ),
                    None => t(
                        format!("{areas} 个区域，覆盖面积占 {pct:.1}%"),
                        format!("{areas} areas, {pct:.1}% of the area covered"),
                    ),
                }
            }
            CliText::CoverageWritten { path } => t(
                format!("已写入 {}", path.display()),
                format!("wrote {}", path.display()),
            ),
            CliText::CandidatesWritten { count, path } => t(
                format!("已写入 {count} 个候选地点到 {}", path.display()),
                format!("wrote {count} candidate sites to {}", path.display()),
            ),
            CliText::TasksWritten { count, path } => t(
                format!("已写入 {count} 项任务到 {}", path.display()),
                format!("wrote {count} tasks to {}", path.display()),
            ),
            CliText::NoneGroup => t("（无）".into(), "(none)".into()),
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
            CliText::CheckUnsavedLog { path, bytes } => t(
                format!(
                    "{}：警告：工作区有尚未并入文件的修改日志（{}-wal，{bytes} 字节）：单独复制此文件会丢失这些修改；请用邻里打开再正常退出，或连同 -wal 一起复制",
                    path.display(),
                    path.display()
                ),
                format!(
                    "{}: warning: the workspace has unsaved log ({}-wal, {bytes} bytes) not yet folded into the file: a copy of the file alone lacks that work; open and quit Linli, or copy the -wal with it",
                    path.display(),
                    path.display()
                ),
            ),
            CliText::CheckProblem { path, problem } => t(
                format!("{}：{}", path.display(), problem_message(problem, Lang::Zh)),
                format!("{}: {}", path.display(), problem_message(problem, Lang::En)),
            ),
            CliText::Note { path, problem } => t(
                format!(
                    "{}：注意：{}",
                    path.display(),
                    problem_message(problem, Lang::Zh)
                ),
                format!(
                    "{}: note: {}",
                    path.display(),
                    problem_message(problem, Lang::En)
                ),
            ),
            CliText::UpToDate { path, version } => t(
                format!("{}：已是第 {version} 版结构，无需升级", path.display()),
                format!(
                    "{}: already at schema {version}; nothing to upgrade",
                    path.display()
                ),
            ),
            CliText::ProgressReading => t("读取".into(), "reading".into()),
            CliText::ProgressChecking => t("检查".into(), "checking".into()),
            CliText::ProgressWriting => t("写入".into(), "writing".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_finding_reads_in_the_users_language() {
        let problem = Problem::SpatialIndexMissing {
            table: "plan_points".into(),
            index: "rtree_plan_points_geom".into(),
        };
        let line = CliText::CheckProblem {
            path: Path::new("w.gpkg"),
            problem: &problem,
        };
        assert_eq!(
            line.get(Lang::Zh),
            "w.gpkg：plan_points：缺少空间索引 rtree_plan_points_geom"
        );
        assert_eq!(
            line.get(Lang::En),
            "w.gpkg: plan_points: spatial index rtree_plan_points_geom is missing"
        );
    }
}
