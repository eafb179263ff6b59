//! Design alternatives (方案 A/B/C): choosing one is one undo step that undo reverses exactly;
//! the map's data, exports, statistics and coverage count only the plan unless asked; the
//! records survive the file, a schema-6 file migrates, and GDAL editing another column of a
//! plan feature keeps its alternative.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::model::PlanFeature;
use linli::model::alternative::{Alternative, AlternativeStatus};
use linli::session::ExportFilter;
use linli::session::report::{GroupBy, ProjectFilter};
use linli::session::{Command, Edit, NewFeature, RecordEdit};
use uuid::Uuid;

/// The sample workspace, closed, in `dir`.
fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("浦东 方案.gpkg");
    let session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    session.close().unwrap();
    ws
}

/// A project of the sample with plan features of its own: (its id, its code).
fn project_with_features(session: &Session) -> (Uuid, String) {
    let p = session
        .projects()
        .values()
        .find(|p| !session.project_summary(&p.code).features.is_empty())
        .expect("a project with features");
    (p.id, p.code.clone())
}

/// A pocket garden of `side_deg` degrees a side at (lon, lat), drawn into `alternative`: one
/// command, as the window draws into an alternative.
fn draw_into(session: &mut Session, alternative: Uuid, lon: f64, lat: f64, side_deg: f64) -> Uuid {
    let id = Uuid::new_v4();
    let ring = vec![
        (lon, lat),
        (lon + side_deg, lat),
        (lon + side_deg, lat + side_deg),
        (lon, lat + side_deg),
        (lon, lat),
    ];
    let polygon = geo::Polygon::new(ring.into(), vec![]);
    session
        .apply(Command::Batch(vec![
            Command::Plan(Edit::Add(NewFeature {
                id,
                element: "pocket_garden".into(),
                geometry: geo::Geometry::Polygon(polygon),
                name: "方案花园".into(),
                properties: Default::default(),
                project: None,
            })),
            Command::Plan(Edit::SetAlternative {
                id,
                alternative: Some(alternative),
            }),
        ]))
        .unwrap();
    id
}

/// A project with two candidate alternatives, A with one garden and B with two; returns
/// (project id, code, A, B).
fn two_alternatives(session: &mut Session) -> (Uuid, String, Uuid, Uuid) {
    let (project, code) = project_with_features(session);
    let a = Alternative {
        team: "甲设计事务所".into(),
        cost_wan: Some(80.0),
        ..Alternative::new(project, "方案 A")
    };
    let b = Alternative {
        team: "乙设计工作室".into(),
        cost_wan: Some(120.5),
        ..Alternative::new(project, "方案 B")
    };
    let (a_id, b_id) = (a.id, b.id);
    session.apply(RecordEdit::Add(a)).unwrap();
    session.apply(RecordEdit::Add(b)).unwrap();
    let at = session
        .plan_feature(session.project_summary(&code).features[0])
        .unwrap();
    let c = geo::BoundingRect::bounding_rect(&at.feature.geometry)
        .unwrap()
        .center();
    draw_into(session, a_id, c.x + 0.001, c.y, 0.0005);
    draw_into(session, b_id, c.x - 0.002, c.y, 0.0004);
    draw_into(session, b_id, c.x - 0.002, c.y + 0.001, 0.0004);
    (project, code, a_id, b_id)
}

/// The plan's features and the alternatives, sorted, for "exactly as before".
fn state(session: &Session) -> (Vec<PlanFeature>, Vec<Alternative>) {
    let mut plan: Vec<PlanFeature> = session.plan().to_vec();
    plan.sort_by_key(|f| f.feature.id);
    (plan, session.alternatives().cloned().collect())
}

