//! The projects' summaries a session keeps between edits (`Session::summaries_now`, what the
//! table and the statistics read) never go stale: after a feature's geometry, element or link
//! changes, a project's code changes or it goes, after undo and redo, after a meeting's edit
//! and after reopening, every cached summary equals the one computed from the plan as it is,
//! and the statistics equal a count made by hand.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::collections::BTreeMap;

use geo::{Scale, Translate};
use linli::Session;
use linli::model::Project;
use linli::model::catalog::GeometryKind;
use linli::session::report::{GroupBy, ProjectFilter};
use linli::session::{Command, Edit, ProjectEdit, ProjectSummary};
use uuid::Uuid;

fn sample(dir: &std::path::Path) -> (std::path::PathBuf, Session) {
    let ws = dir.join("w.gpkg");
    let s = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    (ws, s)
}

fn project(code: &str, budget_wan: f64) -> Project {
    Project {
        id: Uuid::new_v4(),
        code: code.into(),
        name: format!("测试项目 {code}"),
        programme: "缤纷社区".into(),
        year: Some(2025),
        workflow: "pudong_1t3h".into(),
        stage: "design".into(),
        budget_wan: Some(budget_wan),
        ..Project::default()
    }
}

/// The plan features drawn as polygons, by id.
fn polygons(s: &Session) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = s
        .plan()
        .iter()
        .filter(|f| f.kind() == Some(GeometryKind::Polygon))
        .map(|f| f.feature.id)
        .collect();
    ids.sort();
    ids
}

/// Every project's summary computed from the plan as it is, one project at a time.
fn from_scratch(s: &Session) -> BTreeMap<String, ProjectSummary> {
    s.projects()
        .keys()
        .map(|code| (code.clone(), s.project_summary(code)))
        .collect()
}

/// The cached summaries equal those computed afresh, and so do the table's rows.
fn assert_fresh(s: &Session, when: &str) {
    let scratch = from_scratch(s);
    assert_eq!(s.summaries_now(), &scratch, "{when}: the cached summaries");
    for row in s.analysis().project_table(&ProjectFilter::default()) {
        assert_eq!(
            row.summary, &scratch[&row.project.code],
            "{when}: the table's row of {}",
            row.project.code
        );
    }
}

fn cached(s: &Session, code: &str) -> ProjectSummary {
    s.summaries_now().get(code).cloned().unwrap_or_default()
}

#[test]
fn a_geometry_edit_changes_its_projects_area_and_undo_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let (_ws, mut s) = sample(dir.path());
    let f = polygons(&s)[0];
    let p = project("S-1", 3.0);
    s.apply(Command::project_from_features(p.clone(), &[f]))
        .unwrap();
    // The cache is filled before the edit: the edit must update it, not only drop it.
    let before = cached(&s, "S-1");
    assert_eq!(before.features, vec![f]);
    assert!(before.area_m2 > 0.0);
    let rows = s.analysis().project_rows_of(&["S-1".into()]);
    assert_eq!(rows[0].summary.area_m2, before.area_m2);

    let bigger = s.plan_feature(f).unwrap().feature.geometry.scale(2.0);
    s.apply(Edit::SetGeometry {
        id: f,
        geometry: bigger,
    })
    .unwrap();
    let after = cached(&s, "S-1");
    let ratio = after.area_m2 / before.area_m2;
    assert!(
        (ratio - 4.0).abs() < 0.01,
        "twice the size, four times the area: {ratio}"
    );
    assert_eq!(
        s.analysis().project_rows_of(&["S-1".into()])[0]
            .summary
            .area_m2,
        after.area_m2
    );
    assert_fresh(&s, "after the geometry edit");

    s.undo().unwrap();
    assert_eq!(cached(&s, "S-1"), before, "undo brings the area back");
    assert_fresh(&s, "after undo");
    s.redo().unwrap();
    assert_eq!(cached(&s, "S-1"), after);
    assert_fresh(&s, "after redo");
}

