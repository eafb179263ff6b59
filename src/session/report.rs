//! Project tables and statistics for the bureau: the rows of every project (or a filtered
//! set) with what its features give it, counts and money grouped by street, element type,
//! stage, programme or year, and CSV that Excel opens with Chinese intact (UTF-8 with a byte
//! order mark, CRLF line ends, RFC 4180 quoting).
//!
//! A project spanning several streets (or element types, or programmes) counts once in each of
//! their groups, with its whole budget: group totals can then add up to more than the
//! workspace's total, which is what a bureau comparing streets expects to see.

use std::collections::BTreeMap;

use super::views::Analysis;
use super::{ProjectSummary, Session};
use crate::model::Project;
use crate::model::project::list_items;

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

/// One group of a statistic.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupStats {
    /// The group's value (street name, element key, stage key, programme, year); empty for
    /// projects that have none.
    pub group: String,
    /// Projects in the group.
    pub projects: usize,
    /// Their plan features in the group.
    pub features: usize,
    /// Their budgets.
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    pub budget_wan: f64,
    /// Their actual costs.
    ///
    /// # Units
    /// 万元 (10,000 CNY).
    pub actual_wan: f64,
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
        let summaries = session.summaries_now();
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
    /// group (years and stages in their order).
    pub fn project_stats(&self, filter: &ProjectFilter, by: GroupBy) -> Vec<GroupStats> {
        self.stats_of_rows(&self.project_table(filter), by)
    }

    /// The statistics of these table rows (the projects window's filter, say): the same sums
    /// as [`Analysis::project_stats`].
    pub fn stats_of_rows(&self, rows: &[ProjectRow<'_>], by: GroupBy) -> Vec<GroupStats> {
        let mut groups: BTreeMap<(i64, String), GroupStats> = BTreeMap::new();
        for row in rows {
            for (order, group, features) in row.groups(self.session, by) {
                let g = groups
                    .entry((order, group.clone()))
                    .or_insert_with(|| GroupStats {
                        group,
                        ..GroupStats::default()
                    });
                g.projects += 1;
                g.features += features;
                g.budget_wan += row.project.budget_wan.unwrap_or(0.0);
                g.actual_wan += row.project.actual_wan.unwrap_or(0.0);
            }
        }
        groups.into_values().collect()
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

    /// The groups this project falls in: (sort order, group, its features in the group).
    fn groups(&self, session: &Session, by: GroupBy) -> Vec<(i64, String, usize)> {
        let features_where = |keep: &dyn Fn(&crate::model::PlanFeature) -> bool| {
            self.summary
                .features
                .iter()
                .filter_map(|id| session.plan_feature(*id))
                .filter(|f| keep(f))
                .count()
        };
        let all = self.summary.features.len();
        match by {
            GroupBy::Street if self.summary.streets.is_empty() => vec![(0, String::new(), all)],
            GroupBy::Street => self
                .summary
                .streets
                .iter()
                .map(|s| {
                    let n = features_where(&|f| f.street.as_deref() == Some(s));
                    (0, s.clone(), n)
                })
                .collect(),
            GroupBy::Element if self.summary.elements.is_empty() => {
                vec![(0, String::new(), 0)]
            }
            GroupBy::Element => self
                .summary
                .elements
                .iter()
                .map(|e| {
                    let order = session
                        .catalog()
                        .elements
                        .iter()
                        .position(|t| t.key == *e)
                        .map_or(i64::MAX, |i| i as i64);
                    (order, e.clone(), features_where(&|f| f.element == *e))
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
        }
    }
}

pub use crate::io::csv::{Cell, csv_text};

/// The columns of the projects CSV (`linli export --format csv`).
pub const PROJECT_CSV_COLUMNS: &[&str] = &[
    "code",
    "name",
    "programme",
    "year",
    "street",
    "community",
    "stage",
    "budget_wan",
    "actual_wan",
    "progress",
    "features",
    "elements",
    "area_m2",
    "length_m",
    "workflow",
];

/// The columns of the statistics CSV (`linli stats --format csv`).
pub const STATS_CSV_COLUMNS: &[&str] =
    &["group", "projects", "features", "budget_wan", "actual_wan"];

/// The projects CSV's rows ([`PROJECT_CSV_COLUMNS`]).
pub fn project_csv_rows(rows: &[ProjectRow<'_>]) -> Vec<Vec<Cell>> {
    let join = |set: &std::collections::BTreeSet<String>| {
        set.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("、")
    };
    rows.iter()
        .map(|r| {
            let p = r.project;
            vec![
                Cell::text(&p.code),
                Cell::text(&p.name),
                Cell::text(&p.programme),
                Cell::maybe(p.year),
                Cell::text(join(&r.summary.streets)),
                Cell::text(join(&r.summary.communities)),
                Cell::text(&r.stage_key),
                Cell::maybe(p.budget_wan),
                Cell::maybe(p.actual_wan),
                Cell::maybe(p.progress_pct),
                Cell::number(r.summary.features.len()),
                Cell::text(join(&r.summary.elements)),
                Cell::Number(format!("{:.1}", r.summary.area_m2)),
                Cell::Number(format!("{:.1}", r.summary.length_m)),
                Cell::text(&p.workflow),
            ]
        })
        .collect()
}

/// The statistics CSV's rows ([`STATS_CSV_COLUMNS`]).
pub fn stats_csv_rows(stats: &[GroupStats]) -> Vec<Vec<Cell>> {
    stats
        .iter()
        .map(|g| {
            vec![
                Cell::text(&g.group),
                Cell::number(g.projects),
                Cell::number(g.features),
                Cell::number(g.budget_wan),
                Cell::number(g.actual_wan),
            ]
        })
        .collect()
}