#[test]
fn choosing_is_one_undo_step_and_undo_restores_the_plan_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let (project, code, a, b) = two_alternatives(&mut session);
    let original = session.project_summary(&code).features.clone();
    assert!(!original.is_empty());
    let before = state(&session);

    session
        .apply(Command::ChooseAlternative {
            project,
            alternative: a,
        })
        .unwrap();
    let status = |s: &Session, id: Uuid| s.alternative(id).unwrap().status;
    assert_eq!(status(&session, a), AlternativeStatus::Chosen);
    assert_eq!(status(&session, b), AlternativeStatus::Archived);
    // The features that were the plan are kept as an archived 原方案.
    let kept = session
        .alternatives_of(project)
        .into_iter()
        .find(|x| x.label == "原方案")
        .expect("the original plan kept as an alternative")
        .clone();
    assert_eq!(kept.status, AlternativeStatus::Archived);
    let mut in_kept: Vec<Uuid> = session
        .features_of_alternative(kept.id)
        .iter()
        .map(|f| f.feature.id)
        .collect();
    in_kept.sort();
    let mut original_sorted = original.clone();
    original_sorted.sort();
    assert_eq!(in_kept, original_sorted);
    // The project's plan is now A's one garden.
    let now = session.project_summary(&code).features.clone();
    assert_eq!(now.len(), 1);
    assert_eq!(session.plan_feature(now[0]).unwrap().alternative, Some(a));
    let after = state(&session);

    // One undo step restores everything: features, their alternative, statuses.
    assert!(session.undo().unwrap());
    assert_eq!(state(&session), before);
    assert_eq!(session.project_summary(&code).features, original);
    assert!(session.alternative(kept.id).is_none());
    // Redo brings the choice back, and the file holds what memory holds.
    assert!(session.redo().unwrap());
    assert_eq!(state(&session), after);
    session.close().unwrap();
    let reopened = Session::open(&ws).unwrap();
    assert_eq!(state(&reopened), after);
}

#[test]
fn statistics_exports_and_coverage_count_only_the_plan_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let total_before = session.plan().len();
    let (_, code, a, b) = two_alternatives(&mut session);
    assert_eq!(session.plan().len(), total_before + 3);
    let counted = session.counted_plan(false).count();
    assert_eq!(counted, total_before, "candidates are not the plan");
    assert_eq!(session.counted_plan(true).count(), total_before + 3);
    assert_eq!(
        session.alternatives_outside_plan(),
        [a, b].into_iter().collect()
    );

    // Statistics and the projects table.
    let features_of = |s: &Session, alternatives: bool| {
        let filter = ProjectFilter {
            alternatives,
            ..Default::default()
        };
        s.analysis()
            .project_table(&filter)
            .into_iter()
            .find(|r| r.project.code == code)
            .unwrap()
            .summary
            .features
            .len()
    };
    let plan_only = features_of(&session, false);
    assert_eq!(features_of(&session, true), plan_only + 3);
    let stats = |s: &Session, alternatives: bool| -> usize {
        let a = s.analysis();
        let filter = ProjectFilter {
            alternatives,
            ..Default::default()
        };
        let rows = a.project_table(&filter);
        a.statistics(&rows, GroupBy::Year)
            .groups
            .iter()
            .map(|g| g.features)
            .sum()
    };
    assert_eq!(stats(&session, true), stats(&session, false) + 3);

    // GeoJSON.
    let export = |s: &Session, alternatives: bool| {
        s.export_geojson(&ExportFilter {
            alternatives,
            ..Default::default()
        })
        .unwrap()
    };
    let (text, n) = export(&session, false);
    assert_eq!(n, total_before);
    assert!(!text.contains(&a.to_string()));
    let (text, n) = export(&session, true);
    assert_eq!(n, total_before + 3);
    assert!(text.contains(&format!("\"alternative\":\"{a}\"")));

    // Choosing A puts its garden in the plan and B's stay out.
    let project = session.projects()[&code].id;
    session
        .apply(Command::ChooseAlternative {
            project,
            alternative: a,
        })
        .unwrap();
    let (_, n) = export(&session, false);
    let original = session
        .alternatives_of(project)
        .into_iter()
        .find(|x| x.label == "原方案")
        .map(|x| session.features_of_alternative(x.id).len())
        .unwrap();
    assert_eq!(n, total_before + 1 - original);
    session.close().unwrap();

    // The command line: exports and statistics, with and without --alternatives.
    let out = dir.path().join("plan.geojson");
    let all = dir.path().join("all.geojson");
    let ws_s = ws.to_str().unwrap();
    common::stdout(&[
        "export",
        ws_s,
        "--format",
        "geojson",
        "-o",
        out.to_str().unwrap(),
    ]);
    common::stdout(&[
        "export",
        ws_s,
        "--format",
        "geojson",
        "-o",
        all.to_str().unwrap(),
        "--alternatives",
    ]);
    let count = |p: &Path| {
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        v["features"].as_array().unwrap().len()
    };
    assert_eq!(count(&out), n);
    assert_eq!(count(&all), total_before + 3);
    let csv_plan = dir.path().join("p.csv");
    let csv_all = dir.path().join("a.csv");
    for (csv, flag) in [(&csv_plan, None), (&csv_all, Some("--alternatives"))] {
        let mut args = vec!["stats", ws_s, "--by", "year", "--format", "csv"];
        args.extend(["-o", csv.to_str().unwrap()]);
        args.extend(flag);
        common::stdout(&args);
    }
    assert_ne!(
        std::fs::read(&csv_plan).unwrap(),
        std::fs::read(&csv_all).unwrap(),
        "the statistics differ by the alternatives' features"
    );
}

