//! Another program (QGIS, through GDAL) edits the workspace while a session has it open: every
//! change Linli writes — apply, undo, redo — sets only the fields it changed, and only where
//! the file still holds what the change was made against. A different field changed outside
//! stays beside Linli's change; the same field (or a deleted row) refuses the step, naming the
//! record and the field, and writes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};

use linli::Session;
use linli::error::Problem;
use linli::model::Project;
use linli::model::project::Funding;
use linli::session::{Edit, NewFeature, ProjectEdit};
use uuid::Uuid;

/// The sample workspace, closed, in `dir`.
fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("浦东 共编.gpkg");
    let session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    session.close().unwrap();
    ws
}

/// A second connection playing QGIS: GDAL registers the GeoPackage `ST_` functions the
/// R-tree triggers call.
fn qgis(ws: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(ws).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    conn
}

/// A column of plan feature `id`'s row, as text (whichever plan table holds it).
fn plan_column(ws: &Path, id: Uuid, column: &str) -> Option<String> {
    let conn = qgis(ws);
    for t in ["plan_points", "plan_lines", "plan_polygons"] {
        let found: Option<Option<String>> = conn
            .query_row(
                &format!("SELECT {column} FROM {t} WHERE uuid = ?1"),
                [id.to_string()],
                |r| r.get(0),
            )
            .ok();
        if let Some(v) = found {
            return v;
        }
    }
    None
}

/// Every row of the plan tables, for "the file is unchanged".
fn plan_rows(ws: &Path) -> Vec<String> {
    let conn = qgis(ws);
    let mut out = Vec::new();
    for t in ["plan_points", "plan_lines", "plan_polygons"] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT fid, uuid, name, element_type, project_code, properties, hex(geom) FROM {t} ORDER BY fid"
            ))
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((0..7)
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

/// A 公共设施 point added in the session, as a planner adds one.
fn add_facility(session: &mut Session) -> Uuid {
    let id = Uuid::new_v4();
    session
        .apply(Edit::Add(NewFeature {
            id,
            element: "public_facility".into(),
            geometry: geo::Geometry::Point(geo::Point::new(121.5215, 31.2301)),
            name: "社区服务点".into(),
            properties: Default::default(),
            project: None,
        }))
        .unwrap();
    id
}

fn rename(id: Uuid, name: &str) -> Edit {
    Edit::SetName {
        id,
        name: name.into(),
    }
}

#[test]
fn a_different_field_changed_outside_stays_beside_the_sessions_edit() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let id = add_facility(&mut session);
    // QGIS changes the element type while the window is open.
    qgis(&ws)
        .execute(
            "UPDATE plan_points SET element_type = 'art_space' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    // The planner renames the feature in the inspector.
    session.apply(rename(id, "社区服务点（改）")).unwrap();
    assert_eq!(
        plan_column(&ws, id, "element_type").as_deref(),
        Some("art_space")
    );
    assert_eq!(
        plan_column(&ws, id, "name").as_deref(),
        Some("社区服务点（改）")
    );
    assert_eq!(
        plan_column(&ws, id, "element_name").as_deref(),
        Some("公共设施"),
        "a derived column is Linli's to write only when it writes what it derives from"
    );
    // The session holds the record as the file now does.
    let f = session.plan_feature(id).unwrap();
    assert_eq!(f.element, "art_space");
    assert_eq!(f.feature.name, "社区服务点（改）");

    // Undo takes back the rename only; redo puts it back; QGIS's change stays throughout.
    assert!(session.undo().unwrap());
    assert_eq!(plan_column(&ws, id, "name").as_deref(), Some("社区服务点"));
    assert_eq!(
        plan_column(&ws, id, "element_type").as_deref(),
        Some("art_space")
    );
    // QGIS, again, changes another field (a move) before the redo.
    qgis(&ws)
        .execute(
            "UPDATE plan_points SET properties = '{\"来源\":\"QGIS\"}' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    assert!(session.redo().unwrap());
    assert_eq!(
        plan_column(&ws, id, "name").as_deref(),
        Some("社区服务点（改）")
    );
    assert_eq!(
        plan_column(&ws, id, "properties").as_deref(),
        Some("{\"来源\":\"QGIS\"}")
    );
    session.close().unwrap();
}

#[test]
fn the_same_field_changed_outside_refuses_apply_undo_and_redo_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let id = add_facility(&mut session);

    // Apply.
    qgis(&ws)
        .execute(
            "UPDATE plan_points SET name = 'QGIS 命名' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    let before = plan_rows(&ws);
    let e = session.apply(rename(id, "邻里命名")).unwrap_err();
    assert_eq!(
        e.problem(),
        Some(&Problem::ChangedElsewhere {
            name: "社区服务点".into(),
            id: id.to_string(),
            field: "name".into(),
        })
    );
    let zh = linli::i18n::errors::error_message(&e, linli::i18n::Lang::Zh);
    assert!(zh.contains("社区服务点") && zh.contains("name"), "{zh}");
    assert_eq!(plan_rows(&ws), before, "nothing written");
    assert_eq!(
        session.plan_feature(id).unwrap().feature.name,
        "QGIS 命名",
        "the session read the record again"
    );
    // Now that it holds QGIS's name, the same rename goes through.
    session.apply(rename(id, "邻里命名")).unwrap();

    // Undo.
    qgis(&ws)
        .execute(
            "UPDATE plan_points SET name = 'QGIS 再改' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    let before = plan_rows(&ws);
    let e = session.undo().unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ChangedElsewhere { field, .. }) if field == "name"),
        "{e}"
    );
    assert_eq!(plan_rows(&ws), before);
    assert!(session.can_undo(), "the step stays");

    // Redo: set the file back so undo goes, then QGIS changes the name once more.
    qgis(&ws)
        .execute(
            "UPDATE plan_points SET name = '邻里命名' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    assert!(session.undo().unwrap());
    qgis(&ws)
        .execute(
            "UPDATE plan_points SET name = 'QGIS 三改' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    let before = plan_rows(&ws);
    let e = session.redo().unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ChangedElsewhere { field, .. }) if field == "name"),
        "{e}"
    );
    assert_eq!(plan_rows(&ws), before);
    assert!(session.can_redo());
    session.close().unwrap();
}

