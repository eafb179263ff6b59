//! Import through the Session façade: repairs and `strict`, refusals that list every problem,
//! and plan features that keep every field and are updated (not duplicated) on re-import.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

use linli::Session;
use linli::error::Problem;
use linli::model::LayerRole;
use linli::model::catalog::Catalog;
use linli::session::ExportFilter;
use linli::session::ImportRequest;

fn workspace(dir: &Path) -> Session {
    Session::create(&dir.join("w.gpkg"), &Catalog::bundled()).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn plan_request() -> ImportRequest {
    ImportRequest {
        role: LayerRole::Plan,
        ..Default::default()
    }
}

fn garden(props: &str) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"element_type":"pocket_garden",{props}}},"geometry":{{"type":"Polygon","coordinates":[[[121.5,31.2],[121.501,31.2],[121.501,31.201],[121.5,31.2]]]}}}}"#
    )
}

#[test]
fn strict_refuses_what_would_be_repaired_and_lists_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = workspace(dir.path());
    let open = r#"{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.2],[121.6,31.2],[121.6,31.3]]]}}"#;
    let file = write(dir.path(), "open.geojson", &format!("[{open},{open}]"));
    let before = common::dump(&dir.path().join("w.gpkg"));
    let strict = ImportRequest {
        layer: Some("open".into()),
        strict: true,
        ..Default::default()
    };
    let e = s.import_file(&file, &strict, &mut |_| {}).unwrap_err();
    let Some(Problem::Several { listed, total }) = e.problem() else {
        panic!("several expected: {e}")
    };
    assert_eq!((listed.len(), *total), (2, 2));
    assert!(matches!(listed[1], (Some(1), Problem::NeedsRepair { .. })));
    assert_eq!(before, common::dump(&dir.path().join("w.gpkg")));
    // Without --strict the same file imports, repaired, with its report.
    let lenient = ImportRequest {
        strict: false,
        ..strict
    };
    let report = s.import_file(&file, &lenient, &mut |_| {}).unwrap();
    assert_eq!((report.features, report.repairs.len()), (2, 2));
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn a_boundary_refusal_lists_every_nameless_feature() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = workspace(dir.path());
    let square = |name: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[121.5,31.2],[121.6,31.2],[121.6,31.3],[121.5,31.2]]]}}}}"#
        )
    };
    let features: Vec<String> = ["花木街道", "", "陆家嘴街道", "", ""]
        .iter()
        .map(|n| square(n))
        .collect();
    let file = write(
        dir.path(),
        "streets.geojson",
        &format!("[{}]", features.join(",")),
    );
    let request = ImportRequest {
        layer: Some("streets".into()),
        role: LayerRole::Streets,
        ..Default::default()
    };
    let e = s.import_file(&file, &request, &mut |_| {}).unwrap_err();
    let Some(Problem::Several { listed, total }) = e.problem() else {
        panic!("several expected: {e}")
    };
    assert_eq!(*total, 3);
    let features: Vec<Option<usize>> = listed.iter().map(|(f, _)| *f).collect();
    assert_eq!(features, [Some(1), Some(3), Some(4)]);
    assert!(s.layers().is_empty());
}

