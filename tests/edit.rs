//! Editing through the same façade the UI uses: every edit kind, unlimited undo/redo restoring
//! the workspace's content exactly, derived street/community after moves, and a kill in the
//! middle of a sequence of edits.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use geo::{Geometry, LineString, Point, Polygon, polygon};
use linli::Session;
use linli::model::LayerRole;
use linli::session::{Command, Edit, NewFeature, ProjectEdit};
use proptest::prelude::*;
use uuid::Uuid;

/// A sample workspace made once per test process and copied for each case.
fn template() -> PathBuf {
    static TEMPLATE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let dir =
                std::env::temp_dir().join(format!("linli-edit-template-{}", std::process::id()));
            let _ = std::fs::create_dir_all(&dir);
            let ws = dir.join("template.gpkg");
            linli::sample::remove_workspace(&ws);
            let session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
            drop(session); // closing checkpoints the WAL into the file
            ws
        })
        .clone()
}

fn fresh(dir: &Path) -> PathBuf {
    let ws = dir.join("w.gpkg");
    std::fs::copy(template(), &ws).unwrap();
    ws
}

fn street_point(session: &Session, name: &str) -> (f64, f64) {
    let streets = session
        .layers()
        .iter()
        .find(|l| l.role == LayerRole::Streets)
        .unwrap();
    let f = streets.features.iter().find(|f| f.name == name).unwrap();
    let p = linli::analysis::index::representative_point(&f.geometry).unwrap();
    (p.x(), p.y())
}

fn square(lon: f64, lat: f64, side_deg: f64) -> Geometry<f64> {
    Geometry::Polygon(polygon![
        (x: lon, y: lat), (x: lon + side_deg, y: lat), (x: lon + side_deg, y: lat + side_deg), (x: lon, y: lat + side_deg), (x: lon, y: lat)
    ])
}

fn add(session: &mut Session, element: &str, geometry: Geometry<f64>, name: &str) -> Uuid {
    session
        .apply(Edit::Add(NewFeature {
            id: Uuid::new_v4(),
            element: element.into(),
            geometry,
            name: name.into(),
            properties: Default::default(),
            project: None,
        }))
        .unwrap()
}

