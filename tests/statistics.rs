//! Statistics never count a budget twice (issue 21, item 1). A project with features of three
//! element types is in three groups by element type: it counts in each group's projects and
//! features, but its budget is on the "projects in several groups" row only, once, so the
//! budget column (groups plus that row) adds up to the true total, which a total row shows in
//! every grouping; the window's header marks the money columns and its footnote says why.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use linli::Session;
use linli::model::Project;
use linli::session::Command;
use linli::session::report::{GroupBy, ProjectFilter, Statistics};
use uuid::Uuid;

const BUDGET: f64 = 123.4;

/// The sample with a new project `XM-3T` (budget [`BUDGET`]) made of one feature of each of
/// three element types; returns the workspace and those types.
fn three_type_project(dir: &Path) -> (PathBuf, Vec<String>) {
    let ws = dir.join("w.gpkg");
    let mut s = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    let mut seen = BTreeSet::new();
    let mut picked: Vec<(Uuid, String)> = Vec::new();
    for f in s.plan() {
        if picked.len() < 3 && seen.insert(f.element.clone()) {
            picked.push((f.feature.id, f.element.clone()));
        }
    }
    assert_eq!(picked.len(), 3, "the sample has three element types");
    let project = Project {
        id: Uuid::new_v4(),
        code: "XM-3T".into(),
        name: "三类要素的项目".into(),
        programme: "缤纷社区".into(),
        year: Some(2025),
        workflow: "pudong_1t3h".into(),
        stage: "design".into(),
        budget_wan: Some(BUDGET),
        actual_wan: Some(10.0),
        ..Project::default()
    };
    let ids: Vec<Uuid> = picked.iter().map(|(id, _)| *id).collect();
    s.apply(Command::project_from_features(project, &ids))
        .unwrap();
    (ws, picked.into_iter().map(|(_, e)| e).collect())
}

fn statistics(s: &Session, by: GroupBy) -> Statistics {
    let analysis = s.analysis();
    analysis.statistics(&analysis.project_table(&ProjectFilter::default()), by)
}

fn true_total(s: &Session) -> (f64, f64) {
    s.projects().values().fold((0.0, 0.0), |(b, a), p| {
        (
            b + p.budget_wan.unwrap_or(0.0),
            a + p.actual_wan.unwrap_or(0.0),
        )
    })
}

#[test]
fn a_project_of_three_element_types_is_counted_in_each_but_its_budget_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, types) = three_type_project(dir.path());
    let s = Session::open_read_only(&ws).unwrap();
    let stats = statistics(&s, GroupBy::Element);
    for t in &types {
        let g = stats.groups.iter().find(|g| &g.group == t).unwrap();
        assert!(g.shared_projects >= 1, "{t}: {g:?}");
        // The group's money: the projects wholly of this type, and only those.
        let whole: f64 = s
            .projects()
            .values()
            .filter(|p| s.project_summary(&p.code).elements == BTreeSet::from([t.clone()]))
            .map(|p| p.budget_wan.unwrap_or(0.0))
            .sum();
        assert!((g.budget_wan - whole).abs() < 1e-9, "{t}: {g:?} vs {whole}");
    }
    assert!(stats.several.projects >= 1);
    assert_eq!(stats.total.shared_projects, stats.several.projects);
    assert!(stats.several.budget_wan >= BUDGET);
    // The budget column adds up to the true total, in every grouping.
    let (budget, actual) = true_total(&s);
    for by in GroupBy::ALL {
        let stats = statistics(&s, by);
        let sum: f64 =
            stats.groups.iter().map(|g| g.budget_wan).sum::<f64>() + stats.several.budget_wan;
        let sum_actual: f64 =
            stats.groups.iter().map(|g| g.actual_wan).sum::<f64>() + stats.several.actual_wan;
        assert!((sum - budget).abs() < 1e-6, "{by:?}: {sum} vs {budget}");
        assert!((sum_actual - actual).abs() < 1e-6, "{by:?}");
        assert!((stats.total.budget_wan - budget).abs() < 1e-6, "{by:?}");
        assert_eq!(stats.total.projects, s.projects().len(), "{by:?}");
        // By street and element type every feature is in one group.
        if matches!(by, GroupBy::Street | GroupBy::Element) {
            let features: usize = stats.groups.iter().map(|g| g.features).sum();
            assert_eq!(features, stats.total.features, "{by:?}");
        }
    }
}

#[test]
fn the_command_line_prints_the_several_groups_and_total_rows() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = three_type_project(dir.path());
    let printed = common::stdout(&["stats", ws.to_str().unwrap(), "--by", "element"]);
    let lines: Vec<Vec<&str>> = printed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines[0][5], "budget_wan");
    let several = lines.iter().find(|l| l[0] == "(several_groups)").unwrap();
    assert_eq!(several[1], "跨组项目（只计一次）");
    assert!(several[2].parse::<usize>().unwrap() >= 1);
    let total = lines.last().unwrap();
    assert_eq!(&total[..2], ["(total)", "合计"]);
    let total_budget: f64 = total[5].parse().unwrap();
    let sum: f64 = lines[1..lines.len() - 1]
        .iter()
        .map(|l| l[5].parse::<f64>().unwrap())
        .sum();
    assert!((sum - total_budget).abs() < 1e-6, "{printed}");
    let s = Session::open_read_only(&ws).unwrap();
    assert!((total_budget - true_total(&s).0).abs() < 1e-6);
}

#[cfg(feature = "gui")]
#[test]
fn the_window_shows_the_marked_money_columns_the_total_row_and_the_footnote() {
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let (ws, _) = three_type_project(dir.path());
    let mut harness = common::gui::open_app(&ws);
    harness.get_by_label("项目统计").click();
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("要素类型").click();
    for _ in 0..3 {
        harness.step();
    }
    harness.get_by_label("预算（万元）*");
    harness.get_by_label("实际投入（万元）*");
    harness.get_by_label("其中跨组");
    harness.get_by_label("跨组项目（只计一次）");
    harness.get_by_label("合计");
    harness.get_by_label_contains("预算与实际投入只计入全部要素都在该组内的项目");
    let shown = harness.state().stats_window().shown_statistics().unwrap();
    let s = harness.state().session().unwrap();
    let (budget, _) = true_total(s);
    assert!((shown.total.budget_wan - budget).abs() < 1e-6);
    let sum: f64 =
        shown.groups.iter().map(|g| g.budget_wan).sum::<f64>() + shown.several.budget_wan;
    assert!((sum - budget).abs() < 1e-6);
    // The total row's budget as the window prints it.
    let printed = format!("{budget:.1}");
    assert!(
        harness.query_all_by_label(&printed).count() >= 1,
        "{printed}"
    );
}