#[test]
fn relinking_a_feature_changes_both_projects_and_renames_and_deletions_follow() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut s) = sample(dir.path());
    let ids = polygons(&s);
    let (f, g) = (ids[0], ids[1]);
    let (a, b) = (project("S-A", 1.0), project("S-B", 2.0));
    s.apply(Command::project_from_features(a.clone(), &[f, g]))
        .unwrap();
    s.apply(ProjectEdit::Add(b.clone())).unwrap();
    let a_before = cached(&s, "S-A");
    assert_eq!(a_before.features.len(), 2);
    assert!(cached(&s, "S-B").features.is_empty());

    s.apply(Edit::SetProject {
        id: g,
        project: Some("S-B".into()),
    })
    .unwrap();
    let (a_now, b_now) = (cached(&s, "S-A"), cached(&s, "S-B"));
    assert_eq!(a_now.features, vec![f]);
    assert_eq!(b_now.features, vec![g]);
    let g_area = s.project_summary("S-B").area_m2;
    assert!(g_area > 0.0);
    assert!((a_now.area_m2 + b_now.area_m2 - a_before.area_m2).abs() < 1e-6 * a_before.area_m2);
    assert_fresh(&s, "after the relink");

    // A rename relinks the features under the new code; the old code's summary goes.
    let mut renamed = s.project(b.id).unwrap().clone();
    renamed.code = "S-B2".into();
    s.apply(ProjectEdit::Update(renamed)).unwrap();
    assert!(!s.summaries_now().contains_key("S-B"));
    assert_eq!(cached(&s, "S-B2").features, vec![g]);
    assert_fresh(&s, "after the rename");

    // A deletion unlinks its features; undo brings project and links back.
    s.apply(ProjectEdit::Delete(b.id)).unwrap();
    assert!(!s.summaries_now().contains_key("S-B2"));
    assert_fresh(&s, "after the deletion");
    s.undo().unwrap();
    assert_eq!(cached(&s, "S-B2").features, vec![g]);
    s.undo().unwrap();
    assert_eq!(cached(&s, "S-B").features, vec![g]);
    assert!(!s.summaries_now().contains_key("S-B2"));
    s.undo().unwrap();
    assert_eq!(cached(&s, "S-A"), a_before, "the relink undone");
    assert!(cached(&s, "S-B").features.is_empty());
    assert_fresh(&s, "after undoing all three");

    // Reopened, the summaries are those the session ended with.
    let kept = s.project_summaries();
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.summaries_now(), &kept);
}

/// A tiny deterministic generator, so a failure repeats.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The statistics by street over a filter, counted by hand from summaries computed afresh.
fn hand_count(s: &Session, filter: &ProjectFilter) -> Vec<(String, usize, usize, f64)> {
    let mut groups: BTreeMap<String, (usize, usize, f64)> = BTreeMap::new();
    for p in s.projects().values() {
        let summary = s.project_summary(&p.code);
        if filter.year.is_some_and(|y| p.year != Some(y)) {
            continue;
        }
        if let Some(e) = &filter.element
            && !summary.elements.contains(e)
        {
            continue;
        }
        // Each feature in its street (none: the empty group); a project without features in
        // the empty group.
        let mut streets: BTreeMap<String, usize> = BTreeMap::new();
        for id in &summary.features {
            let f = s.plan_feature(*id).unwrap();
            *streets
                .entry(f.street.clone().unwrap_or_default())
                .or_default() += 1;
        }
        if streets.is_empty() {
            streets.insert(String::new(), 0);
        }
        // The budget only where the project is wholly in one street.
        let whole = streets.len() == 1;
        for (street, features) in streets {
            let g = groups.entry(street).or_default();
            g.0 += 1;
            g.1 += features;
            if whole {
                g.2 += p.budget_wan.unwrap_or(0.0);
            }
        }
    }
    groups
        .into_iter()
        .map(|(k, (n, f, b))| (k, n, f, b))
        .collect()
}

