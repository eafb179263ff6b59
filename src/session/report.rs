//! Project tables and statistics for the bureau: the rows of every project (or a filtered
//! set) with what its features give it, counts and money grouped by street, element type,
//! stage, programme or year, and CSV that Excel opens with Chinese intact (UTF-8 with a byte
//! order mark, CRLF line ends, RFC 4180 quoting).
//!
//! A project spanning several streets (or element types, or programmes) counts once in each of
//! their groups (the project and feature counts), but its money is never split or repeated: a
//! group's budget and actual cost are those of the projects wholly in it, and the projects in
//! several groups get one row of their own ([`Statistics::several`]), so the budget column adds
//! up to the true total ([`Statistics::total`], every project once). Apportioning a budget by
//! feature count or area would print numbers no one decided; this prints only what was.

use std::collections::BTreeMap;

use super::views::Analysis;
use super::{ProjectSummary, Session};
use crate::model::Project;
use crate::model::change::RecordKind;
use crate::model::project::list_items;
use crate::model::provenance::Provenance;

/// Which projects a table or a statistic covers; `None` fields do not filter.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectFilter {
    /// Projects with a feature in this street.
    pub street: Option<String>,
    /// Projects at this stage (key or Chinese name).
    pub stage: Option<String>,
    /// Projects of this batch year.
    pub year: Option<i32>,
    /// Projects of this programme.
    pub programme: Option<String>,
    /// Projects with a feature of this element type (key).
    pub element: Option<String>,
    /// Projects this person (or design team) takes part in, by name.
    pub person: Option<String>,
    /// Projects overdue on this day (`YYYY-MM-DD`): an overdue task, or a stage planned to
    /// start before it that has not.
    pub overdue_on: Option<String>,
    /// Count the features of candidate and archived design alternatives too (else only the
    /// plan: see [`crate::model::alternative`]).
    pub alternatives: bool,
}

/// One project as a table row: the record's fields and what its features give it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow<'a> {
    /// The record.
    pub project: &'a Project,
    /// What its features give it.
    pub summary: &'a ProjectSummary,
    /// The stage's key in its workflow (a record holding the Chinese name gets the key).
    pub stage_key: String,
}

/// What statistics group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Street (街道/镇) of the features.
    Street,
    /// Element type of the features.
    Element,
    /// Lifecycle stage.
    Stage,
    /// Programme.
    Programme,
    /// Batch year.
    Year,
}

/// One group of a statistic (or its "several groups" and total rows, see [`Statistics`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupStats {
    /// The group's value (street name, element key, stage key, programme, year); empty for
    /// projects that have none.
    pub group: String,
    /// Projects in the group, those also in other groups included.
    pub projects: usize,
    /// Of [`GroupStats::projects`], those also in other groups (their money is in
    /// [`Statistics::several`], not here).
    pub shared_projects: usize,
    /// Their plan features in the group.
    pub features: usize,
    /// The budgets of the projects wholly in the group (none of a project in several groups).
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    pub budget_wan: f64,
    /// The actual costs of the projects wholly in the group.
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    pub actual_wan: f64,
}

impl GroupStats {
    /// No project.
    pub const EMPTY: GroupStats = GroupStats {
        group: String::new(),
        projects: 0,
        shared_projects: 0,
        features: 0,
        budget_wan: 0.0,
        actual_wan: 0.0,
    };
}

/// A statistic: its groups, the projects in several groups counted once, and the true total.
///
/// The budget (and actual cost) of the groups plus [`Statistics::several`] equals
/// [`Statistics::total`]'s: every project's money is counted exactly once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Statistics {
    /// One entry per group, sorted by group (years and stages in their order).
    pub groups: Vec<GroupStats>,
    /// The projects in more than one group, each once: how many, their features, their money
    /// (`group` is empty and `shared_projects` equals `projects`).
    pub several: GroupStats,
    /// Every project once (`group` is empty): the true totals (`shared_projects`: how many of
    /// them are in several groups).
    pub total: GroupStats,
}

/// The summary of a project no feature names.
static NO_SUMMARY: ProjectSummary = ProjectSummary {
    features: Vec::new(),
    streets: std::collections::BTreeSet::new(),
    communities: std::collections::BTreeSet::new(),
    elements: std::collections::BTreeSet::new(),
    area_m2: 0.0,
    length_m: 0.0,
};