#[test]
fn each_alternatives_figures_area_budget_and_coverage_added() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let (project, _, a, b) = two_alternatives(&mut session);
    let areas = session
        .layers()
        .iter()
        .position(|l| l.role == linli::model::LayerRole::Communities)
        .unwrap();
    let spec = linli::session::CoverageSpec {
        areas,
        elements: vec!["pocket_garden".into()],
        facility_layers: vec![],
        distance_m: 300.0,
        model: linli::analysis::coverage::Model::Straight,
        network: None,
        weight: None,
        alternatives: false,
    };
    let figures = session
        .analysis()
        .alternative_figures(project, Some(&spec))
        .unwrap();
    assert_eq!(figures.len(), 2);
    let (fa, fb) = (&figures[0], &figures[1]);
    assert_eq!((fa.alternative.id, fb.alternative.id), (a, b));
    assert_eq!((fa.features, fb.features), (1, 2));
    assert_eq!(fa.alternative.cost_wan, Some(80.0));
    // Areas on the ellipsoid: A's one square of 0.0005° against B's two of 0.0004°.
    let expect_a =
        linli::analysis::measure::area_m2(&session.features_of_alternative(a)[0].feature.geometry);
    assert!((fa.area_m2 - expect_a).abs() < 1e-6, "{fa:?}");
    assert!(fa.area_m2 > 1000.0 && fb.area_m2 > 1000.0);
    // Each adds coverage against the same plan; a garden further from others adds more.
    let (ca, cb) = (fa.coverage_added_m2.unwrap(), fb.coverage_added_m2.unwrap());
    assert!(ca >= 0.0 && cb >= 0.0);
    assert!(ca + cb > 0.0, "{ca} {cb}");
    // Without a coverage spec, no coverage figure.
    let plain = session
        .analysis()
        .alternative_figures(project, None)
        .unwrap();
    assert!(plain.iter().all(|f| f.coverage_added_m2.is_none()));
}

#[test]
fn alternatives_survive_the_file_and_deleting_one_takes_its_design_along_undoably() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let (project, _, a, b) = two_alternatives(&mut session);
    let before = state(&session);
    session.close().unwrap();
    let mut session = Session::open(&ws).unwrap();
    assert_eq!(state(&session), before);
    assert_eq!(session.alternatives_of(project).len(), 2);
    // Deleting B deletes its two gardens in the same step; undo brings all back.
    session.apply(RecordEdit::<Alternative>::Delete(b)).unwrap();
    assert!(session.features_of_alternative(b).is_empty());
    assert_eq!(session.plan().len(), before.0.len() - 2);
    session.undo().unwrap();
    assert_eq!(state(&session), before);
    // An edit keeps the status: only choosing moves it.
    let mut edited = session.alternative(a).unwrap().clone();
    edited.status = AlternativeStatus::Chosen;
    edited.description = "保留大树，增设座椅".into();
    session.apply(RecordEdit::Update(edited)).unwrap();
    let now = session.alternative(a).unwrap();
    assert_eq!(now.status, AlternativeStatus::Candidate);
    assert_eq!(now.description, "保留大树，增设座椅");
    // Bad input is refused with a clear problem.
    let err = session
        .apply(Command::ChooseAlternative {
            project,
            alternative: Uuid::new_v4(),
        })
        .unwrap_err();
    assert!(matches!(
        err.to_problem(),
        linli::error::Problem::NoAlternativeWithId { .. }
    ));
    let err = session
        .apply(RecordEdit::Add(Alternative::new(project, "  ")))
        .unwrap_err();
    assert_eq!(
        err.to_problem(),
        linli::error::Problem::AlternativeLabelEmpty
    );
}

