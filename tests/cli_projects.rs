//! `linli projects`, `linli stats` and `linli export --format csv` on the sample: the rows a
//! filter keeps, statistics equal to a count by hand through the façade, and CSV that Excel
//! reads (BOM, CRLF) with the Chinese intact.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeMap;

use linli::Session;
use linli::session::report::{GroupBy, ProjectFilter};

fn sample(dir: &std::path::Path) -> std::path::PathBuf {
    let ws = dir.join("w.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    ws
}

use common::stdout;

#[test]
fn projects_lists_what_the_filters_keep() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let ws = ws.to_str().unwrap();
    let all = stdout(&["projects", ws]);
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(lines[0], "code\tname\tstreet\tstage\tyear\tbudget_wan");
    assert_eq!(lines.len(), 1 + 10);
    let ljz = stdout(&["projects", ws, "--street", "陆家嘴街道"]);
    assert_eq!(ljz.lines().count(), 1 + 2, "{ljz}");
    assert!(ljz.lines().skip(1).all(|l| l.contains("陆家嘴街道")));
    // A stage by key or by its Chinese name.
    assert_eq!(
        stdout(&["projects", ws, "--stage", "operation"])
            .lines()
            .count(),
        3
    );
    assert_eq!(
        stdout(&["projects", ws, "--stage", "运维"]).lines().count(),
        3
    );
    assert_eq!(
        stdout(&["projects", ws, "--year", "2024"]).lines().count(),
        3
    );
}

#[test]
fn stats_for_a_filtered_set_equal_a_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let session = Session::open(&ws).unwrap();
    let filter = ProjectFilter {
        year: Some(2024),
        ..ProjectFilter::default()
    };
    // By hand: every feature of a 2024 project, grouped by its street.
    let codes: Vec<&str> = session
        .projects()
        .values()
        .filter(|p| p.year == Some(2024))
        .map(|p| p.code.as_str())
        .collect();
    let mut by_hand: BTreeMap<String, (std::collections::BTreeSet<&str>, usize)> = BTreeMap::new();
    for f in session.plan() {
        if let Some(code) = f.project.as_deref().filter(|c| codes.contains(c)) {
            let street = f.street.clone().unwrap_or_default();
            let e = by_hand.entry(street).or_default();
            e.0.insert(code);
            e.1 += 1;
        }
    }
    let stats = session.analysis().project_stats(&filter, GroupBy::Street);
    assert_eq!(stats.len(), by_hand.len());
    // A project's budget counts in a street only when all its features are there.
    let streets_of = |code: &str| by_hand.values().filter(|(p, _)| p.contains(code)).count();
    for g in &stats {
        let (projects, features) = &by_hand[&g.group];
        assert_eq!(g.projects, projects.len(), "{}", g.group);
        assert_eq!(g.features, *features, "{}", g.group);
        let budget: f64 = projects
            .iter()
            .filter(|c| streets_of(c) == 1)
            .map(|c| session.projects()[*c].budget_wan.unwrap_or(0.0))
            .sum();
        assert!((g.budget_wan - budget).abs() < 1e-9);
    }
    // The command line prints the same groups.
    let printed = stdout(&[
        "stats",
        ws.to_str().unwrap(),
        "--by",
        "street",
        "--year",
        "2024",
    ]);
    // The groups, then the projects in several streets and the total.
    assert_eq!(printed.lines().count(), 1 + stats.len() + 2);
    assert_eq!(
        printed.lines().next(),
        Some("group\tgroup_zh\tprojects\tshared_projects\tfeatures\tbudget_wan\tactual_wan")
    );
    let total: f64 = codes
        .iter()
        .map(|c| session.projects()[*c].budget_wan.unwrap_or(0.0))
        .sum();
    let last = printed.lines().last().unwrap();
    assert!(last.starts_with("(total)\t合计\t"), "{last}");
    let printed_total: f64 = last.split('\t').nth(5).unwrap().parse().unwrap();
    assert!((printed_total - total).abs() < 1e-6, "{last}");
}

#[test]
fn csv_exports_open_with_the_right_rows_and_chinese() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let p = dir.path().join("项目.csv");
    stdout(&[
        "export",
        ws.to_str().unwrap(),
        "--format",
        "csv",
        "-o",
        p.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&p).unwrap();
    assert!(
        bytes.starts_with(b"\xEF\xBB\xBF"),
        "UTF-8 with BOM for Excel"
    );
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(rows[0].starts_with(
        "code,name,programme,year,street,community,stage,stage_zh,budget_wan,actual_wan,progress"
    ));
    assert_eq!(rows.len(), 1 + 10);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("PD-2024-HM-01,牡丹社区口袋花园,缤纷社区,2024,花木街道")),
        "{rows:?}"
    );

    let s = dir.path().join("stats.csv");
    let out = stdout(&[
        "stats",
        ws.to_str().unwrap(),
        "--by",
        "programme",
        "--format",
        "csv",
        "-o",
        s.to_str().unwrap(),
    ]);
    assert!(out.contains("2 groups"), "{out}");
    let text = std::fs::read_to_string(&s).unwrap();
    assert_eq!(
        text,
        "\u{feff}group,group_zh,projects,shared_projects,features,budget_wan,actual_wan\r\n\
         社区花园,社区花园,2,0,2,4.4,0\r\n\
         缤纷社区,缤纷社区,8,0,15,489.5,0\r\n\
         (several_groups),跨组项目（只计一次）,0,0,0,0,0\r\n\
         (total),合计,10,0,17,493.9,0\r\n"
    );
    // --format csv needs -o.
    let out = common::run(&[
        "stats",
        ws.to_str().unwrap(),
        "--by",
        "year",
        "--format",
        "csv",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE"));
}