impl<'s> Analysis<'s> {
    /// The rows of the projects the filter keeps, by code.
    pub fn project_table(&self, filter: &ProjectFilter) -> Vec<ProjectRow<'s>> {
        let session = self.session;
        let summaries = if filter.alternatives {
            session.summaries_with_alternatives()
        } else {
            session.summaries_now()
        };
        session
            .projects()
            .values()
            .filter_map(|p| {
                let summary = summaries.get(&p.code).unwrap_or(&NO_SUMMARY);
                let stage_key = session
                    .workflows()
                    .of(p)
                    .and_then(|w| w.stage(&p.stage))
                    .map_or_else(|| p.stage.clone(), |s| s.key.clone());
                let row = ProjectRow {
                    project: p,
                    summary,
                    stage_key,
                };
                row.kept_by(session, filter).then_some(row)
            })
            .collect()
    }

    /// Whether the filter keeps `project`, whose features give it `summary` (a view that
    /// caches summaries filters without recomputing them).
    pub fn project_kept(
        &self,
        project: &Project,
        summary: &ProjectSummary,
        filter: &ProjectFilter,
    ) -> bool {
        let stage_key = self
            .session
            .workflows()
            .of(project)
            .and_then(|w| w.stage(&project.stage))
            .map_or_else(|| project.stage.clone(), |s| s.key.clone());
        let row = ProjectRow {
            project,
            summary,
            stage_key,
        };
        row.kept_by(self.session, filter)
    }

    /// The rows of the projects with these codes, by code (a code no project holds is skipped).
    pub fn project_rows_of(&self, codes: &[String]) -> Vec<ProjectRow<'s>> {
        let wanted: std::collections::BTreeSet<&str> = codes.iter().map(String::as_str).collect();
        self.project_table(&ProjectFilter::default())
            .into_iter()
            .filter(|r| wanted.contains(r.project.code.as_str()))
            .collect()
    }

    /// Counts and money of the projects the filter keeps, one entry per group, sorted by
    /// group (years and stages in their order): [`Statistics::groups`] of
    /// [`Analysis::statistics`].
    pub fn project_stats(&self, filter: &ProjectFilter, by: GroupBy) -> Vec<GroupStats> {
        self.statistics(&self.project_table(filter), by).groups
    }

    /// The groups of these table rows (the projects window's filter, say): the same sums as
    /// [`Analysis::project_stats`].
    pub fn stats_of_rows(&self, rows: &[ProjectRow<'_>], by: GroupBy) -> Vec<GroupStats> {
        self.statistics(rows, by).groups
    }

    /// The whole statistic of these rows: the groups, the projects in several groups and the
    /// true total (see the module docs: no budget is counted twice).
    pub fn statistics(&self, rows: &[ProjectRow<'_>], by: GroupBy) -> Statistics {
        let mut groups: BTreeMap<(i64, String), GroupStats> = BTreeMap::new();
        let mut several = GroupStats::default();
        let mut total = GroupStats::default();
        for row in rows {
            let budget = row.project.budget_wan.unwrap_or(0.0);
            let actual = row.project.actual_wan.unwrap_or(0.0);
            let features = row.summary.features.len();
            let in_groups = row.groups(self.session, by);
            let shared = in_groups.len() > 1;
            for (order, group, features) in in_groups {
                let g = groups
                    .entry((order, group.clone()))
                    .or_insert_with(|| GroupStats {
                        group,
                        ..GroupStats::default()
                    });
                g.projects += 1;
                g.features += features;
                if shared {
                    g.shared_projects += 1;
                } else {
                    g.budget_wan += budget;
                    g.actual_wan += actual;
                }
            }
            let mut once = vec![&mut total];
            if shared {
                once.push(&mut several);
            }
            for g in once {
                g.projects += 1;
                g.features += features;
                g.budget_wan += budget;
                g.actual_wan += actual;
            }
        }
        several.shared_projects = several.projects;
        total.shared_projects = several.projects;
        Statistics {
            groups: groups.into_values().collect(),
            several,
            total,
        }
    }
}

impl GroupBy {
    /// Every grouping, in the order a window offers them.
    pub const ALL: [GroupBy; 5] = [
        GroupBy::Street,
        GroupBy::Element,
        GroupBy::Stage,
        GroupBy::Programme,
        GroupBy::Year,
    ];
}

impl ProjectRow<'_> {
    fn kept_by(&self, session: &Session, f: &ProjectFilter) -> bool {
        let p = self.project;
        let stage_ok = f.stage.as_ref().is_none_or(|s| {
            *s == self.stage_key
                || session
                    .workflows()
                    .of(p)
                    .and_then(|w| w.stage(s))
                    .is_some_and(|st| st.key == self.stage_key)
        });
        f.street
            .as_ref()
            .is_none_or(|s| self.summary.streets.contains(s))
            && stage_ok
            && f.year.is_none_or(|y| p.year == Some(y))
            && f.programme
                .as_ref()
                .is_none_or(|g| list_items(&p.programme).contains(&g.as_str()))
            && f.element
                .as_ref()
                .is_none_or(|e| self.summary.elements.contains(e))
            && f.person
                .as_ref()
                .is_none_or(|n| session.records().project_part(p, n).is_some())
            && f.overdue_on
                .as_ref()
                .is_none_or(|today| session.records().project_overdue(p, today))
    }

    /// The groups this project falls in: (sort order, group, its features in the group). By
    /// street and element type each feature is in one group, so a project's features in its
    /// groups add up to all of them (features in no street are the empty group's).
    fn groups(&self, session: &Session, by: GroupBy) -> Vec<(i64, String, usize)> {
        let count_by = |key: &dyn Fn(&crate::model::PlanFeature) -> String| {
            let mut counts: BTreeMap<String, usize> = BTreeMap::new();
            for f in self
                .summary
                .features
                .iter()
                .filter_map(|id| session.plan_feature(*id))
            {
                *counts.entry(key(f)).or_default() += 1;
            }
            counts
        };
        let all = self.summary.features.len();
        let mut groups = match by {
            GroupBy::Street => count_by(&|f| f.street.clone().unwrap_or_default())
                .into_iter()
                .map(|(s, n)| (0, s, n))
                .collect(),
            GroupBy::Element => count_by(&|f| f.element.clone())
                .into_iter()
                .map(|(e, n)| {
                    let order = session
                        .catalog()
                        .elements
                        .iter()
                        .position(|t| t.key == e)
                        .map_or(i64::MAX, |i| i as i64);
                    (order, e, n)
                })
                .collect(),
            GroupBy::Stage => {
                let order = session
                    .workflows()
                    .of(self.project)
                    .and_then(|w| {
                        let wi = session
                            .workflows()
                            .all()
                            .iter()
                            .position(|t| t.key == w.key)?;
                        Some((wi * 1000 + w.position(&self.stage_key)?) as i64)
                    })
                    .unwrap_or(i64::MAX);
                vec![(order, self.stage_key.clone(), all)]
            }
            GroupBy::Programme => {
                let items = list_items(&self.project.programme);
                if items.is_empty() {
                    vec![(0, String::new(), all)]
                } else {
                    items.into_iter().map(|g| (0, g.to_string(), all)).collect()
                }
            }
            GroupBy::Year => vec![(
                self.project.year.map_or(i64::MAX, i64::from),
                self.project.year.map(|y| y.to_string()).unwrap_or_default(),
                all,
            )],
        };
        // A project with no feature is in the empty group: every project is in some group.
        if groups.is_empty() {
            groups.push((0, String::new(), 0));
        }
        groups
    }
}