#[test]
fn plan_fields_are_kept_without_a_project_and_when_it_exists() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = workspace(dir.path());
    let fields = r#""programme":"缤纷社区","year":"2024","stage":"立项","budget_wan":"12.5","project_name":"东明路口袋花园""#;
    // No project code: every field stays with the feature.
    let file = write(dir.path(), "a.geojson", &garden(fields));
    s.import_file(&file, &plan_request(), &mut |_| {}).unwrap();
    let f = &s.plan()[0];
    for key in ["programme", "year", "stage", "budget_wan", "project_name"] {
        assert!(f.feature.properties.contains_key(key), "{key} lost");
    }
    // A new project: made from the fields, a year given as "2024" read as 2024; the fields
    // it holds are not kept twice.
    let file = write(
        dir.path(),
        "b.geojson",
        &garden(&format!(r#""project_code":"P-1",{fields}"#)),
    );
    s.import_file(&file, &plan_request(), &mut |_| {}).unwrap();
    let project = &s.projects()["P-1"];
    assert_eq!(project.year, Some(2024));
    assert_eq!(project.budget_wan, Some(12.5));
    assert_eq!(project.programme, "缤纷社区");
    assert!(s.plan()[1].feature.properties.get("year").is_none());
    // The project exists and the file says otherwise: the file's values are kept.
    let other = r#""project_code":"P-1","year":2025,"stage":"施工","programme":"缤纷社区""#;
    let file = write(dir.path(), "c.geojson", &garden(other));
    s.import_file(&file, &plan_request(), &mut |_| {}).unwrap();
    let f = &s.plan()[2];
    assert_eq!(f.feature.properties["year"], 2025);
    assert_eq!(f.feature.properties["stage"], "施工");
    assert!(f.feature.properties.get("programme").is_none());
    // And they survive the file being opened again.
    let reopened = Session::open(&dir.path().join("w.gpkg")).unwrap();
    assert_eq!(reopened.plan()[0].feature.properties["year"], "2024");
    // The export shows a project-less feature's own fields.
    let (text, _) = reopened.export_geojson(&ExportFilter::default()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["features"][0]["properties"]["programme"], "缤纷社区");
}

#[test]
fn reimporting_an_export_updates_and_as_new_copies() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = workspace(dir.path());
    let file = write(
        dir.path(),
        "a.geojson",
        &format!(
            "[{},{}]",
            garden(r#""name":"一号""#),
            garden(r#""name":"二号""#)
        ),
    );
    s.import_file(&file, &plan_request(), &mut |_| {}).unwrap();
    let (text, _) = s.export_geojson(&ExportFilter::default()).unwrap();
    // The bureau renames one and sends it back.
    let edited = text.replacen("一号", "一号（改）", 1);
    let back = write(dir.path(), "back.geojson", &edited);
    let report = s.import_file(&back, &plan_request(), &mut |_| {}).unwrap();
    assert_eq!((report.features, report.updated), (2, 2));
    assert_eq!(s.plan().len(), 2);
    let mut names: Vec<&str> = s.plan().iter().map(|f| f.feature.name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["一号（改）", "二号"]);
    // A `linli_id` property works as the id does.
    let by_property = write(
        dir.path(),
        "p.geojson",
        &garden(&format!(
            r#""name":"三号","linli_id":"{}""#,
            s.plan()[0].feature.id
        )),
    );
    let report = s
        .import_file(&by_property, &plan_request(), &mut |_| {})
        .unwrap();
    assert_eq!(report.updated, 1);
    assert_eq!(s.plan().len(), 2);
    // --as-new: copies with ids of their own.
    let copies = ImportRequest {
        as_new: true,
        ..plan_request()
    };
    let report = s.import_file(&back, &copies, &mut |_| {}).unwrap();
    assert_eq!((report.features, report.updated), (2, 0));
    assert_eq!(s.plan().len(), 4);
    assert!(s.check().unwrap().is_empty());
    let reopened = Session::open(&dir.path().join("w.gpkg")).unwrap();
    assert_eq!(reopened.plan().len(), 4);
}

#[test]
fn projected_geojson_is_reprojected_from_its_crs_member_or_from_crs() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = workspace(dir.path());
    // The Oriental Pearl Tower in CGCS2000 / 3-degree Gauss-Kruger CM 120E (GDAL's numbers).
    let point = r#"{"type":"Feature","properties":{"name":"东方明珠"},"geometry":{"type":"Point","coordinates":[642875.823388848,3458520.11535714]}}"#;
    let declared = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4549"}}}},"features":[{point}]}}"#
    );
    let file = write(dir.path(), "gk.geojson", &declared);
    let request = ImportRequest {
        layer: Some("gk".into()),
        ..Default::default()
    };
    let report = s.import_file(&file, &request, &mut |_| {}).unwrap();
    assert!(report.notes.iter().any(|n| matches!(
        n,
        linli::session::ImportNote::Read(linli::io::geojson_in::ReadNote::Reprojected {
            declared: true,
            ..
        })
    )));
    let geo::Geometry::Point(p) = &s.read_layer(0).unwrap().unwrap().features[0].geometry else {
        panic!("a point")
    };
    assert!((p.x() - 121.4997).abs() < 1e-6 && (p.y() - 31.2397).abs() < 1e-6);
    // Without the member the file is refused as projected, saying how to give the CRS...
    let bare = write(
        dir.path(),
        "bare.geojson",
        &format!(r#"{{"type":"FeatureCollection","features":[{point}]}}"#),
    );
    let request = ImportRequest {
        layer: Some("bare".into()),
        ..Default::default()
    };
    let e = s.import_file(&bare, &request, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("--crs EPSG:NNNN"), "{e}");
    // ...and given it, imports.
    let given = ImportRequest {
        crs: Some(linli::io::crs::SourceCrs::Epsg(4549)),
        ..request
    };
    s.import_file(&bare, &given, &mut |_| {}).unwrap();
    // A CRS Linli does not know is refused by name.
    let beijing = write(
        dir.path(),
        "bj54.geojson",
        &declared.replace("EPSG::4549", "EPSG::2435"),
    );
    let request = ImportRequest {
        layer: Some("bj54".into()),
        ..Default::default()
    };
    let e = s.import_file(&beijing, &request, &mut |_| {}).unwrap_err();
    assert!(e.to_string().contains("EPSG::2435"), "{e}");
}

#[test]
fn an_amap_looking_file_gets_the_gcj02_hint() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = workspace(dir.path());
    let f = r#"{"type":"Feature","properties":{"adcode":310115,"name":"浦东新区"},"geometry":{"type":"Point","coordinates":[121.5,31.2]}}"#;
    let file = write(
        dir.path(),
        "datav.json",
        &format!(r#"{{"type":"FeatureCollection","features":[{f}]}}"#),
    );
    let request = ImportRequest {
        layer: Some("datav".into()),
        ..Default::default()
    };
    let report = s.import_file(&file, &request, &mut |_| {}).unwrap();
    assert!(
        report.notes.iter().any(|n| matches!(
            n,
            linli::session::ImportNote::Read(
                linli::io::geojson_in::ReadNote::LooksLikeGcj02 { .. }
            )
        )),
        "{:?}",
        report.notes
    );
}
