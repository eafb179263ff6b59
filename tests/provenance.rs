//! Records' provenance: who made each record and who last changed it, when and in which
//! workspace. Stamped by the change itself (undo and redo restore it exactly), carried by a
//! merge from the workspace whose change it takes (never a conflict), handed out with the
//! records, shown in the exports, and added to an older workspace by the schema 10 → 11 step.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::i18n::Lang;
use linli::io::csv::Cell;
use linli::model::Project;
use linli::model::change::RecordKind;
use linli::model::provenance::Provenance;
use linli::session::ProjectEdit;
use linli::session::export::ExportFilter;
use uuid::Uuid;

/// The sample workspace (the district), closed, in `dir`.
fn district(dir: &Path) -> PathBuf {
    let ws = dir.join("浦东新区.gpkg");
    let session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    session.close().unwrap();
    ws
}

/// A new project like the workspace's first, with its own id and code.
fn new_project(s: &Session, code: &str) -> Project {
    let mut p = s.projects().values().next().unwrap().clone();
    p.id = Uuid::new_v4();
    p.code = code.into();
    p.name = "牡丹社区口袋花园".into();
    p.history.clear();
    p
}

/// The file's provenance rows, as text, to compare exactly.
fn rows(ws: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT uuid, kind, created_at, created_by, created_in, created_in_name,
                    changed_at, changed_by, changed_in, changed_in_name
             FROM linli_provenance ORDER BY uuid",
        )
        .unwrap();
    stmt.query_map([], |r| {
        (0..10)
            .map(|i| r.get::<_, Option<String>>(i).map(Option::unwrap_or_default))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| v.join("|"))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[test]
fn an_edit_stamps_its_record_and_undo_and_redo_restore_the_stamps_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let mut s = Session::open(&ws).unwrap();
    s.set_planner("王规划").unwrap();
    let identity = s.identity().unwrap();
    let p = new_project(&s, "PD-2026-901");
    s.apply(ProjectEdit::Add(p.clone())).unwrap();
    let made = s.provenance(p.id).unwrap().expect("stamped");
    assert_eq!(made.kind, RecordKind::Project);
    assert_eq!(made.created.by, "王规划");
    assert_eq!(made.created.workspace, identity.id.to_string());
    assert_eq!(made.created.workspace_name, "浦东新区");
    assert!(made.created.at.ends_with('Z'), "{}", made.created.at);
    assert_eq!(made.changed, made.created);
    let after_add = rows(&ws);

    s.set_planner("李规划").unwrap();
    let mut changed = s.project(p.id).unwrap().clone();
    changed.budget_wan = Some(35.0);
    s.apply(ProjectEdit::Update(changed)).unwrap();
    let now = s.provenance(p.id).unwrap().unwrap();
    assert_eq!(now.created, made.created, "the creation stays");
    assert_eq!(now.changed.by, "李规划");
    let after_update = rows(&ws);
    assert_ne!(after_update, after_add);

    // Undo puts the stamp back as it was, byte for byte; redo puts the change's again.
    assert!(s.undo().unwrap());
    assert_eq!(rows(&ws), after_add);
    assert!(s.redo().unwrap());
    assert_eq!(rows(&ws), after_update);
    // Undoing the addition takes the stamp with the record.
    assert!(s.undo().unwrap());
    assert!(s.undo().unwrap());
    assert!(s.provenance(p.id).unwrap().is_none());
    assert!(s.redo().unwrap());
    assert_eq!(s.provenance(p.id).unwrap().unwrap(), made);
    // Deleting takes it too.
    s.apply(ProjectEdit::Delete(p.id)).unwrap();
    assert!(s.provenance(p.id).unwrap().is_none());
    s.close().unwrap();
}