#[test]
fn every_edit_kind_undoes_to_the_original_and_redoes_to_the_edited() {
    let dir = tempfile::tempdir().unwrap();
    let ws = fresh(dir.path());
    let original = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let (lon, lat) = street_point(&s, "潍坊新村街道");
    let garden = add(
        &mut s,
        "pocket_garden",
        square(lon, lat, 0.0003),
        "新口袋花园",
    );
    assert_eq!(
        s.plan_feature(garden).unwrap().street.as_deref(),
        Some("潍坊新村街道")
    );
    let lane = add(
        &mut s,
        "vibrant_lane",
        Geometry::LineString(LineString::from(vec![(lon, lat), (lon + 0.001, lat)])),
        "",
    );
    let art = s
        .plan()
        .iter()
        .find(|f| f.element == "art_space")
        .unwrap()
        .feature
        .id;
    let existing = s
        .plan()
        .iter()
        .find(|f| f.element != "art_space")
        .unwrap()
        .feature
        .id;
    let existing_element = s.plan_feature(existing).unwrap().element.clone();
    let edits = vec![
        Edit::SetGeometry {
            id: garden,
            geometry: square(lon + 0.0001, lat, 0.0004),
        },
        Edit::SetName {
            id: garden,
            name: "改名花园".into(),
        },
        Edit::SetProperty {
            id: garden,
            key: "备注".into(),
            value: Some(serde_json::json!("居民提议")),
        },
        Edit::SetProject {
            id: garden,
            project: s.projects().keys().next().cloned(),
        },
        Edit::SetElement {
            id: garden,
            element: "sports_venue".into(),
        },
        Edit::Duplicate {
            id: garden,
            new_id: Uuid::new_v4(),
            offset_lon: 0.0005,
            offset_lat: 0.0,
        },
        Edit::SetElement {
            id: existing,
            element: existing_element,
        },
        Edit::Delete(lane),
        Edit::Delete(existing),
        // A kind change: the art space moves from plan_points to plan_polygons and back on undo.
    ];
    for e in edits {
        s.apply(e).unwrap();
    }
    s.apply(Edit::SetGeometry {
        id: art,
        geometry: square(lon, lat + 0.001, 0.0002),
    })
    .unwrap();
    assert_eq!(s.check().unwrap(), Vec::<linli::error::Problem>::new());
    let edited = common::dump(&ws);
    assert_ne!(edited, original);

    // Refused edits change nothing.
    assert!(
        s.apply(Edit::SetElement {
            id: art,
            element: "public_facility_x".into()
        })
        .is_err()
    );
    assert!(
        s.apply(Edit::SetElement {
            id: art,
            element: "slow_network".into()
        })
        .is_err(),
        "a polygon cannot be a slow network"
    );
    assert!(
        s.apply(Edit::SetGeometry {
            id: art,
            geometry: Geometry::Point(Point::new(500.0, 31.0))
        })
        .is_err()
    );
    assert!(s.apply(Edit::Delete(Uuid::new_v4())).is_err());
    assert_eq!(common::dump(&ws), edited);

    while s.undo().unwrap() {}
    assert_eq!(
        common::dump(&ws),
        original,
        "undo to the start must restore the workspace"
    );
    while s.redo().unwrap() {}
    assert_eq!(
        common::dump(&ws),
        edited,
        "redo to the end must restore the edits"
    );
    assert_eq!(s.check().unwrap(), Vec::<linli::error::Problem>::new());

    // The reopened workspace holds the same plan.
    let plan: Vec<_> = s.plan().iter().map(|f| f.feature.id).collect();
    drop(s);
    let reopened = Session::open(&ws).unwrap();
    let mut a: Vec<_> = reopened.plan().iter().map(|f| f.feature.id).collect();
    let mut b = plan;
    a.sort();
    b.sort();
    assert_eq!(a, b);
}

