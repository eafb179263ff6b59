//! Shapefiles and GeoPackages as planners are handed them: GBK `.dbf`s with and without a
//! `.cpg`, a Gauss-Krüger `.prj`, no `.dbf`, and the broken ones (a cut-short `.shp`, a `.dbf`
//! whose record count disagrees, a `.prj` that is not WKT). The files are written here with the
//! `shapefile` crate, so the tests need nothing outside the repository; GDAL, when installed,
//! writes a GeoPackage in UTM for the GeoPackage test.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

use linli::Session;
use linli::error::Problem;
use linli::io::geojson_in::ReadNote;
use linli::io::parsed::EncodingSource;
use linli::model::LayerRole;
use linli::model::catalog::Catalog;
use linli::session::{ImportNote, ImportRequest};

use common::shapefiles::{GK_PRJ, NAMES, set_language_driver, write_streets};

fn session(dir: &Path) -> Session {
    Session::create(&dir.join("w.gpkg"), &Catalog::bundled()).unwrap()
}

fn request(layer: &str) -> ImportRequest {
    ImportRequest {
        layer: Some(layer.into()),
        ..Default::default()
    }
}

fn encoding_note(notes: &[ImportNote]) -> Option<(String, EncodingSource)> {
    notes.iter().find_map(|n| match n {
        ImportNote::Read(ReadNote::Encoding { encoding, from }) => Some((encoding.clone(), *from)),
        _ => None,
    })
}

#[test]
fn a_gbk_shapefile_in_gauss_kruger_imports_with_its_names_and_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_streets(dir.path(), "streets", encoding_rs::GBK);
    set_language_driver(&shp, 0); // no .cpg, no language driver: the GBK fallback
    let mut s = session(dir.path());
    let streets = ImportRequest {
        role: LayerRole::Streets,
        name_field: Some("NAME".into()),
        ..request("街道")
    };
    let report = s.import_file(&shp, &streets, &mut |_| {}).unwrap();
    assert_eq!(report.features, 3);
    assert_eq!(
        encoding_note(&report.notes),
        Some(("GBK".into(), EncodingSource::GbkFallback))
    );
    assert!(report.notes.iter().any(|n| matches!(
        n,
        ImportNote::Read(ReadNote::Reprojected { declared: true, .. })
    )));
    let layer = &s.read_layer(0).unwrap().unwrap();
    let names: Vec<&str> = layer.features.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, NAMES);
    assert_eq!(layer.features[0].properties["CODE"], 310_115);
    // The first square's corner is the Pearl Tower, to a centimetre.
    let location = s.locate(121.4997 + 0.0005, 31.2397 + 0.0005);
    assert_eq!(location.street.as_deref(), Some("陆家嘴街道"));
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn the_encoding_comes_from_cpg_then_language_driver_then_utf8_or_given() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    // UTF-8 text, said by a .cpg.
    let utf8 = write_streets(dir.path(), "utf8", encoding_rs::UTF_8);
    std::fs::write(utf8.with_extension("cpg"), "UTF-8").unwrap();
    let r = s.import_file(&utf8, &request("a"), &mut |_| {}).unwrap();
    assert_eq!(
        encoding_note(&r.notes),
        Some(("UTF-8".into(), EncodingSource::Cpg))
    );
    assert_eq!(
        s.read_layer(0).unwrap().unwrap().features[1].properties["NAME"],
        "花木街道"
    );
    // GBK said by the language driver 0x4D (GB2312/936).
    let ldid = write_streets(dir.path(), "ldid", encoding_rs::GBK);
    set_language_driver(&ldid, 0x4D);
    let r = s.import_file(&ldid, &request("b"), &mut |_| {}).unwrap();
    assert_eq!(
        encoding_note(&r.notes),
        Some(("GBK".into(), EncodingSource::LanguageDriver))
    );
    // UTF-8 without any mark is recognised as valid UTF-8.
    let bare = write_streets(dir.path(), "bare", encoding_rs::UTF_8);
    set_language_driver(&bare, 0);
    let r = s.import_file(&bare, &request("c"), &mut |_| {}).unwrap();
    assert_eq!(
        encoding_note(&r.notes),
        Some(("UTF-8".into(), EncodingSource::Utf8))
    );
    assert_eq!(
        s.read_layer(2).unwrap().unwrap().features[2].properties["NAME"],
        "潍坊新村街道"
    );
    // --encoding wins over a wrong .cpg.
    let wrong = write_streets(dir.path(), "wrong", encoding_rs::GBK);
    std::fs::write(wrong.with_extension("cpg"), "UTF-8").unwrap();
    let given = ImportRequest {
        encoding: Some("gbk".into()),
        ..request("d")
    };
    let r = s.import_file(&wrong, &given, &mut |_| {}).unwrap();
    assert_eq!(
        encoding_note(&r.notes),
        Some(("GBK".into(), EncodingSource::Given))
    );
    assert_eq!(
        s.read_layer(3).unwrap().unwrap().features[0].properties["NAME"],
        "陆家嘴街道"
    );
    let unknown = ImportRequest {
        encoding: Some("klingon".into()),
        ..request("e")
    };
    let e = s.import_file(&wrong, &unknown, &mut |_| {}).unwrap_err();
    assert!(matches!(e.problem(), Some(Problem::UnknownEncoding { .. })));
}