#[test]
fn a_merge_carries_the_streets_stamps_and_never_conflicts_over_them() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let mut d = Session::open(&ws).unwrap();
    d.set_planner("区规划科").unwrap();
    let p = new_project(&d, "PD-2026-902");
    d.apply(ProjectEdit::Add(p.clone())).unwrap();
    let made = d.provenance(p.id).unwrap().unwrap();
    // The project goes with a street: a feature of that street is linked to it.
    let (feature, street) = d
        .plan()
        .iter()
        .find_map(|f| f.street.clone().map(|s| (f.feature.id, s)))
        .unwrap();
    d.apply(linli::session::Edit::SetProject {
        id: feature,
        project: Some(p.code.clone()),
    })
    .unwrap();
    let out = dir.path().join(format!("{street}.gpkg"));
    d.package_street(&street, &out).unwrap();
    d.close().unwrap();

    // Handed out with the record: the street knows who made it.
    let mut s = Session::open(&out).unwrap();
    assert_eq!(s.provenance(p.id).unwrap().unwrap(), made);
    s.set_planner("街道李").unwrap();
    let mut theirs = s.project(p.id).unwrap().clone();
    theirs.budget_wan = Some(12.5);
    s.apply(ProjectEdit::Update(theirs)).unwrap();
    let street_stamp = s.provenance(p.id).unwrap().unwrap();
    assert_eq!(street_stamp.changed.workspace_name, street);
    s.close().unwrap();

    // The district changes another field of it before the street's change comes back.
    let mut d = Session::open(&ws).unwrap();
    let mut ours = d.project(p.id).unwrap().clone();
    ours.name = "牡丹社区口袋花园（二期）".into();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    d.apply(ProjectEdit::Update(ours)).unwrap();
    let district_stamp = d.provenance(p.id).unwrap().unwrap();
    let report = d.merge_file(&out, None).unwrap();
    assert_eq!(report.conflicts, 0, "{report:?}");
    assert!(d.merge_conflicts().is_empty());
    let merged = d.project(p.id).unwrap();
    assert_eq!(merged.budget_wan, Some(12.5));
    assert_eq!(merged.name, "牡丹社区口袋花园（二期）");
    // The later of the two changes is the last; the creation is the district's.
    let now = d.provenance(p.id).unwrap().unwrap();
    assert_eq!(now.created, made.created);
    assert_eq!(now.changed, district_stamp.changed);
    // Undoing the merge restores the district's stamp.
    d.undo().unwrap();
    assert_eq!(d.provenance(p.id).unwrap().unwrap(), district_stamp);
    d.redo().unwrap();
    d.close().unwrap();

    // A change only the street made comes with the street's stamp.
    let mut s = Session::open(&out).unwrap();
    let mut theirs = s.project(p.id).unwrap().clone();
    theirs.actual_wan = Some(3.0);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    s.apply(ProjectEdit::Update(theirs)).unwrap();
    let street_stamp = s.provenance(p.id).unwrap().unwrap();
    s.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    d.merge_file(&out, None).unwrap();
    let now = d.provenance(p.id).unwrap().unwrap();
    assert_eq!(now.changed, street_stamp.changed);
    assert_eq!(now.changed.by, "街道李");
    assert_eq!(now.created, made.created);
    // Merging the same file again changes nothing, provenance included.
    let before = rows(&ws);
    let again = d.merge_file(&out, None).unwrap();
    assert!(again.is_nothing(), "{again:?}");
    d.close().unwrap();
    assert_eq!(rows(&ws), before);
}