#[test]
fn moving_across_a_street_boundary_re_derives_street_and_community() {
    let dir = tempfile::tempdir().unwrap();
    let ws = fresh(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let (a_lon, a_lat) = street_point(&s, "陆家嘴街道");
    let (b_lon, b_lat) = street_point(&s, "塘桥街道");
    let id = add(
        &mut s,
        "public_facility",
        Geometry::Point(Point::new(a_lon, a_lat)),
        "长者驿站",
    );
    let before = s.plan_feature(id).unwrap().clone();
    assert_eq!(before.street.as_deref(), Some("陆家嘴街道"));
    assert_eq!(before.community, s.locate(a_lon, a_lat).community);
    s.apply(Edit::SetGeometry {
        id,
        geometry: Geometry::Point(Point::new(b_lon, b_lat)),
    })
    .unwrap();
    let after = s.plan_feature(id).unwrap();
    assert_eq!(after.street.as_deref(), Some("塘桥街道"));
    assert_eq!(after.community, s.locate(b_lon, b_lat).community);
    // Stored too, not only in memory.
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert_eq!(
        s.plan_feature(id).unwrap().street.as_deref(),
        Some("塘桥街道")
    );
    // A garden straddling the boundary gets a warning naming both streets.
    let streets = s
        .layers()
        .iter()
        .find(|l| l.role == LayerRole::Streets)
        .unwrap();
    let ljz = streets
        .features
        .iter()
        .find(|f| f.name == "陆家嘴街道")
        .unwrap();
    let Geometry::MultiPolygon(mp) = &ljz.geometry else {
        panic!("streets are multipolygons")
    };
    // A vertex of its boundary that another street shares: the corners of a small square
    // around it lie in different streets.
    let d = 0.0003;
    let c = mp.0[0]
        .exterior()
        .0
        .iter()
        .find(|c| {
            let names: std::collections::BTreeSet<_> = [(-d, -d), (d, -d), (d, d), (-d, d)]
                .iter()
                .filter_map(|(dx, dy)| s.locate(c.x + dx, c.y + dy).street)
                .collect();
            names.len() >= 2
        })
        .copied()
        .unwrap();
    let straddle = square(c.x - d, c.y - d, 2.0 * d);
    let f = linli::model::PlanFeature {
        feature: linli::model::Feature {
            id: Uuid::new_v4(),
            name: String::new(),
            geometry: straddle,
            properties: Default::default(),
        },
        element: "pocket_garden".into(),
        project: None,
        alternative: None,
        street: None,
        community: None,
    };
    let warnings = linli::analysis::siting::warnings(&s, &f);
    assert!(
        warnings.iter().any(|w| matches!(w, linli::analysis::siting::Warning::CrossesStreets { streets } if streets.len() >= 2)),
        "{warnings:?}"
    );
}

#[test]
fn siting_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let ws = fresh(dir.path());
    let s = Session::open(&ws).unwrap();
    let (lon, lat) = street_point(&s, "潍坊新村街道");
    let make = |geometry: Geometry<f64>| linli::model::PlanFeature {
        feature: linli::model::Feature {
            id: Uuid::new_v4(),
            name: String::new(),
            geometry,
            properties: Default::default(),
        },
        element: "pocket_garden".into(),
        project: None,
        alternative: None,
        street: None,
        community: None,
    };
    use linli::analysis::siting::{Warning, warnings};
    // ~30 m × 35 m: fine.
    assert_eq!(warnings(&s, &make(square(lon, lat, 0.0003))), vec![]);
    // ~10 m square: too small for a pocket garden.
    assert!(matches!(
        warnings(&s, &make(square(lon, lat, 0.0001)))[..],
        [Warning::AreaOutOfRange { .. }]
    ));
    // A bow tie crosses itself.
    let bow = Geometry::Polygon(Polygon::new(
        LineString::from(vec![
            (lon, lat),
            (lon + 0.0005, lat + 0.0005),
            (lon + 0.0005, lat),
            (lon, lat + 0.0005),
            (lon, lat),
        ]),
        vec![],
    ));
    assert!(warnings(&s, &make(bow)).contains(&Warning::SelfIntersecting));
    // In the sea east of Pudong: outside every community.
    assert!(
        warnings(&s, &make(square(122.3, 31.0, 0.0003))).contains(&Warning::OutsideCommunities)
    );
}

/// One random edit, by index into the plan at the time it is applied.
#[derive(Debug, Clone)]
enum Op {
    AddPoint(usize, f64, f64),
    AddPolygon(usize, f64, f64),
    AddLine(usize, f64, f64),
    Delete(usize),
    Move(usize, f64, f64),
    SetElement(usize, usize),
    Rename(usize, String),
    SetProperty(usize, String),
    Duplicate(usize),
    /// A new project with this code number.
    AddProject(u32),
    /// Project `i` gets a new name, and a new code (relinking its features) when the flag says.
    UpdateProject(usize, u32, bool),
    /// Delete project `i` (its features become unassigned).
    DeleteProject(usize),
    /// Link feature `i` to project `j`, or unlink it when there is no project.
    Link(usize, usize),
    /// "Create a project from these features": a new project and two features linked to it.
    ProjectFromFeatures(u32, usize, usize),
    /// Several edits as one command: one transaction, one undo step.
    Batch(Vec<Op>),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => single_op(),
        1 => proptest::collection::vec(single_op(), 2..4).prop_map(Op::Batch),
    ]
}