#[test]
fn a_row_deleted_outside_refuses_apply_undo_and_redo() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let delete = |id: Uuid| {
        qgis(&ws)
            .execute("DELETE FROM plan_points WHERE uuid = ?1", [id.to_string()])
            .unwrap();
    };

    // Apply.
    let a = add_facility(&mut session);
    delete(a);
    let before = plan_rows(&ws);
    let e = session.apply(rename(a, "改名")).unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::DeletedElsewhere { id, .. }) if *id == a.to_string()),
        "{e}"
    );
    assert_eq!(plan_rows(&ws), before);
    assert!(session.plan_feature(a).is_none(), "read again: gone");

    // Undo of a rename whose row was deleted since.
    let b = add_facility(&mut session);
    session.apply(rename(b, "改名")).unwrap();
    delete(b);
    let before = plan_rows(&ws);
    assert!(matches!(
        session.undo().unwrap_err().problem(),
        Some(Problem::DeletedElsewhere { .. })
    ));
    assert_eq!(plan_rows(&ws), before);

    // Redo of an undone add whose id another program took meanwhile is refused too.
    let d = add_facility(&mut session);
    assert!(session.undo().unwrap());
    delete(d);
    qgis(&ws)
        .execute(
            "INSERT INTO plan_points (geom, uuid, name, element_type) \
             SELECT geom, ?1, 'QGIS 的', element_type FROM plan_points LIMIT 1",
            [d.to_string()],
        )
        .unwrap();
    let before = plan_rows(&ws);
    assert!(matches!(
        session.redo().unwrap_err().problem(),
        Some(Problem::AddedElsewhere { .. })
    ));
    assert_eq!(plan_rows(&ws), before);
    session.close().unwrap();
}