#[test]
fn without_a_dbf_geometry_only_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let shp = write_streets(dir.path(), "nodbf", encoding_rs::GBK);
    std::fs::remove_file(shp.with_extension("dbf")).unwrap();
    let mut s = session(dir.path());
    let r = s.import_file(&shp, &request("g"), &mut |_| {}).unwrap();
    assert_eq!(r.features, 3);
    assert!(
        r.notes
            .iter()
            .any(|n| matches!(n, ImportNote::Read(ReadNote::NoAttributes)))
    );
    assert!(
        s.read_layer(0).unwrap().unwrap().features[0]
            .properties
            .is_empty()
    );
}

#[test]
fn broken_shapefiles_are_refused_and_leave_the_workspace_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let ws = dir.path().join("w.gpkg");
    let before = common::dump(&ws);
    let refuse = |s: &mut Session, shp: &Path| -> Problem {
        let e = s.import_file(shp, &request("x"), &mut |_| {}).unwrap_err();
        let text = e.to_string();
        let name = shp.file_name().unwrap().to_string_lossy().into_owned();
        let prj = shp.with_extension("prj");
        let prj = prj.file_name().unwrap().to_string_lossy().into_owned();
        assert!(text.contains(&name) || text.contains(&prj), "{text}");
        e.problem().cloned().unwrap()
    };
    // A .shp cut short in its last record.
    let cut = write_streets(dir.path(), "cut", encoding_rs::GBK);
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() - 30]).unwrap();
    assert!(matches!(
        refuse(&mut s, &cut),
        Problem::ShapefileBroken { .. }
    ));
    // A .dbf with a record fewer than the shapes: the header says 2.
    let short = write_streets(dir.path(), "short", encoding_rs::GBK);
    let dbf = short.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).unwrap();
    bytes[4..8].copy_from_slice(&2u32.to_le_bytes());
    std::fs::write(&dbf, bytes).unwrap();
    assert_eq!(
        refuse(&mut s, &short),
        Problem::DbfCountMismatch {
            shapes: 3,
            records: 2
        }
    );
    // A .prj that is not WKT.
    let prj = write_streets(dir.path(), "prj", encoding_rs::GBK);
    std::fs::write(prj.with_extension("prj"), "Gauss-Kruger 120E, ask Mr Wang").unwrap();
    assert!(matches!(refuse(&mut s, &prj), Problem::PrjNotWkt { .. }));
    // A local grid, named.
    let local = write_streets(dir.path(), "local", encoding_rs::GBK);
    std::fs::write(
        local.with_extension("prj"),
        GK_PRJ
            .replace("CGCS2000_3_Degree_GK_CM_120E", "Shanghai_2000")
            .replace("China_2000", "Shanghai"),
    )
    .unwrap();
    assert_eq!(
        refuse(&mut s, &local),
        Problem::ForeignCrs {
            declared: "Shanghai_2000".into()
        }
    );
    assert!(s.layers().is_empty());
    assert_eq!(before, common::dump(&ws));
}

