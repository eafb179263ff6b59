//! One export filter for every format: street, community, programme, year, stage and element
//! type, each checked on the sample's GeoJSON features, its projects table (CSV and xlsx
//! count the same rows) and its GeoPackage counts; unknown values are refused by name.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::collections::BTreeSet;

use linli::Session;
use linli::error::Problem;
use linli::i18n::Lang;
use linli::io::table::TableFormat;
use linli::session::{ExportCount, ExportFilter};
use serde_json::Value;

fn sample() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let s =
        linli::sample::create_sample_workspace(&dir.path().join("w.gpkg"), &mut |_| {}).unwrap();
    (dir, s)
}

/// The exported GeoJSON's features' properties.
fn features(s: &Session, filter: &ExportFilter) -> Vec<serde_json::Map<String, Value>> {
    let (text, n) = s.export_geojson(filter).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    let all: Vec<_> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].as_object().unwrap().clone())
        .collect();
    assert_eq!(all.len(), n);
    all
}

/// The codes in the projects CSV, after checking the xlsx has as many rows.
fn project_codes(s: &Session, filter: &ExportFilter) -> BTreeSet<String> {
    let (table, n) = s.export_project_table(filter, Lang::Zh).unwrap();
    assert_eq!(table.rows.len(), n);
    assert!(!table.bytes(TableFormat::Xlsx).unwrap().is_empty());
    let csv = String::from_utf8(table.bytes(TableFormat::Csv).unwrap()).unwrap();
    let codes: BTreeSet<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), n);
    codes
}

/// Checks one filter: every feature passes `keep`, some do and not all, the counts of every
/// format agree, and the projects are those `project_ok` accepts (by code).
fn check(
    s: &Session,
    filter: ExportFilter,
    keep: impl Fn(&serde_json::Map<String, Value>) -> bool,
) -> (usize, BTreeSet<String>) {
    let all = features(s, &ExportFilter::default()).len();
    let kept = features(s, &filter);
    assert!(!kept.is_empty(), "{filter:?} keeps nothing");
    assert!(kept.len() < all, "{filter:?} keeps everything");
    for f in &kept {
        assert!(keep(f), "{filter:?} kept {f:?}");
    }
    // What it left out fails the test (no feature is dropped that should be kept).
    let left_out = features(s, &ExportFilter::default())
        .into_iter()
        .filter(|f| keep(f))
        .count();
    assert_eq!(left_out, kept.len(), "{filter:?}");
    let codes = project_codes(s, &filter);
    assert!(!codes.is_empty(), "{filter:?} keeps no project");
    let (_, count) = s.export_gpkg(&filter).unwrap();
    assert_eq!(
        count,
        ExportCount {
            features: kept.len(),
            projects: codes.len()
        }
    );
    assert_eq!(s.export_count(&filter).unwrap(), count);
    (kept.len(), codes)
}

fn text<'a>(f: &'a serde_json::Map<String, Value>, key: &str) -> &'a str {
    f.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The projects with a feature passing `keep`.
