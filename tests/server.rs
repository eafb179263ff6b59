//! The district server on PostgreSQL with PostGIS: `linli server init` (and its forward-only
//! `--upgrade`), `linli server grant`, and row-level security enforced by PostgreSQL — a
//! street's role cannot insert, update or delete another street's rows through plain SQL, the
//! bureau reads everything and writes nothing; every write bumps a revision from one
//! sequence and a delete leaves a tombstone; QGIS opens the plan layer.
//!
//! Needs a PostgreSQL server with PostGIS and a superuser: `LINLI_TEST_PG` (default
//! `postgresql://linli:linli@127.0.0.1/postgres`, what `.ci/run` sets up). Each test works in
//! a database of its own; skipped with a printed reason when no server answers.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::pg::{TestDb, as_user, district_session, words};

use std::process::Command;

use linli::error::Problem;
use linli::server::{self, Grant};
use postgres::{Client, NoTls};
use uuid::Uuid;

fn insert_project(c: &mut Client, street: &str) -> Result<u64, postgres::Error> {
    c.execute(
        "INSERT INTO linli.projects (uuid, street, fields) VALUES ($1, $2, $3)",
        &[
            &Uuid::new_v4(),
            &street,
            &serde_json::json!({"code": format!("{street}-1"), "name": "口袋花园"}),
        ],
    )
}

