//! Exports can never destroy a workspace, and the CSV files Linli writes are safe to open in
//! a spreadsheet (issue 19, points 1 and 6), through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use common::run;
use linli::Session;
use linli::model::people::{Person, PersonRole};
use linli::session::{Command, ProjectEdit, RecordEdit};

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("w.gpkg");
    let o = run(&["new", ws.to_str().unwrap(), "--sample"]);
    assert!(o.status.success(), "{}", stderr(&o));
    ws
}

/// Every command that writes a file the user names, writing to `out`.
fn exports(ws: &str, out: &str) -> Vec<Vec<String>> {
    let cov = [
        "--areas",
        "居村委",
        "--element",
        "pocket_garden",
        "--distance",
        "500",
    ];
    let mut all: Vec<Vec<&str>> = vec![
        vec!["export", ws, "--format", "geojson", "-o", out],
        vec!["export", ws, "--format", "csv", "-o", out],
        vec!["stats", ws, "--by", "street", "--format", "csv", "-o", out],
        vec!["tasks", ws, "--format", "csv", "-o", out],
        vec!["coverage", ws, "-o", out],
        vec!["candidates", ws, "-o", out],
        // The Excel workbooks go through the same door.
        vec!["export", ws, "--format", "xlsx", "-o", out],
        vec![
            "stats", ws, "--by", "element", "--format", "xlsx", "-o", out,
        ],
        vec!["tasks", ws, "--format", "xlsx", "-o", out],
        vec!["coverage", ws, "--format", "xlsx", "-o", out],
    ];
    for i in [4, 5, 9] {
        all[i].extend(cov);
    }
    all.into_iter()
        .map(|v| v.into_iter().map(String::from).collect())
        .collect()
}

fn run_s(args: &[String]) -> std::process::Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&refs)
}