#[test]
fn after_many_edits_undos_and_redos_the_cached_stats_equal_a_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut s) = sample(dir.path());
    let features: Vec<Uuid> = s.plan().iter().map(|f| f.feature.id).collect();
    let features = {
        let mut f = features;
        f.sort();
        f
    };
    let codes = ["R-1", "R-2", "R-3", "R-4"];
    for (i, code) in codes.iter().enumerate() {
        let mut p = project(code, 1.0 + i as f64);
        p.year = Some(2024 + (i % 2) as i32);
        let mine: Vec<Uuid> = features.iter().skip(i).step_by(5).copied().collect();
        s.apply(Command::project_from_features(p, &mine)).unwrap();
    }
    let elements: Vec<String> = s.catalog().elements.iter().map(|e| e.key.clone()).collect();
    let filters = [
        ProjectFilter::default(),
        ProjectFilter {
            year: Some(2024),
            ..Default::default()
        },
        ProjectFilter {
            element: Some(s.plan_feature(features[0]).unwrap().element.clone()),
            ..Default::default()
        },
    ];
    let mut rng = Lcg(10);
    let mut new_codes = 0;
    for step in 0..60 {
        // The cache is filled between edits, as the window fills it each frame.
        s.summaries_now();
        let mut live: Vec<Uuid> = s.plan().iter().map(|f| f.feature.id).collect();
        live.sort();
        let f = live[rng.next(live.len())];
        let what = rng.next(9);
        let result = match what {
            0 | 1 => {
                let code = codes.get(rng.next(codes.len() + 1)).map(|c| c.to_string());
                let code = code.filter(|c| s.projects().contains_key(c));
                s.apply(Edit::SetProject {
                    id: f,
                    project: code,
                })
            }
            2 => {
                let g = s.plan_feature(f).unwrap().feature.geometry.translate(
                    (rng.next(5) as f64 - 2.0) * 0.01,
                    (rng.next(5) as f64 - 2.0) * 0.01,
                );
                s.apply(Edit::SetGeometry { id: f, geometry: g })
            }
            3 => {
                let element = elements[rng.next(elements.len())].clone();
                s.apply(Edit::SetElement { id: f, element })
            }
            4 => {
                let code = codes[rng.next(codes.len())];
                match s.projects().values().find(|p| p.code.starts_with(code)) {
                    Some(p) => {
                        let mut p = p.clone();
                        new_codes += 1;
                        p.code = format!("{code}-{new_codes}");
                        p.budget_wan = Some(rng.next(10) as f64);
                        s.apply(ProjectEdit::Update(p))
                    }
                    None => Ok(f),
                }
            }
            5 => s.undo().map(|_| f),
            6 => s.redo().map(|_| f),
            7 => {
                let new_id = Uuid::new_v4();
                s.apply(Edit::Duplicate {
                    id: f,
                    new_id,
                    offset_lon: 0.001,
                    offset_lat: 0.0,
                })
            }
            _ => {
                let m = linli::model::meeting::Meeting::new(
                    linli::model::project::MeetingKind::Hearing,
                    "2025-03-01",
                    s.projects().values().next().map(|p| p.id),
                );
                s.apply(linli::session::MeetingEdit::Add(m))
            }
        };
        // Some edits are refused (an element the geometry cannot be): nothing changes then.
        let _ = result;
        assert_fresh(&s, &format!("step {step} ({what})"));
        for filter in &filters {
            let stats: Vec<(String, usize, usize, f64)> = s
                .analysis()
                .project_stats(filter, GroupBy::Street)
                .into_iter()
                .map(|g| (g.group, g.projects, g.features, g.budget_wan))
                .collect();
            assert_eq!(stats, hand_count(&s, filter), "step {step}: {filter:?}");
        }
    }
    let kept = s.project_summaries();
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.summaries_now(), &kept, "reopened");
}