#[test]
fn init_sets_up_once_and_refuses_a_newer_server() {
    let Some(db) = TestDb::new() else { return };
    let first = server::init(&db.url, false).unwrap();
    assert_eq!((first.from, first.to), (0, server::SERVER_SCHEMA_VERSION));
    let again = server::init(&db.url, true).unwrap();
    assert_eq!(again.from, again.to, "nothing to do");
    let mut c = Client::connect(&db.url, NoTls).unwrap();
    // Every record table, with its revision index; the plan layer's geometry has GiST.
    for t in server::TABLES {
        let n: i64 = c
            .query_one(
                "SELECT count(*) FROM pg_indexes WHERE schemaname = 'linli' AND tablename = $1
                   AND indexname = $2",
                &[&t.table, &format!("{}_rev", t.table)],
            )
            .unwrap()
            .get(0);
        assert_eq!(n, 1, "{}", t.table);
    }
    let gist: String = c
        .query_one(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'plan_features_geom'",
            &[],
        )
        .unwrap()
        .get(0);
    assert!(gist.contains("gist"), "{gist}");
    let srid: i32 = c
        .query_one(
            "SELECT srid FROM geometry_columns WHERE f_table_schema = 'linli'
               AND f_table_name = 'plan_features'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(srid, 4326);
    // A server set up by a newer Linli is refused, naming both versions.
    c.execute(
        "UPDATE linli.meta SET value = '99' WHERE key = 'schema_version'",
        &[],
    )
    .unwrap();
    let e = server::init(&db.url, true).unwrap_err();
    assert_eq!(
        e.problem(),
        Some(&Problem::ServerSchema {
            server: server::shown(&db.url),
            found: 99,
            expected: server::SERVER_SCHEMA_VERSION
        })
    );
    // Through the command line, in Chinese.
    let out = common::linli()
        .args(["server", "init", &db.url, "--upgrade"])
        .env("LC_ALL", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("比本程序") && text.contains("99"), "{text}");
    assert!(!text.contains(":linli@"), "no password in {text}");
}

#[test]
fn a_streets_role_writes_only_its_street_and_the_bureau_reads_everything() {
    let Some(mut db) = TestDb::new() else { return };
    server::init(&db.url, false).unwrap();
    let (a, b, m, bureau) = (
        db.role("yangjing"),
        db.role("huamu"),
        db.role("mentor"),
        db.role("bureau"),
    );
    server::grant(&db.url, &a, "pa", &Grant::Streets(vec!["洋泾街道".into()])).unwrap();
    server::grant(&db.url, &b, "pb", &Grant::Streets(vec!["花木街道".into()])).unwrap();
    server::grant(
        &db.url,
        &m,
        "pm",
        &Grant::Streets(vec!["洋泾街道".into(), "花木街道".into()]),
    )
    .unwrap();
    server::grant(&db.url, &bureau, "pr", &Grant::Bureau).unwrap();
    let e = server::grant(&db.url, "洋泾", "x", &Grant::Bureau).unwrap_err();
    assert!(matches!(e.problem(), Some(Problem::BadRoleName { .. })));

    let mut ca = db.client_as(&a, "pa");
    let mut cb = db.client_as(&b, "pb");
    insert_project(&mut ca, "洋泾街道").unwrap();
    insert_project(&mut cb, "花木街道").unwrap();
    // Street A cannot insert a row of street B: PostgreSQL's refusal.
    let e = insert_project(&mut ca, "花木街道").unwrap_err();
    assert!(words(&e).contains("row-level security"), "{e:?}");
    // Nor see, update or delete B's rows; nor move its own row to B.
    let seen: i64 = ca
        .query_one("SELECT count(*) FROM linli.projects", &[])
        .unwrap()
        .get(0);
    assert_eq!(seen, 1);
    let updated = ca
        .execute(
            "UPDATE linli.projects SET fields = '{}' WHERE street = '花木街道'",
            &[],
        )
        .unwrap();
    assert_eq!(updated, 0);
    let e = ca.batch_execute("DELETE FROM linli.projects").unwrap_err();
    assert!(words(&e).contains("may not delete"), "{e:?}");
    let e = ca
        .batch_execute("UPDATE linli.projects SET street = '花木街道'")
        .unwrap_err();
    assert!(words(&e).contains("keeps its street"), "{e:?}");
    let b_fields: serde_json::Value = cb
        .query_one("SELECT fields FROM linli.projects", &[])
        .unwrap()
        .get(0);
    assert_eq!(b_fields["name"], "口袋花园", "B's row unchanged");

    // The mentor works for both streets.
    let mut cm = db.client_as(&m, "pm");
    let both: i64 = cm
        .query_one("SELECT count(*) FROM linli.projects", &[])
        .unwrap()
        .get(0);
    assert_eq!(both, 2);
    insert_project(&mut cm, "花木街道").unwrap();

    // The bureau reads everything and writes nothing but its statistics views.
    let mut cr = db.client_as(&bureau, "pr");
    let all: i64 = cr
        .query_one("SELECT count(*) FROM linli.projects", &[])
        .unwrap()
        .get(0);
    assert_eq!(all, 3);
    let e = insert_project(&mut cr, "花木街道").unwrap_err();
    assert!(words(&e).contains("permission denied"), "{e:?}");
    cr.batch_execute(
        "CREATE VIEW linli_stats.budget AS SELECT street, count(*) FROM linli.projects GROUP BY street",
    )
    .unwrap();
    let rows = cr
        .query("SELECT street FROM linli_stats.projects_by_street", &[])
        .unwrap();
    assert_eq!(rows.len(), 2);
}

#[test]
fn a_street_reads_its_neighbours_boundaries_and_projects_and_writes_none_of_them() {
    let Some(mut db) = TestDb::new() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("浦东新区.gpkg");
    linli::sample::create_sample_workspace(&ws, &mut |_| {})
        .unwrap()
        .close()
        .unwrap();
    // A server of the schema before boundaries, brought forward: refused without --upgrade.
    {
        let mut c = Client::connect(&db.url, NoTls).unwrap();
        c.batch_execute(&server::schema::version_1()).unwrap();
    }
    let e = server::init(&db.url, false).unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ServerSchema { found: 1, .. })),
        "{e:?}"
    );
    let up = server::init(&db.url, true).unwrap();
    assert_eq!((up.from, up.to), (1, server::SERVER_SCHEMA_VERSION));
    // The district's boundaries, through the command line.
    let out = common::run(&["server", "boundaries", &db.url, ws.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("street boundaries"), "{said}");
    let mut admin = Client::connect(&db.url, NoTls).unwrap();
    let streets: i64 = admin
        .query_one("SELECT count(*) FROM linli.streets", &[])
        .unwrap()
        .get(0);
    assert!(streets >= 3, "{streets}");
    // A street, one that touches it and one that does not.
    let (home, near, far): (String, String, String) = {
        let r = admin
            .query_one(
                "SELECT m.name, n.name, f.name FROM linli.streets m
                   JOIN linli.streets n ON n.name <> m.name AND ST_DWithin(n.geom, m.geom, 0.0001)
                   JOIN linli.streets f ON NOT ST_DWithin(f.geom, m.geom, 0.0001)
                 ORDER BY m.name, n.name, f.name LIMIT 1",
                &[],
            )
            .unwrap();
        (r.get(0), r.get(1), r.get(2))
    };
    for street in [&home, &near, &far] {
        insert_project(&mut admin, street).unwrap();
        admin
            .execute(
                "INSERT INTO linli.meetings (uuid, street, fields) VALUES ($1, $2, '{}')",
                &[&Uuid::new_v4(), street],
            )
            .unwrap();
    }
    let a = db.role("home");
    server::grant(&db.url, &a, "pa", &Grant::Streets(vec![home.clone()])).unwrap();
    let mut c = db.client_as(&a, "pa");
    let seen = |c: &mut Client, sql: &str| -> Vec<String> {
        let mut v: Vec<String> = c
            .query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        v.sort();
        v
    };
    // Its own boundary and every neighbour's; projects of its own and of the neighbour given one.
    let mut around: Vec<String> = admin
        .query(
            "SELECT n.name FROM linli.streets n JOIN linli.streets m ON m.name = $1
               AND ST_DWithin(n.geom, m.geom, 0.0001)",
            &[&home],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    around.sort();
    assert!(around.contains(&near) && !around.contains(&far));
    assert_eq!(seen(&mut c, "SELECT name FROM linli.streets"), around);
    let mut both = vec![home.clone(), near.clone()];
    both.sort();
    assert_eq!(seen(&mut c, "SELECT street FROM linli.projects"), both);
    // Their other records stay theirs.
    assert_eq!(
        seen(&mut c, "SELECT street FROM linli.meetings"),
        vec![home.clone()]
    );
    // Read, never written: PostgreSQL refuses, and the row is as it was.
    let e = c
        .execute(
            "UPDATE linli.projects SET fields = fields || '{\"name\": \"改邻居的\"}'
             WHERE street = $1",
            &[&near],
        )
        .unwrap_err();
    assert!(words(&e).contains("row-level security"), "{}", words(&e));
    let e = c
        .execute("DELETE FROM linli.projects WHERE street = $1", &[&near])
        .unwrap_err();
    assert!(words(&e).contains("may not delete"), "{}", words(&e));
    let e = c
        .execute(
            "UPDATE linli.streets SET geom = ST_Multi(ST_Buffer(geom, 0.01)) WHERE name = $1",
            &[&home],
        )
        .unwrap_err();
    assert!(words(&e).contains("permission denied"), "{}", words(&e));
    let name: String = admin
        .query_one(
            "SELECT fields->>'name' FROM linli.projects WHERE street = $1",
            &[&near],
        )
        .unwrap()
        .get(0);
    assert_eq!(name, "口袋花园");
    // A street's role may not load boundaries.
    let district = linli::Session::open_read_only(&ws).unwrap();
    let e = server::load_boundaries(&as_user(&db.url, &a, "pa"), district.layers()).unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ServerRefused { .. })),
        "{e:?}"
    );
}

