//! The district's file: a street workspace handed out (`linli package`), edited on both
//! sides, merged back record by record and field by field against the base; each rule of the
//! merge on real workspaces, conflicts kept as data and resolved as changesets, a round trip
//! district → street → district → street that converges, and a copy edited by QGIS.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::model::sync::{PeerRole, WHOLE_RECORD};
use linli::session::sync::Resolution;
use linli::session::{Edit, NewFeature, ProjectEdit};
use uuid::Uuid;

/// The sample workspace (the district), closed, in `dir`.
fn district(dir: &Path) -> PathBuf {
    let ws = dir.join("浦东新区.gpkg");
    let session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    session.close().unwrap();
    ws
}

/// The street most of the district's plan lies in.
fn busiest_street(session: &Session) -> String {
    let mut counts = std::collections::BTreeMap::<String, usize>::new();
    for f in session.plan() {
        if let Some(s) = &f.street {
            *counts.entry(s.clone()).or_default() += 1;
        }
    }
    counts.into_iter().max_by_key(|(_, n)| *n).unwrap().0
}

/// A district and one street handed out from it: (district, street workspace, street name).
fn handed_out(dir: &Path) -> (PathBuf, PathBuf, String) {
    let ws = district(dir);
    let mut d = Session::open(&ws).unwrap();
    let street = busiest_street(&d);
    let out = dir.join(format!("{street}.gpkg"));
    let report = d.package_street(&street, &out).unwrap();
    assert!(report.features > 0 && report.projects > 0, "{report:?}");
    d.close().unwrap();
    (ws, out, street)
}

/// A plan feature of the street whose project is set, and its project's code.
fn feature_with_project(s: &Session) -> (Uuid, String) {
    s.plan()
        .iter()
        .find_map(|f| f.project.clone().map(|p| (f.feature.id, p)))
        .unwrap()
}

fn rename(id: Uuid, name: &str) -> Edit {
    Edit::SetName {
        id,
        name: name.into(),
    }
}

fn merge(target: &Path, source: &Path) -> linli::session::sync::MergeReport {
    let mut s = Session::open(target).unwrap();
    let report = s.merge_file(source, None).unwrap();
    s.close().unwrap();
    report
}

use common::travelling_records as records;

#[test]
fn a_street_workspace_holds_its_street_and_both_files_know_each_other() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, out, street) = handed_out(dir.path());
    let d = Session::open_read_only(&ws).unwrap();
    let s = Session::open_read_only(&out).unwrap();
    // Every feature of the street is there, with its project.
    let mine: Vec<Uuid> = d
        .plan()
        .iter()
        .filter(|f| f.street.as_deref() == Some(street.as_str()))
        .map(|f| f.feature.id)
        .collect();
    for id in &mine {
        assert!(s.plan_feature(*id).is_some(), "feature {id} handed out");
    }
    assert!(s.plan().len() < d.plan().len(), "only the street's");
    for f in s.plan() {
        if let Some(code) = &f.project {
            assert!(
                s.projects().contains_key(code),
                "project {code} goes with it"
            );
        }
    }
    // The boundaries are there: street and community are derived the same way.
    assert_eq!(s.street_names(), d.street_names());
    for f in s.plan() {
        let there = d.plan_feature(f.feature.id).unwrap();
        assert_eq!((&f.street, &f.community), (&there.street, &there.community));
    }
    // Identities and peers, both ways.
    let (di, si) = (d.identity().unwrap(), s.identity().unwrap());
    assert_ne!(di.id, si.id);
    assert_eq!(si.name, street);
    let dp = d.peers().unwrap();
    assert_eq!((dp[0].id, dp[0].role), (si.id, PeerRole::Street));
    let sp = s.peers().unwrap();
    assert_eq!((sp[0].id, sp[0].role), (di.id, PeerRole::District));
    assert_eq!(sp[0].street, street);
    // Merging it back untouched changes nothing, byte for byte in every table.
    drop((d, s));
    let before = common::dump(&ws);
    let report = merge(&ws, &out);
    assert!(report.is_nothing(), "{report:?}");
    assert_eq!(common::dump(&ws), before);
    // And the other way.
    let before = common::dump(&out);
    assert!(merge(&out, &ws).is_nothing());
    assert_eq!(common::dump(&out), before);
}