#[test]
fn a_funding_row_added_outside_survives_an_edit_of_the_project() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let project: Project = session.projects().values().next().unwrap().clone();
    let sources = |ws: &Path| -> Vec<String> {
        let conn = qgis(ws);
        let mut stmt = conn
            .prepare(
                "SELECT source FROM linli_project_funding WHERE project_uuid = ?1 ORDER BY seq",
            )
            .unwrap();
        stmt.query_map([project.id.to_string()], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let mut expected = sources(&ws);
    qgis(&ws)
        .execute(
            "INSERT INTO linli_project_funding (project_uuid, seq, source, amount_wan) VALUES (?1, 99, '社会资金（QGIS）', 3.5)",
            [project.id.to_string()],
        )
        .unwrap();
    expected.push("社会资金（QGIS）".into());
    let renamed = Project {
        name: format!("{}（改）", project.name),
        ..project.clone()
    };
    session.apply(ProjectEdit::Update(renamed)).unwrap();
    assert_eq!(sources(&ws), expected, "the outside funding row stays");
    let now = session.project(project.id).unwrap();
    assert!(now.name.ends_with("（改）"));
    assert!(
        now.funding.iter().any(|f| f
            == &Funding {
                source: "社会资金（QGIS）".into(),
                amount_wan: 3.5
            }),
        "and the session holds it: {:?}",
        now.funding
    );
    // Undo takes back the name only.
    assert!(session.undo().unwrap());
    assert_eq!(sources(&ws), expected);
    assert_eq!(session.project(project.id).unwrap().name, project.name);
    session.close().unwrap();
}

#[test]
fn a_changeset_is_data_that_serialises_and_inverts() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let id = add_facility(&mut session);
    session.apply(rename(id, "新名")).unwrap();
    let cs = session.last_changeset().unwrap().clone();
    assert_eq!(cs.changes.len(), 1);
    let change = &cs.changes[0];
    assert_eq!(
        change.record,
        linli::model::RecordId::of(linli::model::change::RecordKind::Plan, id)
    );
    assert_eq!(change.fields.len(), 1, "only the name: {:?}", change.fields);
    assert_eq!(change.fields[0].field, "name");
    let json = serde_json::to_string(&cs).unwrap();
    assert!(
        json.contains("新名") && json.contains("社区服务点"),
        "{json}"
    );
    let back: linli::model::Changeset = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cs);
    assert_eq!(back.inverse().inverse(), cs);
    session.close().unwrap();
}

#[test]
fn the_planners_name_is_a_changeset_checked_against_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    session.set_planner("  钱规划 ").unwrap();
    assert_eq!(session.planner(), "钱规划");
    let stored = |ws: &Path| -> String {
        qgis(ws)
            .query_row(
                "SELECT value FROM linli_meta WHERE key = 'planner'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(stored(&ws), "钱规划");
    assert!(!session.can_undo(), "who is working is not an undo step");

    // Another Linli on this file sets its planner meanwhile: this one's change is refused,
    // naming the setting and the field, and the file keeps the other's name.
    qgis(&ws)
        .execute(
            "UPDATE linli_meta SET value = '孙规划' WHERE key = 'planner'",
            [],
        )
        .unwrap();
    let e = session.set_planner("李规划").unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ChangedElsewhere { name, field, .. })
            if name == "planner" && field == "value"),
        "{e}"
    );
    assert_eq!(stored(&ws), "孙规划");
    assert_eq!(
        session.planner(),
        "孙规划",
        "the session read the setting again"
    );
    session.set_planner("李规划").unwrap();
    assert_eq!(stored(&ws), "李规划");
    session.close().unwrap();
    assert_eq!(Session::open(&ws).unwrap().planner(), "李规划");
}