#[test]
fn every_write_draws_a_revision_and_a_delete_leaves_a_tombstone() {
    let Some(mut db) = TestDb::new() else { return };
    server::init(&db.url, false).unwrap();
    let a = db.role("yangjing");
    server::grant(&db.url, &a, "pa", &Grant::Streets(vec!["洋泾街道".into()])).unwrap();
    let mut c = db.client_as(&a, "pa");
    let id = Uuid::new_v4();
    let geometry = serde_json::json!({
        "name": "口袋花园", "element": "pocket_garden", "project": null,
        "geometry": {"type": "Polygon", "coordinates": [[[121.5, 31.2], [121.501, 31.2], [121.501, 31.201], [121.5, 31.2]]]}
    });
    let rev = |c: &mut Client| -> i64 {
        c.query_one(
            "SELECT rev FROM linli.plan_features WHERE uuid = $1",
            &[&id],
        )
        .unwrap()
        .get(0)
    };
    c.execute(
        "INSERT INTO linli.plan_features (uuid, street, fields) VALUES ($1, '洋泾街道', $2)",
        &[&id, &geometry],
    )
    .unwrap();
    let first = rev(&mut c);
    let row = c
        .query_one(
            "SELECT name, element_type, ST_GeometryType(geom), changed_by::text
             FROM linli.plan_features WHERE uuid = $1",
            &[&id],
        )
        .unwrap();
    assert_eq!(row.get::<_, String>(0), "口袋花园");
    assert_eq!(row.get::<_, String>(1), "pocket_garden");
    assert_eq!(row.get::<_, String>(2), "ST_Polygon");
    assert_eq!(row.get::<_, String>(3), a);
    c.execute(
        "UPDATE linli.plan_features SET fields = jsonb_set(fields, '{name}', '\"街角\"')
         WHERE uuid = $1",
        &[&id],
    )
    .unwrap();
    let second = rev(&mut c);
    assert!(second > first);
    c.execute("DELETE FROM linli.plan_features WHERE uuid = $1", &[&id])
        .unwrap();
    let (kind, street, tomb): (String, String, i64) = {
        let r = c
            .query_one(
                "SELECT kind, street, rev FROM linli.tombstones WHERE uuid = $1",
                &[&id],
            )
            .unwrap();
        (r.get(0), r.get(1), r.get(2))
    };
    assert_eq!((kind.as_str(), street.as_str()), ("plan", "洋泾街道"));
    assert!(tomb > second);
    // Putting it back takes the tombstone away.
    c.execute(
        "INSERT INTO linli.plan_features (uuid, street, fields) VALUES ($1, '洋泾街道', $2)",
        &[&id, &geometry],
    )
    .unwrap();
    let left: i64 = c
        .query_one("SELECT count(*) FROM linli.tombstones", &[])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    assert!(rev(&mut c) > tomb);
}