#[test]
fn different_fields_of_one_record_changed_on_the_two_sides_both_stay() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, out, _) = handed_out(dir.path());
    let mut s = Session::open(&out).unwrap();
    let (id, _) = feature_with_project(&s);
    s.apply(rename(id, "街道改的名字")).unwrap();
    s.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    d.apply(Edit::SetProject { id, project: None }).unwrap();
    d.close().unwrap();
    let report = merge(&ws, &out);
    assert_eq!((report.updated, report.conflicts), (1, 0), "{report:?}");
    let d = Session::open_read_only(&ws).unwrap();
    let f = d.plan_feature(id).unwrap();
    assert_eq!(f.feature.name, "街道改的名字");
    assert_eq!(f.project, None, "the district's change stays");
}

#[test]
fn the_same_field_changed_differently_is_a_conflict_kept_as_data_then_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, out, street) = handed_out(dir.path());
    let mut s = Session::open(&out).unwrap();
    let project = s.projects().values().next().unwrap().clone();
    let mut p = project.clone();
    p.name = "街道的项目名".into();
    s.apply(ProjectEdit::Update(p)).unwrap();
    s.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    let mut p = d.project(project.id).unwrap().clone();
    p.name = "区里的项目名".into();
    d.apply(ProjectEdit::Update(p)).unwrap();
    let report = d.merge_file(&out, None).unwrap();
    assert_eq!(report.conflicts, 1, "{report:?}");
    // Nothing overwritten; the conflict names the record, the field, the three values and
    // the street.
    assert_eq!(d.project(project.id).unwrap().name, "区里的项目名");
    let c = d.merge_conflicts()[0].clone();
    assert_eq!(c.field, "name");
    assert_eq!(c.peer_name, street);
    assert_eq!(c.base, serde_json::json!(project.name));
    assert_eq!(c.ours, serde_json::json!("区里的项目名"));
    assert_eq!(c.theirs, serde_json::json!("街道的项目名"));
    let tsv = d.conflicts_tsv(false).join("\n");
    assert!(
        tsv.contains("区里的项目名") && tsv.contains("街道的项目名"),
        "{tsv}"
    );
    // The merge was one undo step.
    d.undo().unwrap();
    assert!(d.merge_conflicts().is_empty());
    d.redo().unwrap();
    assert_eq!(d.merge_conflicts().len(), 1);
    // Merging again finds the same conflict, adds nothing.
    let before = common::dump(&ws);
    assert!(d.merge_file(&out, None).unwrap().is_nothing());
    assert_eq!(common::dump(&ws), before);
    // The street agreeing later (taking the district's value) resolves it by itself.
    {
        let saved = std::fs::read(&out).unwrap();
        let mut s = Session::open(&out).unwrap();
        let mut p = s.project(project.id).unwrap().clone();
        p.name = "区里的项目名".into();
        s.apply(ProjectEdit::Update(p)).unwrap();
        s.close().unwrap();
        d.merge_file(&out, None).unwrap();
        assert!(
            !d.merge_conflict(c.id).unwrap().is_open(),
            "agreed: resolved"
        );
        d.undo().unwrap();
        assert!(d.merge_conflict(c.id).unwrap().is_open());
        // The street's file as it was before it agreed.
        std::fs::write(&out, saved).unwrap();
    }
    // Resolved by taking the street's value: a changeset, one undo step.
    d.resolve_conflict(c.id, Resolution::Theirs).unwrap();
    assert_eq!(d.project(project.id).unwrap().name, "街道的项目名");
    assert!(!d.merge_conflict(c.id).unwrap().is_open());
    d.undo().unwrap();
    assert_eq!(d.project(project.id).unwrap().name, "区里的项目名");
    assert!(d.merge_conflict(c.id).unwrap().is_open());
    // Resolved by the district's own value: the street takes it at its next merge.
    d.resolve_conflict(c.id, Resolution::Ours).unwrap();
    d.close().unwrap();
    let report = merge(&out, &ws);
    assert_eq!((report.updated, report.conflicts), (1, 0), "{report:?}");
    let s = Session::open_read_only(&out).unwrap();
    assert_eq!(s.project(project.id).unwrap().name, "区里的项目名");
    drop(s);
    // Converged: both files hold the same records of the street.
    assert!(merge(&ws, &out).is_nothing());
    assert!(merge(&out, &ws).is_nothing());
    let street_records = records(&out);
    let district_records = records(&ws);
    for r in &street_records {
        assert!(district_records.contains(r), "{r} differs");
    }
}