#[test]
fn every_truncation_of_a_shapefile_is_refused_or_imported_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let whole = write_streets(dir.path(), "whole", encoding_rs::GBK);
    let shp = std::fs::read(&whole).unwrap();
    let dbf = std::fs::read(whole.with_extension("dbf")).unwrap();
    let mut s = session(dir.path());
    let ws = dir.path().join("w.gpkg");
    let before = common::dump(&ws);
    let mut refused = 0;
    assert!(!before.is_empty());
    for (part, bytes) in [("shp", &shp), ("dbf", &dbf)] {
        for len in (0..bytes.len()).step_by(7) {
            let cut = write_streets(dir.path(), "cut", encoding_rs::GBK);
            std::fs::write(cut.with_extension(part), &bytes[..len]).unwrap();
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                s.import_file(&cut, &request(&format!("cut_{part}_{len}")), &mut |_| {})
            }));
            match outcome {
                Err(_) => panic!("panic on the .{part} cut at {len} bytes"),
                Ok(Ok(_)) => {}
                Ok(Err(_)) => refused += 1,
            }
        }
    }
    assert!(refused > 10, "{refused}");
    // Whatever was imported, the file stayed sound and holds what the session holds.
    assert!(s.check().unwrap().is_empty());
    let reopened = Session::open(&ws).unwrap();
    assert_eq!(reopened.layers().len(), s.layers().len());
    drop(before);
}

#[test]
fn a_geopackage_layer_is_chosen_by_name_and_a_list_is_offered() {
    let dir = tempfile::tempdir().unwrap();
    // A Linli workspace is a GeoPackage: import its streets into another workspace.
    let source = dir.path().join("source.gpkg");
    drop(linli::sample::create_sample_workspace(&source, &mut |_| {}).unwrap());
    let target = dir.path().join("target.gpkg");
    let mut s = Session::create(&target, &Catalog::bundled()).unwrap();
    let e = s
        .import_file(&source, &request("x"), &mut |_| {})
        .unwrap_err();
    let Some(Problem::SourceLayerNeeded { layers }) = e.problem() else {
        panic!("a list of layers expected: {e}")
    };
    assert!(layers.iter().any(|l| l == "街道乡镇"), "{layers:?}");
    let chosen = ImportRequest {
        source_layer: Some("街道乡镇".into()),
        role: LayerRole::Streets,
        ..request("街道")
    };
    let r = s.import_file(&source, &chosen, &mut |_| {}).unwrap();
    assert_eq!(r.features, 36);
    assert_eq!(
        s.locate(121.4997, 31.2397).street.as_deref(),
        Some("陆家嘴街道")
    );
    // The source was opened read-only and is as it was.
    assert!(Session::open(&source).unwrap().check().unwrap().is_empty());

    // GDAL's GeoPackage in UTM 51N, when GDAL is here.
    if !common::has_ogrinfo() {
        eprintln!("skipped the UTM GeoPackage: GDAL (ogr2ogr) is not installed");
        return;
    }
    let utm = dir.path().join("utm.gpkg");
    let streets = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/streets.geojson");
    let status = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-t_srs", "EPSG:32651", "-nln", "roads"])
        .arg(&utm)
        .arg(&streets)
        .status()
        .unwrap();
    assert!(status.success());
    let r = s.import_file(&utm, &request("utm"), &mut |_| {}).unwrap();
    assert_eq!(r.features, 36);
    assert!(r.notes.iter().any(|n| matches!(
        n,
        ImportNote::Read(ReadNote::Reprojected { declared: true, .. })
    )));
    let back = &s.read_layer(1).unwrap().unwrap();
    let original = &s.read_layer(0).unwrap().unwrap();
    let first = |l: &linli::model::Layer| match &l.features[0].geometry {
        geo::Geometry::MultiPolygon(m) => m.0[0].exterior().0[0],
        geo::Geometry::Polygon(p) => p.exterior().0[0],
        other => panic!("{other:?}"),
    };
    let (a, b) = (first(original), first(back));
    assert!(
        (a.x - b.x).abs() < 1e-7 && (a.y - b.y).abs() < 1e-7,
        "{a:?} {b:?}"
    );
}

#[test]
fn a_prj_with_absurd_numbers_is_refused_with_its_parameter_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let ws = dir.path().join("w.gpkg");
    let before = common::dump(&ws);
    // A zone-prefixed Gauss-Krüger .prj whose false easting is 2e15 + 500 000 m: its "zone"
    // (two thousand million) times 3 overflowed a u32, a panic in debug builds.
    for (i, (parameter, from, to)) in [
        ("False_Easting", "500000.0", "2000000000500000.0"),
        ("False_Easting", "500000.0", "2e15"),
        ("False_Easting", "500000.0", "1e400"),
        ("False_Easting", "500000.0", "NaN"),
        (
            "Scale_Factor",
            "PARAMETER[\"Scale_Factor\",1.0]",
            "PARAMETER[\"Scale_Factor\",1e30]",
        ),
        (
            "Central_Meridian",
            "PARAMETER[\"Central_Meridian\",120.0]",
            "PARAMETER[\"Central_Meridian\",99999999999.0]",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let shp = write_streets(dir.path(), &format!("absurd{i}"), encoding_rs::GBK);
        std::fs::write(
            shp.with_extension("prj"),
            GK_PRJ.replace("CM_120E", "Zone_40").replacen(from, to, 1),
        )
        .unwrap();
        let e = s.import_file(&shp, &request("x"), &mut |_| {}).unwrap_err();
        match e.problem() {
            Some(Problem::CrsNumberOutOfRange { parameter: p, .. }) => {
                assert_eq!(p, parameter, "{to}")
            }
            other => panic!("{to}: {other:?}"),
        }
        let text = linli::i18n::errors::error_message(&e, linli::i18n::Lang::Zh);
        assert!(text.contains(parameter) && text.contains(".prj"), "{text}");
    }
    assert!(s.layers().is_empty());
    assert_eq!(before, common::dump(&ws));
}