#[test]
fn qgis_opens_the_servers_plan_layer() {
    let Some(mut db) = TestDb::new() else { return };
    if !common::qgis_python() {
        eprintln!("skipped: python3-qgis is not installed");
        return;
    }
    server::init(&db.url, false).unwrap();
    let bureau = db.role("bureau");
    server::grant(&db.url, &bureau, "pr", &Grant::Bureau).unwrap();
    let mut c = Client::connect(&db.url, NoTls).unwrap();
    c.execute(
        "INSERT INTO linli.plan_features (uuid, street, fields) VALUES ($1, '洋泾街道', $2)",
        &[
            &Uuid::new_v4(),
            &serde_json::json!({"name": "口袋花园", "element": "pocket_garden",
                "geometry": {"type": "Point", "coordinates": [121.5, 31.2]}}),
        ],
    )
    .unwrap();
    let (user_host, dbname) = {
        let rest = db.url.split_once("://").unwrap().1;
        let host = rest.split_once('@').unwrap().1;
        let (hostport, name) = host.split_once('/').unwrap();
        (hostport.to_string(), name.to_string())
    };
    let (host, port) = user_host.split_once(':').unwrap_or((&user_host, "5432"));
    let script = format!(
        "from qgis.core import QgsApplication, QgsVectorLayer\n\
         app = QgsApplication([], False); app.initQgis()\n\
         uri = \"host={host} port={port} dbname={dbname} user={bureau} password=pr table=\\\"linli\\\".\\\"plan_features\\\" (geom) key='uuid'\"\n\
         layer = QgsVectorLayer(uri, 'plan', 'postgres')\n\
         assert layer.isValid(), 'not valid'\n\
         names = [f['name'] for f in layer.getFeatures()]\n\
         print(layer.crs().authid(), names)\n"
    );
    let out = Command::new("/usr/bin/python3")
        .args(["-c", &script])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("EPSG:4326") && text.contains("口袋花园"),
        "{text}"
    );
}

/// The sample district, and a street of it handed out twice (two planners' copies).
fn two_copies(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf, String) {
    let mut d = district_session(dir);
    let street = "潍坊新村街道".to_string();
    let a = dir.join("a.gpkg");
    d.package_street(&street, &a).unwrap();
    d.close().unwrap();
    let b = dir.join("b.gpkg");
    std::fs::copy(&a, &b).unwrap();
    (a, b, street)
}