#[test]
fn inserts_on_both_sides_never_collide_and_deletes_never_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, out, _) = handed_out(dir.path());
    let add = |s: &mut Session, name: &str| {
        let f = s.plan()[0].clone();
        let id = Uuid::new_v4();
        s.apply(Edit::Add(NewFeature {
            id,
            element: f.element.clone(),
            geometry: f.feature.geometry.clone(),
            name: name.into(),
            properties: Default::default(),
            project: None,
        }))
        .unwrap();
        id
    };
    let mut s = Session::open(&out).unwrap();
    let new_there = add(&mut s, "街道新增");
    let gone_there = s.plan()[1].feature.id;
    s.apply(Edit::Delete(gone_there)).unwrap();
    s.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    let new_here = add(&mut d, "区里新增");
    // The district deletes a feature the street did not touch.
    let handed: Vec<Uuid> = Session::open_read_only(&out)
        .unwrap()
        .plan()
        .iter()
        .map(|f| f.feature.id)
        .collect();
    let gone_here = *handed
        .iter()
        .find(|id| **id != gone_there && **id != new_there && d.plan_feature(**id).is_some())
        .unwrap();
    d.apply(Edit::Delete(gone_here)).unwrap();
    let report = d.merge_file(&out, None).unwrap();
    assert_eq!(
        (report.inserted, report.deleted, report.conflicts),
        (1, 1, 0),
        "{report:?}"
    );
    assert!(d.plan_feature(new_there).is_some() && d.plan_feature(new_here).is_some());
    assert!(
        d.plan_feature(gone_there).is_none(),
        "the street's delete is carried"
    );
    assert!(
        d.plan_feature(gone_here).is_none(),
        "a deleted feature never comes back"
    );
    d.close().unwrap();
    // The street takes the district's changes: its delete, and nothing of other streets.
    let report = merge(&out, &ws);
    assert_eq!(report.deleted, 1, "{report:?}");
    let s = Session::open_read_only(&out).unwrap();
    assert!(s.plan_feature(gone_here).is_none());
    assert!(s.plan_feature(new_here).is_some() == d_has_in_street(&ws, new_here, &s));
}

/// True when the district's feature lies in the street workspace's street.
fn d_has_in_street(ws: &Path, id: Uuid, street: &Session) -> bool {
    let d = Session::open_read_only(ws).unwrap();
    let name = street.identity().unwrap().name;
    d.plan_feature(id).unwrap().street.as_deref() == Some(name.as_str())
}

#[test]
fn an_update_against_a_delete_is_a_conflict_never_a_silent_drop() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, out, _) = handed_out(dir.path());
    let mut s = Session::open(&out).unwrap();
    let (id, _) = feature_with_project(&s);
    s.apply(rename(id, "街道还在用")).unwrap();
    s.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    d.apply(Edit::Delete(id)).unwrap();
    let report = d.merge_file(&out, None).unwrap();
    assert_eq!((report.conflicts, report.inserted), (1, 0), "{report:?}");
    let c = d.merge_conflicts()[0].clone();
    assert_eq!(c.field, WHOLE_RECORD);
    assert!(c.ours.is_null());
    assert_eq!(c.theirs["name"], serde_json::json!("街道还在用"));
    assert!(
        d.plan_feature(id).is_none(),
        "nothing overwritten until resolved"
    );
    // Taking the street's record brings it back as the street has it.
    d.resolve_conflict(c.id, Resolution::Theirs).unwrap();
    assert_eq!(d.plan_feature(id).unwrap().feature.name, "街道还在用");
    d.close().unwrap();
    // The other way: the street deleted what the district changed.
    let mut s = Session::open(&out).unwrap();
    let other = s
        .plan()
        .iter()
        .map(|f| f.feature.id)
        .find(|f| *f != id)
        .unwrap();
    s.apply(Edit::Delete(other)).unwrap();
    s.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    d.apply(rename(other, "区里改了")).unwrap();
    let report = d.merge_file(&out, None).unwrap();
    assert_eq!((report.conflicts, report.deleted), (1, 0), "{report:?}");
    assert_eq!(d.plan_feature(other).unwrap().feature.name, "区里改了");
}