/// Renames the `.dbf` field at `index` (0-based) to `name` in the header, as a GBK name cut
/// to 10 bytes makes two fields collide (the dbase writer refuses duplicates).
fn rename_dbf_field(shp: &Path, index: usize, name: &[u8]) {
    let dbf = shp.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).unwrap();
    let at = 32 + 32 * index;
    bytes[at..at + 11].fill(0);
    bytes[at..at + name.len()].copy_from_slice(name);
    std::fs::write(&dbf, bytes).unwrap();
}

#[test]
fn duplicate_dbf_field_names_keep_both_values_and_say_so() {
    use shapefile::dbase::{self, FieldValue};
    let dir = tempfile::tempdir().unwrap();
    let shp = dir.path().join("dup.shp");
    let table = dbase::TableWriterBuilder::new()
        .set_encoding(dbase::encoding::EncodingRs::from(encoding_rs::GBK))
        .add_character_field("A1".try_into().unwrap(), 20)
        .add_character_field("A2".try_into().unwrap(), 20)
        .add_character_field("A3".try_into().unwrap(), 20)
        .add_character_field("A4".try_into().unwrap(), 20);
    let mut writer = shapefile::Writer::from_path(&shp, table).unwrap();
    let mut record = dbase::Record::default();
    for (field, value) in [
        ("A1", "甲值"),
        ("A2", "乙值"),
        ("A3", "丙值"),
        ("A4", "丁值"),
    ] {
        record.insert(field.into(), FieldValue::Character(Some(value.into())));
    }
    let point = shapefile::Point::new(121.5, 31.2);
    writer.write_shape_and_record(&point, &record).unwrap();
    drop(writer);
    std::fs::write(dir.path().join("dup.cpg"), "GBK").unwrap();
    // 项目名称 in GBK, three times; the fourth field is already called 项目名称_2.
    let (name, _, _) = encoding_rs::GBK.encode("项目名称");
    let (taken, _, _) = encoding_rs::GBK.encode("项目名称_2");
    for i in 0..3 {
        rename_dbf_field(&shp, i, &name);
    }
    rename_dbf_field(&shp, 3, &taken);
    let mut s = session(dir.path());
    let report = s.import_file(&shp, &request("dup"), &mut |_| {}).unwrap();
    assert_eq!(report.features, 1);
    let layer = s.read_layer(0).unwrap().unwrap();
    let props = &layer.features[0].properties;
    assert_eq!(props["项目名称"], "甲值", "{props:?}");
    assert_eq!(props["项目名称_2"], "丁值", "{props:?}");
    assert_eq!(props["项目名称_3"], "乙值", "{props:?}");
    assert_eq!(props["项目名称_4"], "丙值", "{props:?}");
    let renamed = report
        .notes
        .iter()
        .find_map(|n| match n {
            ImportNote::Read(ReadNote::DuplicateFields { renamed }) => Some(renamed.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no note: {:?}", report.notes));
    assert_eq!(
        renamed,
        vec![
            ("项目名称".to_string(), "项目名称_3".to_string()),
            ("项目名称".to_string(), "项目名称_4".to_string())
        ]
    );
    let note = ReadNote::DuplicateFields { renamed };
    let zh = linli::i18n::errors::read_note_message(&note, linli::i18n::Lang::Zh);
    let en = linli::i18n::errors::read_note_message(&note, linli::i18n::Lang::En);
    assert!(zh.contains("项目名称_3") && zh.contains("重名"), "{zh}");
    assert!(
        en.contains("项目名称_4") && en.contains("same name"),
        "{en}"
    );
}