fn single_op() -> impl Strategy<Value = Op> {
    let frac = 0.0..1.0f64;
    prop_oneof![
        (0..9usize, frac.clone(), frac.clone()).prop_map(|(e, x, y)| Op::AddPoint(e, x, y)),
        (0..9usize, frac.clone(), frac.clone()).prop_map(|(e, x, y)| Op::AddPolygon(e, x, y)),
        (0..9usize, frac.clone(), frac.clone()).prop_map(|(e, x, y)| Op::AddLine(e, x, y)),
        (0..40usize).prop_map(Op::Delete),
        (0..40usize, -1.0..1.0f64, -1.0..1.0f64).prop_map(|(i, x, y)| Op::Move(i, x, y)),
        (0..40usize, 0..9usize).prop_map(|(i, e)| Op::SetElement(i, e)),
        (0..40usize, "[a-z口袋花园]{0,6}").prop_map(|(i, n)| Op::Rename(i, n)),
        (0..40usize, "[a-z备注]{1,4}").prop_map(|(i, k)| Op::SetProperty(i, k)),
        (0..40usize).prop_map(Op::Duplicate),
        (0..1000u32).prop_map(Op::AddProject),
        (0..20usize, 0..1000u32, any::<bool>()).prop_map(|(i, n, c)| Op::UpdateProject(i, n, c)),
        (0..20usize).prop_map(Op::DeleteProject),
        (0..40usize, 0..20usize).prop_map(|(i, j)| Op::Link(i, j)),
        (0..1000u32, 0..40usize, 0..40usize).prop_map(|(n, i, j)| Op::ProjectFromFeatures(n, i, j)),
    ]
}

fn project(code: String) -> linli::model::Project {
    linli::model::Project {
        id: Uuid::new_v4(),
        name: format!("测试项目 {code}"),
        code,
        programme: "缤纷社区".into(),
        year: Some(2025),
        stage: "approval".into(),
        budget_wan: Some(3.5),
        ..Default::default()
    }
}

fn to_command(s: &Session, op: &Op) -> Option<Command> {
    match op {
        Op::Batch(ops) => Some(Command::Batch(
            ops.iter()
                .filter_map(|op| to_command(s, op))
                .collect::<Vec<_>>(),
        ))
        .filter(|c| matches!(c, Command::Batch(parts) if !parts.is_empty())),
        Op::AddProject(n) => Some(ProjectEdit::Add(project(format!("T-{n}"))).into()),
        Op::UpdateProject(i, n, recode) => {
            let mut p = nth_project(s, *i)?;
            p.name = format!("改名 {n}");
            if *recode {
                p.code = format!("R-{n}");
            }
            Some(ProjectEdit::Update(p).into())
        }
        Op::DeleteProject(i) => Some(ProjectEdit::Delete(nth_project(s, *i)?.id).into()),
        Op::Link(i, j) => {
            let id = nth_feature(s, *i)?;
            let project = nth_project(s, *j).map(|p| p.code);
            Some(Edit::SetProject { id, project }.into())
        }
        Op::ProjectFromFeatures(n, i, j) => {
            let (a, b) = (nth_feature(s, *i)?, nth_feature(s, *j)?);
            Some(Command::project_from_features(
                project(format!("F-{n}")),
                &[a, b],
            ))
        }
        op => to_edit(s, op).map(Command::Plan),
    }
}

fn nth_feature(s: &Session, i: usize) -> Option<Uuid> {
    (!s.plan().is_empty()).then(|| s.plan()[i % s.plan().len()].feature.id)
}

fn nth_project(s: &Session, i: usize) -> Option<linli::model::Project> {
    let n = s.projects().len();
    (n > 0)
        .then(|| s.projects().values().nth(i % n).cloned())
        .flatten()
}