#[test]
fn a_workspace_can_join_later_and_merging_a_copy_of_oneself_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    // A copy made by hand has the district's id: refused, the file unchanged.
    let copy = dir.path().join("copy.gpkg");
    std::fs::copy(&ws, &copy).unwrap();
    let before = common::dump(&ws);
    let mut d = Session::open(&ws).unwrap();
    let e = d.merge_file(&copy, None).unwrap_err();
    assert!(e.to_string().contains("copy of it"), "{e}");
    assert!(d.merge_file(&dir.path().join("none.gpkg"), None).is_err());
    d.close().unwrap();
    assert_eq!(common::dump(&ws), before);
    // Another planner's own workspace joins: its records come in, its state is the base.
    let other = dir.path().join("金杨新村街道.gpkg");
    let mut o = Session::create(&other, &linli::model::catalog::Catalog::bundled()).unwrap();
    let id = Uuid::new_v4();
    o.apply(Edit::Add(NewFeature {
        id,
        element: "pocket_garden".into(),
        geometry: geo::Geometry::Point(geo::Point::new(121.53, 31.25)),
        name: "自建口袋花园".into(),
        properties: Default::default(),
        project: None,
    }))
    .unwrap_or_else(|_| {
        // A point may not be allowed for this element: a polygon then.
        o.apply(Edit::Add(NewFeature {
            id,
            element: "pocket_garden".into(),
            geometry: geo::Geometry::Polygon(geo::Polygon::new(
                vec![
                    (121.53, 31.25),
                    (121.531, 31.25),
                    (121.531, 31.251),
                    (121.53, 31.25),
                ]
                .into(),
                vec![],
            )),
            name: "自建口袋花园".into(),
            properties: Default::default(),
            project: None,
        }))
        .unwrap()
    });
    o.close().unwrap();
    let mut d = Session::open(&ws).unwrap();
    let report = d.merge_file(&other, None).unwrap();
    assert!(report.joined && report.inserted == 1, "{report:?}");
    assert_eq!(d.plan_feature(id).unwrap().feature.name, "自建口袋花园");
    assert!(d.merge_file(&other, None).unwrap().is_nothing());
}

#[test]
fn the_command_line_packages_merges_lists_and_resolves() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let street = busiest_street(&Session::open_read_only(&ws).unwrap());
    let out = dir.path().join("street.gpkg");
    let w = ws.to_str().unwrap();
    let o = out.to_str().unwrap();
    let text = common::stdout(&["package", w, "--street", &street, "-o", o]);
    assert!(text.contains("plan features"), "{text}");
    // Never over an existing file.
    assert!(
        !common::run(&["package", w, "--street", &street, "-o", o])
            .status
            .success()
    );
    let bad = common::run(&["package", w, "--street", "没有这条街", "-o", "x.gpkg"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("没有这条街"));
    // A conflict made on both sides.
    let project = {
        let mut s = Session::open(&out).unwrap();
        let mut p = s.projects().values().next().unwrap().clone();
        let id = p.id;
        p.scope = "街道补充内容".into();
        p.comments = "街道意见".into();
        s.apply(ProjectEdit::Update(p)).unwrap();
        s.close().unwrap();
        id
    };
    {
        let mut d = Session::open(&ws).unwrap();
        let mut p = d.project(project).unwrap().clone();
        p.comments = "区里意见".into();
        d.apply(ProjectEdit::Update(p)).unwrap();
        d.close().unwrap();
    }
    let text = common::stdout(&["merge", w, o]);
    assert!(text.contains("1 conflicts"), "{text}");
    let list = common::stdout(&["conflicts", w]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(lines[0].starts_with("id\tstatus\tfrom"));
    assert!(lines[1].contains("comments") && lines[1].contains("街道意见"));
    let csv = dir.path().join("冲突.csv");
    common::stdout(&["conflicts", w, "-o", csv.to_str().unwrap()]);
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "CSV with BOM");
    assert!(String::from_utf8_lossy(&bytes).contains("区里意见"));
    let id = lines[1].split('\t').next().unwrap();
    common::stdout(&["resolve", w, id, "--value", "\"区街共同意见\""]);
    assert_eq!(common::stdout(&["conflicts", w]).lines().count(), 1);
    let d = Session::open_read_only(&ws).unwrap();
    assert_eq!(d.project(project).unwrap().comments, "区街共同意见");
    assert_eq!(d.project(project).unwrap().scope, "街道补充内容");
    drop(d);
    // The street takes the resolution.
    common::stdout(&["merge", o, w]);
    let s = Session::open_read_only(&out).unwrap();
    assert_eq!(s.project(project).unwrap().comments, "区街共同意见");
    // Every street at once.
    let all = dir.path().join("streets");
    let text = common::stdout(&["package", w, "--all", "-o", all.to_str().unwrap()]);
    assert!(text.lines().count() >= 2, "{text}");
}