pub use crate::io::csv::{Cell, csv_text};
pub use crate::io::table::{Table, TableFormat};

use crate::i18n::Lang;
use crate::i18n::exports::ExportText;
use crate::i18n::projects::{ProjectText, stage_name};
use crate::model::local_time::LocalZone;

/// The columns of the projects CSV and sheet (`linli export --format csv|xlsx`): each internal
/// key (stage, element types, workflow) has its Chinese name in the `_zh` column beside it;
/// `updated` is the record's last change in local time with its offset.
pub const PROJECT_CSV_COLUMNS: &[&str] = &with_provenance::<19, 25>([
    "code",
    "name",
    "programme",
    "year",
    "street",
    "community",
    "stage",
    "stage_zh",
    "budget_wan",
    "actual_wan",
    "progress",
    "features",
    "elements",
    "elements_zh",
    "area_m2",
    "length_m",
    "workflow",
    "workflow_zh",
    "updated",
]);

/// `columns` followed by the [`PROVENANCE_COLUMNS`].
const fn with_provenance<const N: usize, const M: usize>(
    columns: [&'static str; N],
) -> [&'static str; M] {
    let mut out = [""; M];
    let mut i = 0;
    while i < N {
        out[i] = columns[i];
        i += 1;
    }
    let mut j = 0;
    while j < PROVENANCE_COLUMNS.len() {
        out[N + j] = PROVENANCE_COLUMNS[j];
        j += 1;
    }
    out
}

/// The provenance columns every record export ends with: when, by whom and in which
/// workspace (by name) the record was made and last changed; empty when not known.
pub const PROVENANCE_COLUMNS: [&str; 6] = [
    "created_at",
    "created_by",
    "created_in",
    "changed_at",
    "changed_by",
    "changed_in",
];

/// The [`PROVENANCE_COLUMNS`] of a record, times shown in `zone`.
pub fn provenance_cells(p: Option<&Provenance>, zone: &LocalZone) -> [Cell; 6] {
    let at = |s: &str| {
        if s.is_empty() {
            String::new()
        } else {
            zone.local_text(s)
        }
    };
    match p {
        None => std::array::from_fn(|_| Cell::text("")),
        Some(p) => [
            Cell::text(at(&p.created.at)),
            Cell::text(p.created.by.clone()),
            Cell::text(p.created.workspace_name.clone()),
            Cell::text(at(&p.changed.at)),
            Cell::text(p.changed.by.clone()),
            Cell::text(p.changed.workspace_name.clone()),
        ],
    }
}

/// The columns of the statistics CSV and sheet (`linli stats --format csv|xlsx`). After the
/// groups come two rows: `(several_groups)` (the projects in more than one group, each once)
/// and `(total)` (every project once); `budget_wan` and `actual_wan` of a group count only
/// its projects wholly in it, so that column adds up to the total (see [`Statistics`]).
pub const STATS_CSV_COLUMNS: &[&str] = &[
    "group",
    "group_zh",
    "projects",
    "shared_projects",
    "features",
    "budget_wan",
    "actual_wan",
];

/// The `group` of the statistics' row of projects in several groups.
pub const SEVERAL_GROUPS_KEY: &str = "(several_groups)";
/// The `group` of the statistics' total row.
pub const TOTAL_KEY: &str = "(total)";

/// A group's value as the planner reads it: element types and stages by name, "(none)" for
/// the empty group.
pub fn group_label(lang: Lang, session: &Session, by: GroupBy, group: &str) -> String {
    if group.is_empty() {
        return ProjectText::NoGroup.get(lang).to_string();
    }
    match by {
        GroupBy::Element => {
            session
                .catalog()
                .get(group)
                .map_or(group.to_string(), |e| match lang {
                    Lang::Zh => e.name_zh.clone(),
                    Lang::En => e.name_en.clone(),
                })
        }
        GroupBy::Stage => {
            let workflow = session
                .workflows()
                .all()
                .iter()
                .find(|w| w.stage(group).is_some());
            stage_name(lang, workflow, group).to_string()
        }
        GroupBy::Street | GroupBy::Programme | GroupBy::Year => group.to_string(),
    }
}

/// The projects CSV's rows ([`PROJECT_CSV_COLUMNS`]), `updated` in the machine's zone.
pub fn project_csv_rows(session: &Session, rows: &[ProjectRow<'_>]) -> Vec<Vec<Cell>> {
    project_csv_rows_in(session, rows, &LocalZone::system())
}

/// [`project_csv_rows`] with `updated` shown in `zone`.
pub fn project_csv_rows_in(
    session: &Session,
    rows: &[ProjectRow<'_>],
    zone: &LocalZone,
) -> Vec<Vec<Cell>> {
    let join = |items: &mut dyn Iterator<Item = &str>| items.collect::<Vec<_>>().join("、");
    // Provenance that cannot be read is shown as unknown: the table is still the table.
    let provenance = session
        .provenance_of_kind(RecordKind::Project)
        .unwrap_or_default();
    rows.iter()
        .map(|r| {
            let p = r.project;
            let workflow = session.workflows().of(p);
            let elements_zh = join(&mut r.summary.elements.iter().map(|e| {
                session
                    .catalog()
                    .get(e)
                    .map_or(e.as_str(), |t| t.name_zh.as_str())
            }));
            let updated = p
                .history
                .last()
                .map(|h| zone.local_text(&h.at))
                .unwrap_or_default();
            vec![
                Cell::text(&p.code),
                Cell::text(&p.name),
                Cell::text(&p.programme),
                Cell::maybe(p.year),
                Cell::text(join(&mut r.summary.streets.iter().map(String::as_str))),
                Cell::text(join(&mut r.summary.communities.iter().map(String::as_str))),
                Cell::text(&r.stage_key),
                Cell::text(stage_name(Lang::Zh, workflow, &r.stage_key)),
                Cell::maybe(p.budget_wan),
                Cell::maybe(p.actual_wan),
                Cell::maybe(p.progress_pct),
                Cell::number(r.summary.features.len()),
                Cell::text(join(&mut r.summary.elements.iter().map(String::as_str))),
                Cell::text(elements_zh),
                Cell::Number(format!("{:.1}", r.summary.area_m2)),
                Cell::Number(format!("{:.1}", r.summary.length_m)),
                Cell::text(&p.workflow),
                Cell::text(workflow.map_or("", |w| w.name_zh.as_str())),
                Cell::text(updated),
            ]
            .into_iter()
            .chain(provenance_cells(provenance.get(&p.id), zone))
            .collect()
        })
        .collect()
}

/// The projects table as a CSV or a sheet.
pub fn project_table_file<'a>(session: &Session, rows: &[ProjectRow<'_>], lang: Lang) -> Table<'a> {
    Table {
        sheet: ExportText::SheetProjects.get(lang),
        header: PROJECT_CSV_COLUMNS,
        rows: project_csv_rows(session, rows),
        notes: Vec::new(),
    }
}