fn to_edit(s: &Session, op: &Op) -> Option<Edit> {
    let elements: Vec<String> = s.catalog().elements.iter().map(|e| e.key.clone()).collect();
    let at = |fx: f64, fy: f64| (121.50 + fx * 0.08, 31.18 + fy * 0.07);
    let nth = |i: usize| (!s.plan().is_empty()).then(|| s.plan()[i % s.plan().len()].feature.id);
    let new = |e: usize, geometry| {
        Edit::Add(NewFeature {
            id: Uuid::new_v4(),
            element: elements[e % elements.len()].clone(),
            geometry,
            name: String::new(),
            properties: Default::default(),
            project: None,
        })
    };
    Some(match op {
        Op::AddPoint(e, x, y) => new(*e, Geometry::Point(at(*x, *y).into())),
        Op::AddPolygon(e, x, y) => {
            let (lon, lat) = at(*x, *y);
            new(*e, square(lon, lat, 0.0003))
        }
        Op::AddLine(e, x, y) => {
            let (lon, lat) = at(*x, *y);
            new(
                *e,
                Geometry::LineString(LineString::from(vec![
                    (lon, lat),
                    (lon + 0.001, lat + 0.0005),
                ])),
            )
        }
        Op::Delete(i) => Edit::Delete(nth(*i)?),
        Op::Move(i, dx, dy) => {
            use geo::Translate;
            let id = nth(*i)?;
            let g = s
                .plan_feature(id)?
                .feature
                .geometry
                .translate(dx * 0.01, dy * 0.01);
            Edit::SetGeometry { id, geometry: g }
        }
        Op::SetElement(i, e) => Edit::SetElement {
            id: nth(*i)?,
            element: elements[e % elements.len()].clone(),
        },
        Op::Rename(i, n) => Edit::SetName {
            id: nth(*i)?,
            name: n.clone(),
        },
        Op::SetProperty(i, k) => Edit::SetProperty {
            id: nth(*i)?,
            key: k.clone(),
            value: Some(serde_json::json!(k.len())),
        },
        Op::Duplicate(i) => Edit::Duplicate {
            id: nth(*i)?,
            new_id: Uuid::new_v4(),
            offset_lon: 0.0002,
            offset_lat: 0.0001,
        },
        _ => return None,
    })
}

/// A view's copy of the plan, kept current only through `plan_changes_since`, as the map's
/// mesh cache is: it must always equal the session's plan.
struct Mirror {
    revision: u64,
    plan: Vec<linli::model::PlanFeature>,
}

impl Mirror {
    fn of(s: &Session) -> Self {
        Self {
            revision: s.revision(),
            plan: s.plan().to_vec(),
        }
    }