#[test]
fn a_street_copy_edited_in_qgis_merges_like_any_other() {
    if !common::qgis_python() {
        eprintln!("skipped: QGIS's Python (Debian python3-qgis) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (ws, out, _) = handed_out(dir.path());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/qgis_edit_street.py");
    let run = std::process::Command::new("/usr/bin/python3")
        .arg(&script)
        .arg(&out)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(
        run.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let field = |tag: &str| -> Vec<String> {
        let line = text
            .lines()
            .find(|l| l.starts_with(tag))
            .unwrap_or_else(|| panic!("no {tag} in {text}"));
        line.splitn(3, ' ').skip(1).map(str::to_string).collect()
    };
    let renamed = Uuid::parse_str(&field("RENAMED")[0]).unwrap();
    let deleted = Uuid::parse_str(&field("DELETED")[0]).unwrap();
    let project = Uuid::parse_str(&field("PROJECT")[0]).unwrap();
    let report = merge(&ws, &out);
    assert_eq!(
        (
            report.updated,
            report.deleted,
            report.conflicts,
            report.inserted
        ),
        (2, 1, 0, 0),
        "{report:?}"
    );
    let d = Session::open_read_only(&ws).unwrap();
    assert_eq!(
        d.plan_feature(renamed).unwrap().feature.name,
        "QGIS 改的名字"
    );
    assert!(d.plan_feature(deleted).is_none());
    assert_eq!(d.project(project).unwrap().name, "QGIS 改的项目名");
    // The renamed feature's derived street and community are the district's own.
    assert!(d.plan_feature(renamed).unwrap().street.is_some());
    drop(d);
    let before = common::dump(&ws);
    assert!(merge(&ws, &out).is_nothing());
    assert_eq!(common::dump(&ws), before);
    if let Some(python) = common::gpkg_validator_python() {
        for file in [&ws, &out] {
            let said = common::validate_gpkg(python, file);
            assert!(said.trim().is_empty(), "{}: {said}", file.display());
        }
    }
}

#[test]
fn a_project_code_taken_by_another_project_refuses_the_merge_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district(dir.path());
    let taken = Session::open_read_only(&ws)
        .unwrap()
        .projects()
        .values()
        .next()
        .unwrap()
        .clone();
    let other = dir.path().join("自建.gpkg");
    let mut o = Session::create(&other, &linli::model::catalog::Catalog::bundled()).unwrap();
    let mut p = taken.clone();
    p.id = Uuid::new_v4();
    p.name = "另一个项目".into();
    p.history.clear();
    o.apply(ProjectEdit::Add(p)).unwrap();
    o.close().unwrap();
    let before = common::dump(&ws);
    let mut d = Session::open(&ws).unwrap();
    let e = d.merge_file(&other, None).unwrap_err();
    let text = e.to_string();
    assert!(
        text.contains(&taken.code) && text.contains("另一个项目") && text.contains(&taken.name),
        "{text}"
    );
    d.close().unwrap();
    assert_eq!(common::dump(&ws), before, "nothing merged");
}