/// The statistics CSV's rows ([`STATS_CSV_COLUMNS`]): the groups, then the projects in
/// several groups and the total.
pub fn stats_csv_rows(session: &Session, by: GroupBy, stats: &Statistics) -> Vec<Vec<Cell>> {
    let row = |group: &str, label: String, g: &GroupStats| {
        vec![
            Cell::text(group),
            Cell::text(label),
            Cell::number(g.projects),
            Cell::number(g.shared_projects),
            Cell::number(g.features),
            Cell::number(money(g.budget_wan)),
            Cell::number(money(g.actual_wan)),
        ]
    };
    let mut rows: Vec<Vec<Cell>> = stats
        .groups
        .iter()
        .map(|g| row(&g.group, group_label(Lang::Zh, session, by, &g.group), g))
        .collect();
    rows.push(row(
        SEVERAL_GROUPS_KEY,
        ExportText::SeveralGroups.get(Lang::Zh).to_string(),
        &stats.several,
    ));
    rows.push(row(
        TOTAL_KEY,
        ExportText::Total.get(Lang::Zh).to_string(),
        &stats.total,
    ));
    rows
}

/// A sum of amounts in 万元 without the float noise of adding (`4.4 + 489.5` prints
/// `493.9`, not `493.90000000000003`): rounded to a hundredth of a yuan.
fn money(wan: f64) -> f64 {
    (wan * 1e6).round() / 1e6
}

/// The statistics as a CSV or a sheet, the money columns' footnote under the sheet.
pub fn stats_table_file<'a>(
    session: &Session,
    by: GroupBy,
    stats: &Statistics,
    lang: Lang,
) -> Table<'a> {
    Table {
        sheet: ExportText::SheetStatistics.get(lang),
        header: STATS_CSV_COLUMNS,
        rows: stats_csv_rows(session, by, stats),
        notes: vec![ExportText::MoneyFootnote.get(lang).to_string()],
    }
}