fn sync(ws: &std::path::Path, url: &str, street: &str) -> linli::server::SyncReport {
    let mut s = linli::Session::open(ws).unwrap();
    let r = server::sync(&mut s, url, street).unwrap();
    s.close().unwrap();
    r
}

use common::travelling_records as records;

#[test]
fn two_planners_of_a_street_sync_through_the_server_and_a_clash_is_a_conflict() {
    let Some(mut db) = TestDb::new() else { return };
    server::init(&db.url, false).unwrap();
    let role = db.role("weifang");
    server::grant(
        &db.url,
        &role,
        "pw",
        &Grant::Streets(vec!["潍坊新村街道".into()]),
    )
    .unwrap();
    let url = as_user(&db.url, &role, "pw");
    let dir = tempfile::tempdir().unwrap();
    let (a, b, street) = two_copies(dir.path());

    // The first sync sends everything; the second copy then has nothing new.
    let first = sync(&a, &url, &street);
    assert!(first.inserted > 0 && first.updated == 0, "{first:?}");
    let again = sync(&a, &url, &street);
    assert_eq!((again.pulled, again.inserted, again.updated), (0, 0, 0));
    // Synced as its street, the copy is refused as another: its high-water mark is that
    // street's, and another street's rows below it would never be pulled.
    {
        let mut s = linli::Session::open(&a).unwrap();
        let e = server::sync(&mut s, &url, "花木街道").unwrap_err();
        assert!(
            matches!(e.problem(), Some(Problem::SyncStreetMismatch { synced, asked, .. })
                if *synced == street && asked == "花木街道"),
            "{e:?}"
        );
        s.close().unwrap();
    }
    let joined = sync(&b, &url, &street);
    assert_eq!(joined.merge.conflicts, 0, "{joined:?}");
    assert_eq!(records(&a), records(&b));

    // A renames a feature; B renames the same one and changes a project's budget.
    let (feature, project) = {
        let s = linli::Session::open(&a).unwrap();
        let f = s.plan()[0].feature.id;
        let p = s.projects().values().next().unwrap().id;
        (f, p)
    };
    let rename = |ws: &std::path::Path, name: &str| {
        let mut s = linli::Session::open(ws).unwrap();
        s.apply(linli::session::Edit::SetName {
            id: feature,
            name: name.into(),
        })
        .unwrap();
        s.close().unwrap();
    };
    rename(&a, "甲的口袋花园");
    rename(&b, "乙的口袋花园");
    {
        let mut s = linli::Session::open(&b).unwrap();
        let mut p = s.project(project).unwrap().clone();
        p.budget_wan = Some(66.0);
        s.apply(linli::session::ProjectEdit::Update(p)).unwrap();
        s.close().unwrap();
    }
    let sent = sync(&a, &url, &street);
    assert_eq!(sent.updated, 1, "{sent:?}");
    let clash = sync(&b, &url, &street);
    assert_eq!(clash.merge.conflicts, 1, "{clash:?}");
    assert_eq!(
        clash.updated, 1,
        "the budget goes, the clashing name does not"
    );
    // The server kept A's name (nothing overwritten) and took B's budget.
    let mut c = Client::connect(&db.url, NoTls).unwrap();
    let name: String = c
        .query_one(
            "SELECT name FROM linli.plan_features WHERE uuid = $1",
            &[&feature],
        )
        .unwrap()
        .get(0);
    assert_eq!(name, "甲的口袋花园");
    let budget: f64 = c
        .query_one(
            "SELECT (fields->>'budget_wan')::float8 FROM linli.projects WHERE uuid = $1",
            &[&project],
        )
        .unwrap()
        .get(0);
    assert_eq!(budget, 66.0);
    // A takes B's budget with no conflict.
    let back = sync(&a, &url, &street);
    assert_eq!(back.merge.conflicts, 0);
    // B resolves the clash with A's name: both copies and the server converge.
    {
        let mut s = linli::Session::open(&b).unwrap();
        let id = s.merge_conflicts()[0].id;
        s.resolve_conflict(id, linli::session::sync::Resolution::Theirs)
            .unwrap();
        s.close().unwrap();
    }
    sync(&b, &url, &street);
    sync(&a, &url, &street);
    assert_eq!(records(&a), records(&b));

    // A delete travels as a tombstone.
    {
        let mut s = linli::Session::open(&a).unwrap();
        s.apply(linli::session::Edit::Delete(feature)).unwrap();
        s.close().unwrap();
    }
    assert_eq!(sync(&a, &url, &street).deleted, 1);
    let pulled = sync(&b, &url, &street);
    assert_eq!(pulled.merge.deleted, 1, "{pulled:?}");
    assert!(
        linli::Session::open_read_only(&b)
            .unwrap()
            .plan_feature(feature)
            .is_none()
    );
}