#[test]
fn no_export_replaces_the_workspace_however_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let bytes = std::fs::read(&ws).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let link = dir.path().join("link.geojson");
    std::os::unix::fs::symlink(&ws, &link).unwrap();
    let hard = dir.path().join("hard.csv");
    std::fs::hard_link(&ws, &hard).unwrap();
    let spellings = [
        ws.clone(),
        dir.path().join("sub/../w.gpkg"),
        dir.path().join("./w.gpkg"),
        link,
        hard,
    ];
    let w = ws.to_str().unwrap();
    // Every command with the workspace's own path, with and without --force; every other
    // spelling with one command each (they share one check).
    let mut cases = Vec::new();
    for force in [false, true] {
        for args in exports(w, w) {
            cases.push((ws.clone(), args, force));
        }
    }
    for (i, out) in spellings.iter().enumerate().skip(1) {
        let args = exports(w, out.to_str().unwrap()).swap_remove(i);
        cases.push((out.clone(), args, i % 2 == 0));
    }
    for (out, mut args, force) in cases {
        if force {
            args.push("--force".into());
        }
        let o = run_s(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        let e = stderr(&o);
        assert!(
            e.contains("is the workspace itself") && e.contains(out.to_str().unwrap()),
            "{args:?}: {e}"
        );
        assert!(std::fs::read(&ws).unwrap() == bytes, "{args:?} changed it");
    }
    // A relative spelling, from the workspace's folder.
    let o = common::linli()
        .current_dir(dir.path())
        .args(["export", "w.gpkg", "--format", "geojson", "-o", "./w.gpkg"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // The workspace's side files hold its last edits: never written either.
    let wal = format!("{w}-wal");
    let o = run(&["export", w, "--format", "geojson", "-o", &wal]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!Path::new(&wal).exists());
    // The import's repair report is checked before importing anything.
    let o = run(&[
        "import",
        w,
        "tests/fixtures/unclosed_ring.geojson",
        "--layer",
        "x",
        "--report",
        w,
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(std::fs::read(&ws).unwrap() == bytes);
    assert!(
        Session::open_read_only(&ws)
            .unwrap()
            .analysis()
            .layer_index("x")
            .is_err()
    );
}

#[test]
fn another_geopackage_is_never_replaced_and_other_files_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let other = dir.path().join("other.gpkg");
    let o = run(&["new", other.to_str().unwrap()]);
    assert!(o.status.success());
    let other_bytes = std::fs::read(&other).unwrap();
    let w = ws.to_str().unwrap();
    for mut args in exports(w, other.to_str().unwrap()) {
        args.push("--force".into());
        let o = run_s(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            stderr(&o).contains("is an existing GeoPackage/SQLite database"),
            "{args:?}: {}",
            stderr(&o)
        );
        assert!(std::fs::read(&other).unwrap() == other_bytes);
    }
    let out = dir.path().join("out.txt");
    for args in exports(w, out.to_str().unwrap()) {
        std::fs::write(&out, "keep me").unwrap();
        let o = run_s(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let e = stderr(&o);
        assert!(
            e.contains("out.txt: already exists and was not replaced (add --force"),
            "{args:?}: {e}"
        );
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me");
        let mut forced = args.clone();
        forced.push("--force".into());
        let o = run_s(&forced);
        assert!(o.status.success(), "{forced:?}: {}", stderr(&o));
        // (an xlsx is not text: compared as bytes)
        assert_ne!(std::fs::read(&out).unwrap(), b"keep me");
    }
    // Nothing but the outputs was left in the folder (no temporary files).
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["other.gpkg", "out.txt", "w.gpkg"]);
}

/// The cells of a CSV line (no quoted commas in the lines this test reads).
fn cells(line: &str) -> Vec<&str> {
    line.split(',').collect()
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_escaped_and_chinese_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let mut p = s
        .projects()
        .values()
        .find(|p| p.code == "PD-2024-HM-01")
        .unwrap()
        .clone();
    p.name = "=HYPERLINK(\"http://x\",\"y\")".into();
    p.programme = "@SUM(1)".into();
    let pid = p.id;
    s.apply(ProjectEdit::Update(p)).unwrap();
    let person = Person::new("-2+3", PersonRole::Planner);
    s.apply(Command::Person(RecordEdit::Add(person))).unwrap();
    let mut task = s.records().tasks()[0].clone();
    task.title = "+cmd".into();
    task.owner = "-2+3".into();
    task.due = "2024-05-01".into();
    task.project = Some(pid);
    s.apply(Command::Task(RecordEdit::Update(task))).unwrap();
    drop(s);
    let w = ws.to_str().unwrap();

    let csv = dir.path().join("p.csv");
    let o = run(&["export", w, "--format", "csv", "-o", csv.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&csv).unwrap();
    let row = text
        .lines()
        .find(|l| l.starts_with("PD-2024-HM-01,"))
        .unwrap();
    assert!(
        row.starts_with(
            "PD-2024-HM-01,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'@SUM(1),2024,花木街道"
        ),
        "{row}"
    );
    // Other rows' Chinese is unchanged.
    assert!(text.contains(",缤纷社区,"), "{text}");

    let stats = dir.path().join("s.csv");
    let o = run(&[
        "stats",
        w,
        "--by",
        "programme",
        "--format",
        "csv",
        "-o",
        stats.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&stats).unwrap();
    assert!(text.contains("\r\n'@SUM(1),'@SUM(1),1,"), "{text}");
    assert!(text.contains("\r\n缤纷社区,缤纷社区,7,"), "{text}");

    let tasks = dir.path().join("t.csv");
    let o = run(&["tasks", w, "--format", "csv", "-o", tasks.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&tasks).unwrap();
    let row = text.lines().find(|l| l.contains("+cmd")).unwrap();
    let c = cells(row);
    assert_eq!(c[3], "'+cmd", "{row}");
    assert_eq!(c[4], "'-2+3", "{row}");
    assert_eq!(c[5], "PD-2024-HM-01", "{row}");
    // The overdue flag is a number Linli wrote: not escaped.
    assert!(c[7] == "0" || c[7] == "1", "{row}");
}