/// Each app table's columns and indexes, for "a migrated file is a fresh one".
fn shape(ws: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut out = Vec::new();
    for t in [
        "plan_points",
        "plan_lines",
        "plan_polygons",
        "linli_alternatives",
    ] {
        let mut stmt = conn.prepare(&format!("PRAGMA table_info({t})")).unwrap();
        let cols = stmt
            .query_map([], |r| {
                Ok(format!(
                    "{t}.{}:{}:{}",
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?
                ))
            })
            .unwrap();
        out.extend(cols.map(Result::unwrap));
        let mut stmt = conn.prepare(&format!("PRAGMA index_list({t})")).unwrap();
        let idx = stmt
            .query_map([], |r| Ok(format!("{t} index {}", r.get::<_, String>(1)?)))
            .unwrap();
        out.extend(idx.map(Result::unwrap));
    }
    for sql in [
        "SELECT table_name || ' ' || data_type FROM gpkg_contents WHERE table_name = 'linli_alternatives'",
        "SELECT value FROM gpkg_data_column_constraints WHERE constraint_name = 'linli_alternative_status' ORDER BY value",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out.sort();
    out
}

#[test]
fn a_schema_6_workspace_migrates_to_the_fresh_tables_keeping_every_feature_in_the_plan() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let fresh = shape(&ws);
    assert!(
        fresh.iter().any(|s| s == "linli_alternatives attributes"),
        "{fresh:?}"
    );
    let plan_before = {
        let s = Session::open(&ws).unwrap();
        let n = s.plan().len();
        s.close().unwrap();
        n
    };
    common::back_to_schema_6(&ws);
    let session = Session::open(&ws).unwrap();
    let migrated = session.migrated().expect("migrated");
    assert_eq!(migrated.from, 6);
    assert_eq!(session.plan().len(), plan_before);
    assert_eq!(session.counted_plan(false).count(), plan_before);
    assert!(session.plan().iter().all(|f| f.alternative.is_none()));
    assert_eq!(
        session.check().unwrap(),
        Vec::<linli::error::Problem>::new()
    );
    session.close().unwrap();
    assert_eq!(
        shape(&ws),
        fresh,
        "a migrated file has the fresh file's tables"
    );
    if let Some(python) = common::gpkg_validator_python() {
        let report = common::validate_gpkg(python, &ws);
        assert!(report.trim().is_empty(), "validate_gpkg: {report}");
    } else {
        println!("skipped GDAL's validator: python3 with osgeo is not installed");
    }
}

#[test]
fn gdal_editing_another_column_keeps_a_features_alternative() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let (_, _, a, _) = two_alternatives(&mut session);
    let id = session.features_of_alternative(a)[0].feature.id;
    session.close().unwrap();
    // QGIS saves an edited feature through GDAL's OGR: the feature read whole, one field
    // changed, the feature written back.
    let script = format!(
        "from osgeo import ogr\n\
         ds = ogr.Open({ws:?}, update=1)\n\
         lyr = ds.GetLayerByName('plan_polygons')\n\
         lyr.SetAttributeFilter(\"uuid = '{id}'\")\n\
         f = lyr.GetNextFeature()\n\
         f.SetField('name', 'QGIS 改名')\n\
         assert lyr.SetFeature(f) == 0\n\
         ds = None\n",
        ws = ws.to_str().unwrap()
    );
    let ran = std::process::Command::new("/usr/bin/python3")
        .args(["-c", &script])
        .output();
    let Ok(out) = ran else {
        println!("skipped: /usr/bin/python3 is not installed");
        return;
    };
    if String::from_utf8_lossy(&out.stderr).contains("No module named 'osgeo'") {
        println!("skipped: python3-gdal (osgeo) is not installed");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let session = Session::open(&ws).unwrap();
    let f = session.plan_feature(id).unwrap();
    assert_eq!(f.feature.name, "QGIS 改名");
    assert_eq!(f.alternative, Some(a), "the alternative stays");
    assert!(!session.in_plan(f));
}