fn codes_of(
    s: &Session,
    keep: impl Fn(&serde_json::Map<String, Value>) -> bool,
) -> BTreeSet<String> {
    features(s, &ExportFilter::default())
        .iter()
        .filter(|f| keep(f))
        .map(|f| text(f, "project_code").to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

#[test]
fn street_and_community_keep_their_features_and_the_projects_with_one() {
    let (_d, s) = sample();
    let street = ExportFilter {
        street: Some("陆家嘴街道".into()),
        ..Default::default()
    };
    let community = ExportFilter {
        community: Some("蓝村居委会".into()),
        ..Default::default()
    };
    for (filter, key, value) in [
        (street, "street", "陆家嘴街道"),
        (community, "community", "蓝村居委会"),
    ] {
        let keep = |f: &serde_json::Map<String, Value>| text(f, key) == value;
        let (_, codes) = check(&s, filter, keep);
        assert_eq!(codes, codes_of(&s, keep), "{key}");
    }
}

#[test]
fn element_type_by_key_or_chinese_name() {
    let (_d, s) = sample();
    let keep = |f: &serde_json::Map<String, Value>| text(f, "element_type") == "pocket_garden";
    for name in ["pocket_garden", "口袋花园"] {
        let filter = ExportFilter {
            element: Some(name.into()),
            ..Default::default()
        };
        let (_, codes) = check(&s, filter, keep);
        assert_eq!(codes, codes_of(&s, keep));
    }
}

#[test]
fn year_keeps_the_years_projects_and_their_features() {
    let (_d, s) = sample();
    let filter = ExportFilter {
        year: Some(2024),
        ..Default::default()
    };
    let (_, codes) = check(&s, filter, |f| f.get("year") == Some(&Value::from(2024)));
    assert_eq!(
        codes,
        BTreeSet::from(["PD-2024-HM-01".to_string(), "PD-2024-LJZ-01".to_string()])
    );
}

#[test]
fn stage_by_key_or_chinese_name() {
    let (_d, s) = sample();
    for stage in ["completion", "竣工"] {
        let filter = ExportFilter {
            stage: Some(stage.into()),
            ..Default::default()
        };
        let (_, codes) = check(&s, filter, |f| text(f, "stage") == "completion");
        assert_eq!(codes, BTreeSet::from(["PD-2022-TQ-01".to_string()]));
    }
}

#[test]
fn programme_keeps_the_programmes_projects_and_their_features() {
    let (_d, s) = sample();
    let programme = s.projects()["YP-2025-01"].programme.clone();
    assert_ne!(programme, "缤纷社区");
    let filter = ExportFilter {
        programme: Some("缤纷社区".into()),
        ..Default::default()
    };
    let (_, codes) = check(&s, filter, |f| text(f, "programme") == "缤纷社区");
    assert!(codes.iter().all(|c| c.starts_with("PD-")), "{codes:?}");
}

#[test]
fn filters_combine_and_unknown_values_are_refused_by_name() {
    let (_d, s) = sample();
    let both = ExportFilter {
        street: Some("陆家嘴街道".into()),
        year: Some(2024),
        ..Default::default()
    };
    let kept = features(&s, &both);
    assert!(!kept.is_empty());
    assert!(kept.iter().all(|f| text(f, "street") == "陆家嘴街道"
        && f.get("year") == Some(&Value::from(2024))));
    assert_eq!(
        project_codes(&s, &both),
        BTreeSet::from(["PD-2024-LJZ-01".to_string()])
    );
    let refused = |filter: ExportFilter| s.export_count(&filter).unwrap_err().problem().cloned();
    assert_eq!(
        refused(ExportFilter {
            community: Some("梅园居委".into()),
            ..Default::default()
        }),
        Some(Problem::UnknownExportFilter {
            field: "community".into(),
            value: "梅园居委".into()
        })
    );
    for (filter, field) in [
        (
            ExportFilter {
                programme: Some("不存在的项目类别".into()),
                ..Default::default()
            },
            "programme",
        ),
        (
            ExportFilter {
                stage: Some("不存在的阶段".into()),
                ..Default::default()
            },
            "stage",
        ),
    ] {
        assert!(
            matches!(refused(filter), Some(Problem::UnknownExportFilter { field: f, .. }) if f == field)
        );
    }
    assert!(matches!(
        refused(ExportFilter {
            street: Some("梅园街道".into()),
            ..Default::default()
        }),
        Some(Problem::UnknownStreet { .. })
    ));
    assert!(matches!(
        refused(ExportFilter {
            element: Some("喷泉".into()),
            ..Default::default()
        }),
        Some(Problem::UnknownElementType { .. })
    ));
    // The dialog's choices hold what the sample has.
    let choices = s.export_choices();
    assert!(choices.streets.contains(&"陆家嘴街道".to_string()));
    assert!(choices.communities.contains(&"蓝村居委会".to_string()));
    assert!(choices.programmes.contains(&"缤纷社区".to_string()));
    assert!(choices.years.contains(&2024));
    assert!(
        choices
            .stages
            .iter()
            .any(|(k, zh, _)| k == "completion" && zh == "竣工")
    );
    assert_eq!(choices.elements.len(), 9);
}