#[test]
fn the_project_table_and_the_geopackage_export_show_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let mut s = Session::open(&ws).unwrap();
    s.set_planner("王规划").unwrap();
    let p = new_project(&s, "PD-2026-903");
    s.apply(ProjectEdit::Add(p.clone())).unwrap();
    let feature = s.plan()[0].feature.id;
    s.apply(linli::session::Edit::SetName {
        id: feature,
        name: "东方路口袋花园".into(),
    })
    .unwrap();

    let (table, _) = s
        .export_project_table(&ExportFilter::default(), Lang::Zh)
        .unwrap();
    let col = |name: &str| table.header.iter().position(|h| *h == name).unwrap();
    let row = table
        .rows
        .iter()
        .find(|r| r[0] == Cell::text("PD-2026-903"))
        .expect("the new project");
    assert_eq!(row[col("created_by")], Cell::text("王规划"));
    assert_eq!(row[col("created_in")], Cell::text("浦东新区"));
    assert_eq!(row[col("changed_by")], Cell::text("王规划"));
    // The sample's own projects were made in it too.
    assert!(
        table
            .rows
            .iter()
            .all(|r| r[col("created_in")] == Cell::text("浦东新区"))
    );

    let (bytes, _) = s.export_gpkg(&ExportFilter::default()).unwrap();
    let out = dir.path().join("成果.gpkg");
    std::fs::write(&out, bytes).unwrap();
    let conn = rusqlite::Connection::open(&out).unwrap();
    let by: String = ["plan_points", "plan_lines", "plan_polygons"]
        .iter()
        .find_map(|t| {
            conn.query_row(
                &format!("SELECT changed_by FROM {t} WHERE uuid = ?1"),
                [feature.to_string()],
                |r| r.get(0),
            )
            .ok()
        })
        .expect("the renamed feature");
    assert_eq!(by, "王规划");
    let made_by: String = conn
        .query_row(
            "SELECT created_by FROM projects WHERE uuid = ?1",
            [p.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(made_by, "王规划");
    s.close().unwrap();
}

#[test]
fn a_schema_10_workspace_gets_provenance_and_its_old_records_show_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    common::back_to_schema_10(&ws);
    let mut s = Session::open(&ws).unwrap();
    assert_eq!(s.migrated().expect("migrated").from, 10);
    assert!(
        s.provenance_of_kind(RecordKind::Project)
            .unwrap()
            .is_empty()
    );
    let old = s.projects().values().next().unwrap().clone();
    let mut changed = old.clone();
    changed.budget_wan = Some(99.0);
    s.apply(ProjectEdit::Update(changed)).unwrap();
    let p: Provenance = s.provenance(old.id).unwrap().unwrap();
    assert!(p.created.is_unknown(), "{p:?}");
    assert_eq!(p.changed.workspace_name, "浦东新区");
    assert_eq!(s.check().unwrap(), Vec::<linli::error::Problem>::new());
    s.close().unwrap();
}

#[test]
fn imported_plan_features_and_their_new_projects_are_stamped_by_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let s = Session::open(&ws).unwrap();
    let (geojson, n) = s.export_geojson(&ExportFilter::default()).unwrap();
    s.close().unwrap();
    let file = dir.path().join("规划.geojson");
    std::fs::write(&file, geojson).unwrap();
    let other = dir.path().join("洋泾街道.gpkg");
    let mut o = Session::create(&other, &linli::model::catalog::Catalog::bundled()).unwrap();
    o.set_planner("街道李").unwrap();
    let request = linli::session::ImportRequest {
        layer: None,
        role: linli::model::LayerRole::Plan,
        name_field: None,
        ..Default::default()
    };
    o.import_file(&file, &request, &mut |_| {}).unwrap();
    let plan = o.provenance_of_kind(RecordKind::Plan).unwrap();
    assert_eq!(plan.len(), n);
    assert!(plan.values().all(|p| p.created.by == "街道李"
        && p.created.workspace_name == "洋泾街道"
        && p.changed == p.created));
    let projects = o.provenance_of_kind(RecordKind::Project).unwrap();
    assert_eq!(projects.len(), o.projects().len());
    o.close().unwrap();
}

#[test]
fn a_street_file_still_at_schema_10_merges_into_a_district_at_schema_11() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let mut d = Session::open(&ws).unwrap();
    let street = d.plan().iter().find_map(|f| f.street.clone()).unwrap();
    let out = dir.path().join("街道.gpkg");
    d.package_street(&street, &out).unwrap();
    d.close().unwrap();
    // The street's file as yesterday's Linli wrote it, and a change made in it.
    let mut s = Session::open(&out).unwrap();
    let mut p = s.projects().values().next().unwrap().clone();
    p.budget_wan = Some(77.0);
    s.apply(ProjectEdit::Update(p.clone())).unwrap();
    s.close().unwrap();
    common::back_to_schema_10(&out);
    let mut d = Session::open(&ws).unwrap();
    let report = d.merge_file(&out, None).unwrap();
    assert_eq!(report.updated, 1, "{report:?}");
    assert_eq!(d.project(p.id).unwrap().budget_wan, Some(77.0));
    d.close().unwrap();
    // A workspace that never knew it joins it (its peers are read with no high-water mark).
    let other = dir.path().join("自建.gpkg");
    let mut o = Session::create(&other, &linli::model::catalog::Catalog::bundled()).unwrap();
    let joined = o.merge_file(&out, None).unwrap();
    assert!(joined.joined && joined.inserted > 0, "{joined:?}");
    o.close().unwrap();
}