#[test]
fn a_street_cannot_send_another_streets_records_through_linli() {
    let Some(mut db) = TestDb::new() else { return };
    server::init(&db.url, false).unwrap();
    let other = db.role("tangqiao");
    server::grant(
        &db.url,
        &other,
        "pw",
        &Grant::Streets(vec!["塘桥街道".into()]),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (a, _, street) = two_copies(dir.path());
    let url = as_user(&db.url, &other, "pw");
    let mut s = linli::Session::open(&a).unwrap();
    let e = server::sync(&mut s, &url, &street).unwrap_err();
    match e.problem() {
        Some(Problem::ServerRefused { server, detail }) => {
            assert!(detail.contains("row-level security"), "{detail}");
            assert!(!server.contains(":pw@"), "{server}");
        }
        other => panic!("{other:?}"),
    }
    s.close().unwrap();
    let mut c = Client::connect(&db.url, NoTls).unwrap();
    for t in server::TABLES {
        let n: i64 = c
            .query_one(&format!("SELECT count(*) FROM linli.{}", t.table), &[])
            .unwrap()
            .get(0);
        assert_eq!(n, 0, "nothing written in {}", t.table);
    }
}

#[test]
fn a_first_push_of_many_records_goes_by_copy_and_the_policies_still_check_every_row() {
    let Some(mut db) = TestDb::new() else { return };
    server::init(&db.url, false).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut d = district_session(dir.path());
    let grid = dir.path().join("grid.geojson");
    std::fs::write(&grid, linli::sample::synthetic::plan_polygon_grid(1_500)).unwrap();
    let request = linli::session::ImportRequest {
        role: linli::model::LayerRole::Plan,
        ..Default::default()
    };
    d.import_file(&grid, &request, &mut |_| {}).unwrap();
    let street = d.main_street().unwrap();
    let ws = dir.path().join("street.gpkg");
    let packaged = d.package_street(&street, &ws).unwrap();
    d.close().unwrap();
    assert!(packaged.features > 100, "{packaged:?}");

    // Another street's role: the one INSERT … SELECT after the COPY is refused whole.
    let other = db.role("other");
    server::grant(
        &db.url,
        &other,
        "pw",
        &Grant::Streets(vec!["不存在街道".into()]),
    )
    .unwrap();
    let mut s = linli::Session::open(&ws).unwrap();
    let e = server::sync(&mut s, &as_user(&db.url, &other, "pw"), &street).unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ServerRefused { detail, .. }) if detail.contains("row-level security")),
        "{e:?}"
    );
    let mut c = Client::connect(&db.url, NoTls).unwrap();
    let count = |c: &mut Client| -> i64 {
        c.query_one("SELECT count(*) FROM linli.plan_features", &[])
            .unwrap()
            .get(0)
    };
    assert_eq!(count(&mut c), 0);

    // The street's own role: every feature arrives, with its revision and geometry.
    let role = db.role("street");
    server::grant(&db.url, &role, "pw", &Grant::Streets(vec![street.clone()])).unwrap();
    let r = server::sync(&mut s, &as_user(&db.url, &role, "pw"), &street).unwrap();
    assert_eq!(r.inserted, packaged.records, "{r:?}");
    assert_eq!(count(&mut c), packaged.features as i64);
    let max: i64 = c
        .query_one("SELECT max(rev) FROM linli.plan_features", &[])
        .unwrap()
        .get(0);
    assert!(r.high_water >= max, "{r:?} {max}");
    let again = server::sync(&mut s, &as_user(&db.url, &role, "pw"), &street).unwrap();
    assert_eq!(
        (again.pulled, again.inserted, again.updated),
        (0, 0, 0),
        "{again:?}"
    );
    s.close().unwrap();
}