    fn follow(&mut self, s: &Session) {
        let changes = s
            .plan_changes_since(self.revision)
            .expect("the log reaches back one edit");
        self.plan.truncate(changes.len);
        for slot in changes.slots.into_iter().filter(|&slot| slot < changes.len) {
            if slot >= self.plan.len() {
                self.plan.resize(slot + 1, s.plan()[slot].clone());
            }
            self.plan[slot] = s.plan()[slot].clone();
        }
        self.revision = s.revision();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
    #[test]
    fn random_edit_sequences_undo_and_redo_exactly(ops in proptest::collection::vec(op(), 1..25)) {
        let dir = tempfile::tempdir().unwrap();
        let ws = fresh(dir.path());
        let original = common::dump(&ws);
        let mut s = Session::open(&ws).unwrap();
        let mut applied = 0;
        let mut mirror = Mirror::of(&s);
        for op in &ops {
            let Some(command) = to_command(&s, op) else { continue };
            let before = common::dump(&ws);
            match s.apply(command) {
                Ok(_) => applied += 1,
                Err(_) => prop_assert_eq!(&before, &common::dump(&ws), "a refused command changed the workspace"),
            }
            mirror.follow(&s);
            prop_assert_eq!(&mirror.plan, &s.plan().to_vec(), "the change log missed a slot");
        }
        let edited = common::dump(&ws);
        let mut undone = 0;
        while s.undo().unwrap() {
            undone += 1;
            mirror.follow(&s);
            prop_assert_eq!(&mirror.plan, &s.plan().to_vec(), "the change log missed a slot on undo");
        }
        prop_assert_eq!(undone, applied);
        prop_assert_eq!(&common::dump(&ws), &original);
        while s.redo().unwrap() {}
        prop_assert_eq!(&common::dump(&ws), &edited);
        prop_assert!(s.check().unwrap().is_empty());
    }
}

/// A step of a session shared with QGIS: the planner's action, an undo, a redo, or QGIS
/// renaming the `n`-th plan feature in the file.
#[derive(Debug, Clone)]
enum Shared {
    Planner(Op),
    Undo,
    Redo,
    Qgis(usize, u32),
}

fn shared_step() -> impl Strategy<Value = Shared> {
    prop_oneof![
        5 => op().prop_map(Shared::Planner),
        1 => Just(Shared::Undo),
        1 => Just(Shared::Redo),
        2 => (0..40usize, 0..1000u32).prop_map(|(i, n)| Shared::Qgis(i, n)),
    ]
}

/// Each plan feature's name in the file, by id.
fn file_names(ws: &Path) -> std::collections::BTreeMap<String, String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut out = std::collections::BTreeMap::new();
    for t in ["plan_points", "plan_lines", "plan_polygons"] {
        let mut stmt = conn
            .prepare(&format!("SELECT uuid, coalesce(name, '') FROM {t}"))
            .unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// The session's plan features by id, for comparing with a fresh open.
fn plan_by_id(s: &Session) -> Vec<linli::model::PlanFeature> {
    let mut plan = s.plan().to_vec();
    plan.sort_by_key(|f| f.feature.id);
    plan
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, .. ProptestConfig::default() })]
    /// QGIS renames features while the planner edits, undoes and redoes: a name QGIS wrote is
    /// only ever replaced by a step made against it (never by a step made against what the
    /// session held before), a refused step writes nothing, and the session's records are
    /// always what a fresh open of the file gives.
    #[test]
    fn outside_edits_interleaved_are_never_overwritten(steps in proptest::collection::vec(shared_step(), 1..30)) {
        let dir = tempfile::tempdir().unwrap();
        let ws = fresh(dir.path());
        let mut s = Session::open(&ws).unwrap();
        let mut mirror = Mirror::of(&s);
        for step in &steps {
            let names_before = file_names(&ws);
            let held: std::collections::BTreeMap<String, String> = s
                .plan()
                .iter()
                .map(|f| (f.feature.id.to_string(), f.feature.name.clone()))
                .collect();
            let dump_before = common::dump(&ws);
            let result = match step {
                Shared::Qgis(i, n) => {
                    if s.plan().is_empty() { continue; }
                    let id = s.plan()[i % s.plan().len()].feature.id;
                    let conn = rusqlite::Connection::open(&ws).unwrap();
                    linli::store::register_sql_functions(&conn).unwrap();
                    for t in ["plan_points", "plan_lines", "plan_polygons"] {
                        conn.execute(
                            &format!("UPDATE {t} SET name = ?2 WHERE uuid = ?1"),
                            rusqlite::params![id.to_string(), format!("QGIS-{n}")],
                        ).unwrap();
                    }
                    continue;
                }
                Shared::Planner(op) => {
                    let Some(command) = to_command(&s, op) else { continue };
                    s.apply(command).map(|_| ())
                }
                Shared::Undo => s.undo().map(|_| ()),
                Shared::Redo => s.redo().map(|_| ()),
            };
            mirror.follow(&s);
            prop_assert_eq!(&mirror.plan, &s.plan().to_vec(), "the change log missed a slot");
            match result {
                Err(e) => {
                    prop_assert_eq!(&dump_before, &common::dump(&ws), "a refused step wrote: {}", e);
                }
                Ok(()) => {
                    let names_after = file_names(&ws);
                    for (id, name) in names_before.iter().filter(|(_, n)| n.starts_with("QGIS-")) {
                        if let Some(after) = names_after.get(id) && after != name {
                            prop_assert_eq!(held.get(id), Some(name), "QGIS's name of {} was overwritten by a step made against another", id);
                        }
                    }
                }
            }
        }
        let fresh_open = Session::open_read_only(&ws).unwrap();
        // Names QGIS wrote that no step touched are not in the session yet (picking them up
        // while open is the refresh's work); everything else matches a fresh open.
        let strip = |mut plan: Vec<linli::model::PlanFeature>| {
            for f in &mut plan { f.feature.name.clear(); }
            plan
        };
        prop_assert_eq!(strip(plan_by_id(&s)), strip(plan_by_id(&fresh_open)));
        prop_assert!(s.check().unwrap().is_empty());
    }
}

