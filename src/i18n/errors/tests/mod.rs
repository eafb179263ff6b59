//! The language tests of the error table: every problem, both languages.

use std::path::PathBuf;

use super::*;
use crate::error::Repair;

mod samples;
use samples::samples;

/// Chinese user data put in the samples: the one thing English may show that is not ASCII.
const USER_DATA: [&str; 3] = ["街道乡镇", "口袋花园", "花木街道"];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn without_user_data(text: &str) -> String {
    USER_DATA
        .iter()
        .fold(text.to_string(), |t, d| t.replace(d, ""))
}

#[test]
fn english_is_ascii_but_the_users_data() {
    for p in samples() {
        let en = problem_message(&p, Lang::En);
        let rest = without_user_data(&en);
        assert!(rest.is_ascii(), "{p:?}: not ASCII: {en}");
        assert!(!en.is_empty() && en == p.to_string(), "{p:?}");
    }
}

#[test]
fn chinese_is_chinese_with_chinese_punctuation() {
    for p in samples() {
        let zh = problem_message(&p, Lang::Zh);
        let en = problem_message(&p, Lang::En);
        assert_ne!(zh, en, "{p:?} is not translated");
        assert!(zh.chars().any(is_cjk), "{p:?}: no Chinese in {zh}");
        // ASCII sentence punctuation belongs to English; (x, y) pairs, --flags and the
        // parser's quoted details are data, not sentences.
        for bad in ["; ", ": ", "\"", ". "] {
            let rest = zh.replace("(os error", "");
            assert!(
                !rest.contains(bad) || p_has_detail(&p),
                "{p:?}: ASCII {bad:?} in {zh}"
            );
        }
    }
}

/// Problems whose parameters carry foreign text that may hold ASCII punctuation.
fn p_has_detail(p: &Problem) -> bool {
    matches!(
        p,
        Problem::Json { .. }
            | Problem::FeaturesNotArray { .. }
            | Problem::NotACatalog { .. }
            | Problem::BadSampleData { .. }
            | Problem::ForeignCrs { .. }
            | Problem::PrjNotWkt { .. }
            | Problem::ShapefileBroken { .. }
            | Problem::UnknownEncoding { .. }
            | Problem::NoSuchSourceLayer { .. }
            | Problem::NoSuchWorkspaceLayer { .. }
            | Problem::SourceLayerNeeded { .. }
            | Problem::LayerNameInvalid { .. }
            | Problem::MigrationStepFailed { .. }
    )
}

#[test]
fn the_file_and_the_place_come_first() {
    let e = Error::input(
        "街道.geojson",
        Some(3),
        Problem::Geometry {
            kind: "Polygon".into(),
            part: None,
            problem: GeometryProblem::RingNotClosed { ring: 0 },
        },
    );
    assert_eq!(
        error_message(&e, Lang::En),
        "街道.geojson: feature 3: Polygon: ring 0 is not closed (its first and last positions differ)"
    );
    assert_eq!(
        error_message(&e, Lang::Zh),
        "街道.geojson：要素 3：Polygon：环 0 未闭合（首尾坐标点不同）"
    );
    assert_eq!(e.to_string(), error_message(&e, Lang::En));
    let w = Error::workspace("w.gpkg", Problem::NotSqlite);
    assert!(error_message(&w, Lang::Zh).starts_with("w.gpkg：不是 GeoPackage"));
    let io = Error::io(
        PathBuf::from("out.geojson"),
        std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    );
    assert_eq!(error_message(&io, Lang::Zh), "out.geojson：没有访问权限");
    assert!(error_message(&io, Lang::En).is_ascii());
    assert_eq!(error_message(&Error::Cancelled, Lang::Zh), "已取消");
    let busy = Error::database(crate::error::DatabaseCode::Busy, "database is locked");
    assert_eq!(
        error_message(&busy, Lang::Zh),
        "数据库错误：文件正被其他程序占用，请稍后再试（database is locked）"
    );
    assert!(error_message(&busy, Lang::En).is_ascii());
    let other = Error::database(crate::error::DatabaseCode::Other, "no such table: t");
    assert_eq!(
        error_message(&other, Lang::En),
        "database error: no such table: t"
    );
    assert_eq!(
        error_message(&other, Lang::Zh),
        "数据库错误：no such table: t"
    );
    let r = Error::request(Problem::LayerNameNeeded);
    assert_eq!(
        failure_text(Lang::En, Text::ImportFailed, &r),
        "Import failed; the workspace is unchanged: a layer name is needed: --layer NAME"
    );
    assert!(failure_text(Lang::Zh, Text::EditFailed, &r).starts_with("编辑未保存：需要图层名称"));
    let text = error_text(&r);
    assert_eq!(text.get(Lang::En), r.to_string());
    assert_eq!(text.get(Lang::Zh), "需要图层名称：--layer 名称");
}

#[test]
fn every_problem_belongs_to_exactly_one_family() {
    for p in samples() {
        for lang in [Lang::Zh, Lang::En] {
            let claimed = [
                input::message(&p, lang),
                records::message(&p, lang),
                workspace::message(&p, lang),
                sync::message(&p, lang),
            ];
            let n = claimed.iter().filter(|m| m.is_some()).count();
            assert_eq!(n, 1, "{p:?} is worded by {n} families");
        }
    }
}