/// The child half of the kill test: applies edits forever, printing each id once it is
/// acknowledged (written). Runs only when the parent sets LINLI_EDIT_CHILD.
#[test]
fn edit_child_process() {
    let Ok(ws) = std::env::var("LINLI_EDIT_CHILD") else {
        return;
    };
    let mut s = Session::open(Path::new(&ws)).unwrap();
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for i in 0.. {
        let lon = 121.50 + (i % 100) as f64 * 0.0007;
        let lat = 31.20 + (i / 100 % 100) as f64 * 0.0005;
        let id = if i % 3 == 2 && !s.plan().is_empty() {
            use geo::Translate;
            let f = &s.plan()[i % s.plan().len()];
            let id = f.feature.id;
            let g = f.feature.geometry.translate(0.0001, 0.0);
            s.apply(Edit::SetGeometry { id, geometry: g }).unwrap();
            format!(
                "move {id} {}",
                serde_json::to_string(&linli::io::geojson_out::geometry_json(
                    &s.plan_feature(id).unwrap().feature.geometry
                ))
                .unwrap()
            )
        } else {
            let id = add(
                &mut s,
                "public_facility",
                Geometry::Point(Point::new(lon, lat)),
                &format!("设施{i}"),
            );
            format!("add {id}")
        };
        writeln!(out, "{id}").unwrap();
        out.flush().unwrap();
    }
}

/// The longitude of the first position of GeoJSON coordinates of any depth (a point's
/// `[x, y]`, a line's `[[x, y], ...]`, a polygon's rings...).
fn first_lon(coordinates: &serde_json::Value) -> f64 {
    match coordinates {
        serde_json::Value::Array(items) => match items.first() {
            Some(serde_json::Value::Number(n)) => n.as_f64().unwrap(),
            Some(inner) => first_lon(inner),
            None => panic!("empty coordinates"),
        },
        other => panic!("not coordinates: {other}"),
    }
}

#[test]
fn first_lon_reads_every_depth() {
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(first_lon(&json("[1.5, 2]")), 1.5);
    assert_eq!(first_lon(&json("[[1.5, 2], [3, 4]]")), 1.5);
    assert_eq!(
        first_lon(&json("[[[1.5, 2], [3, 4], [5, 6], [1.5, 2]]]")),
        1.5
    );
}

#[test]
fn killed_mid_sequence_keeps_every_acknowledged_edit() {
    use std::io::BufRead;
    let dir = tempfile::tempdir().unwrap();
    let ws = fresh(dir.path());
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "edit_child_process",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("LINLI_EDIT_CHILD", &ws)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut acknowledged = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if line.starts_with("add ") || line.starts_with("move ") {
            acknowledged.push(line);
        }
        if acknowledged.len() >= 60 {
            child.kill().unwrap(); // SIGKILL, mid-sequence
            break;
        }
    }
    let _ = child.wait();
    assert!(acknowledged.len() >= 60, "the child stopped early");

    let check = common::run(&["check", ws.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let s = Session::open(&ws).unwrap();
    let mut last_move = std::collections::BTreeMap::new();
    for line in &acknowledged {
        let mut parts = line.splitn(3, ' ');
        let (kind, id) = (
            parts.next().unwrap(),
            Uuid::parse_str(parts.next().unwrap()).unwrap(),
        );
        assert!(
            s.plan_feature(id).is_some(),
            "acknowledged edit lost: {line}"
        );
        if kind == "move" {
            last_move.insert(id, parts.next().unwrap().to_string());
        }
    }
    for (id, geometry) in last_move {
        let stored = serde_json::to_string(&linli::io::geojson_out::geometry_json(
            &s.plan_feature(id).unwrap().feature.geometry,
        ))
        .unwrap();
        // A later, unacknowledged move may have landed too; at least the acknowledged one did,
        // so the stored geometry is the acknowledged one or one step further east.
        if stored != geometry {
            let a: serde_json::Value = serde_json::from_str(&geometry).unwrap();
            let b: serde_json::Value = serde_json::from_str(&stored).unwrap();
            let (a, b) = (first_lon(&a["coordinates"]), first_lon(&b["coordinates"]));
            // Each move shifts 0.0001° east: the stored one is the acknowledged one plus n ≥ 1.
            let steps = (b - a) / 0.0001;
            assert!(
                steps > 0.5 && (steps - steps.round()).abs() < 1e-3,
                "{id}: {geometry} vs {stored}"
            );
        }
    }
}

#[test]
fn a_project_from_three_features_is_one_step_and_its_code_follows_its_features() {
    let dir = tempfile::tempdir().unwrap();
    let ws = fresh(dir.path());
    let original = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let features: Vec<Uuid> = s.plan().iter().take(3).map(|f| f.feature.id).collect();
    assert_eq!(features.len(), 3);
    let p = project("PD-2026-T1".into());
    let pid = p.id;
    s.apply(Command::project_from_features(p, &features))
        .unwrap();
    let linked = |s: &Session, code: &str| {
        s.plan()
            .iter()
            .filter(|f| f.project.as_deref() == Some(code))
            .count()
    };
    assert_eq!(linked(&s, "PD-2026-T1"), 3);
    assert_eq!(s.project(pid).unwrap().code, "PD-2026-T1");

    // A new code relinks the features in the same step; the old code no longer exists.
    let mut renamed = s.project(pid).unwrap().clone();
    renamed.code = "PD-2026-T2".into();
    s.apply(ProjectEdit::Update(renamed)).unwrap();
    assert_eq!(linked(&s, "PD-2026-T1"), 0);
    assert_eq!(linked(&s, "PD-2026-T2"), 3);
    assert!(s.check().unwrap().is_empty());

    // A taken code, an empty code and an unknown id are refused, and change nothing.
    let before = common::dump(&ws);
    let taken = s
        .projects()
        .keys()
        .find(|c| *c != "PD-2026-T2")
        .unwrap()
        .clone();
    let mut clash = s.project(pid).unwrap().clone();
    clash.code = taken;
    assert!(s.apply(ProjectEdit::Update(clash)).is_err());
    let mut empty = s.project(pid).unwrap().clone();
    empty.code = " ".into();
    assert!(s.apply(ProjectEdit::Update(empty)).is_err());
    assert!(s.apply(ProjectEdit::Delete(Uuid::new_v4())).is_err());
    assert_eq!(before, common::dump(&ws));

    // Deleting the project unassigns its features, in one step.
    s.apply(ProjectEdit::Delete(pid)).unwrap();
    assert!(s.project(pid).is_none());
    assert_eq!(linked(&s, "PD-2026-T2"), 0);
    assert!(s.check().unwrap().is_empty());

    // Three actions, three steps: undo them all and the workspace is as it was.
    for _ in 0..3 {
        assert!(s.undo().unwrap());
    }
    assert!(!s.can_undo());
    assert_eq!(common::dump(&ws), original);
    assert!(s.project(pid).is_none());
    // And forward again: the project is back with its features, under its last code.
    assert!(s.redo().unwrap());
    assert_eq!(linked(&s, "PD-2026-T1"), 3);
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.project(pid).unwrap().code, "PD-2026-T1");
    assert_eq!(linked(&s, "PD-2026-T1"), 3);
}
